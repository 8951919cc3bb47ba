"""Reads for the respondent's journey."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assessments.models import Invitation, Response, hash_token
from assessments.services.responses import Answer
from preconditions.models import Framework, Precondition, PreconditionGroup, ScaleLevel

# secrets.token_urlsafe output (and the demo's stable tokens): URL-safe base64 letters.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,100}")


def invitation_for_token(token: str) -> Invitation | None:
    """The live invitation behind a personal-link token, or None.

    The newest link (the invitation's own hash) costs one query; a link from an earlier
    email (``InvitationLink``, decision 0031) or an unknown token a second. A malformed
    token is refused without touching the database; a revoked invitation is treated
    exactly like an unknown one.
    """
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    digest = hash_token(token)
    live = Invitation.objects.select_related("round__framework", "round__place", "partner").filter(
        revoked_at__isnull=True
    )
    return live.filter(token_hash=digest).first() or live.filter(links__token_hash=digest).first()


def response_with_answers(invitation: Invitation) -> tuple[Response | None, dict[str, Answer]]:
    """The invitation's own response and its answers by precondition code (two queries)."""
    response = Response.objects.filter(invitation=invitation).first()
    if response is None:
        return None, {}
    answers = {
        code: Answer.from_rating(rating)
        for code, rating in (
            (r.precondition.code, r) for r in response.ratings.select_related("precondition")
        )
    }
    return response, answers


@dataclass
class FrameworkItems:
    groups: list[tuple[PreconditionGroup, list[Precondition]]]
    preconditions: list[Precondition]
    scale: list[ScaleLevel]


def framework_items(framework: Framework) -> FrameworkItems:
    """Groups with their preconditions in order, and the scale (two queries)."""
    preconditions = list(
        framework.preconditions.select_related("group").order_by("group__order", "order", "code")
    )
    scale = list(framework.scale.all())
    groups: dict[int, tuple[PreconditionGroup, list[Precondition]]] = {}
    for item in preconditions:
        groups.setdefault(item.group_id, (item.group, []))[1].append(item)
    return FrameworkItems(groups=list(groups.values()), preconditions=preconditions, scale=scale)
