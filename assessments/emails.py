"""The emails a respondent receives: an invitation and reminders, each with a personal link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.models import EmailKind, OutboxEmail, Perspective

# The framework loaded by migration; its emails may name the report it comes from.
NINE = "The nine preconditions for systems change"


def respondent_link(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('assessments:respond', args=[token])}"


def build_invitation_email(email: OutboxEmail, token: str) -> EmailMultiAlternatives:
    """The message an outbox row stands for (invitation, re-send or reminder), carrying the
    link for ``token``, to the row's recipient.

    Expects ``invitation__round__place``, ``invitation__round__framework``,
    ``invitation__partner`` and ``requested_by`` to be loaded. People invited for their lived
    experience get their own, plainer wording.
    """
    invitation = email.invitation
    round_ = invitation.round
    sender = email.requested_by
    is_reminder = email.kind == EmailKind.REMINDER
    lived = invitation.perspective == Perspective.LIVED_EXPERIENCE
    framework = round_.framework
    context = {
        "framework": framework,
        "is_nine": framework.name == NINE,
        "item_count": framework.preconditions.count(),
        "invitation": invitation,
        "round": round_,
        "place": round_.place,
        "partner": invitation.partner,
        "sender_name": (sender.full_name or sender.email) if sender else None,
        "link": respondent_link(token),
        "is_reminder": is_reminder,
        "min_group_size": settings.NINEFOLD_MIN_GROUP_SIZE,
    }
    template = "emails/invitation_lived_experience" if lived else "emails/invitation"
    if is_reminder and lived:
        subject = f"Reminder: {round_.place.name} would still like to hear from you"
    elif is_reminder:
        subject = f"Reminder: {round_.place.name} asks for your view by {round_.closes_on:%-d %B}"
    elif lived:
        subject = f"{round_.place.name}: tell us what using services here is like for you"
    else:
        subject = f"{round_.place.name}: your view on our readiness for systems change"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        reply_to=[sender.email] if sender else None,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
