"""The emails a respondent receives: an invitation and reminders, each with a personal link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.models import EmailKind, Invitation


def respondent_link(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('assessments:respond', args=[token])}"


def build_invitation_email(invitation: Invitation, token: str) -> EmailMultiAlternatives:
    """The message for ``invitation``'s current ``send_kind``, carrying the link for ``token``.

    Expects ``round__place``, ``partner`` and ``send_requested_by`` to be loaded.
    """
    round_ = invitation.round
    sender = invitation.send_requested_by
    is_reminder = invitation.send_kind == EmailKind.REMINDER
    context = {
        "invitation": invitation,
        "round": round_,
        "place": round_.place,
        "partner": invitation.partner,
        "sender_name": (sender.full_name or sender.email) if sender else None,
        "link": respondent_link(token),
        "is_reminder": is_reminder,
    }
    if is_reminder:
        subject = f"Reminder: {round_.place.name} asks for your view by {round_.closes_on:%-d %B}"
    else:
        subject = f"{round_.place.name}: your view on our readiness for systems change"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
        reply_to=[sender.email] if sender else None,
    )
    message.attach_alternative(render_to_string("emails/invitation.html", context), "text/html")
    return message
