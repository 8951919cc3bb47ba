"""The privacy notice's full address, for emails (which have no request to build it from)."""

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def privacy_notice_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("privacy:notice")
