"""Writes on invitations: add one or a validated list, queue emails, revoke, remind.

Emails are never sent here: each email is an outbox row (assessments.models.OutboxEmail)
added queued, or a failed one queued again, and one task per row is enqueued in the same
transaction (assessments.tasks.send_invitation_email).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from assessments.models import (
    INVITATION_KINDS,
    EmailKind,
    Invitation,
    InvitationLink,
    OutboxEmail,
    Perspective,
    ResponseStatus,
    Round,
    RoundState,
    SendState,
)
from assessments.progress import IN_FLIGHT, awaiting_invitation, remindable, with_email
from assessments.tasks import SEND_CLAIM_EXPIRES, STOPPED_WORKER_ERROR, send_invitation_email
from ninefold.lists import ListError, ListShape, Row, check_rows, read_table
from places.models import Partner, Place
from places.services import activity_record

BULK_MAX_ROWS = 2000
BULK_COLUMNS = ("name", "email", "partner", "perspective")
BULK_SHAPE = ListShape(
    columns=BULK_COLUMNS,
    noun="respondents",
    max_rows=BULK_MAX_ROWS,
    empty_hint="Put the column names on the first line.",
    aliases={"partner name": "partner", "organisation": "partner"},
)
# The reader's error, under the name the views and tests of invitations use.
BulkListError = ListError
EMAIL_MAX_LENGTH = Invitation._meta.get_field("email").max_length


@dataclass(frozen=True)
class RespondentRow:
    name: str
    email: str
    partner: Partner
    perspective: str


def _perspective_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in Perspective.choices:
        lookup[value.lower()] = value
        lookup[label.lower()] = value
        lookup[value.replace("_", " ")] = value
    return lookup


def parse_respondent_list(*, round: Round, text: str) -> list[RespondentRow]:
    """Validate a pasted or uploaded list as a whole; raise BulkListError listing every problem.

    The first line names the columns: name, email, partner, perspective (in any
    order). Cells may be separated by commas, semicolons, or tabs as when pasted
    from a spreadsheet. Costs two queries (the place's partners, the round's
    emails), none when the list is refused as a whole.
    """
    table = read_table(text, BULK_SHAPE)
    partners = {p.name.strip().lower(): p for p in Partner.objects.filter(place=round.place_id)}
    existing = set(
        Invitation.objects.filter(round=round)
        .annotate(email_lower=Lower("email"))
        .values_list("email_lower", flat=True)
    )
    perspectives = _perspective_lookup()
    seen: dict[str, int] = {}

    def check(row: Row, problems: list[str]) -> RespondentRow | None:
        value = row.values
        if not value["name"]:
            problems.append("the name is empty")
        elif len(value["name"]) > 200:
            problems.append("the name is longer than 200 characters")
        email = value["email"]
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"“{email[:80]}” is not an email address")
        else:
            key = email.lower()
            # validate_email accepts up to 320 characters; the column (as the single form) 254.
            if len(email) > EMAIL_MAX_LENGTH:
                problems.append(f"the email address is longer than {EMAIL_MAX_LENGTH} characters")
            elif key in seen:
                problems.append(f"{email} is already on row {seen[key]}")
            elif key in existing:
                problems.append(f"{email} is already invited to this round")
            seen.setdefault(key, row.number)
        partner = partners.get(value["partner"].lower())
        if partner is None:
            problems.append(f"there is no partner called “{value['partner'][:80]}” in this place")
        elif partner.is_archived:
            problems.append(f"the partner “{partner.name}” is archived")
        perspective = perspectives.get(value["perspective"].lower())
        if perspective is None:
            problems.append(
                f"“{value['perspective'][:40]}” is not a perspective (use one of: "
                + ", ".join(label for _, label in Perspective.choices)
                + ")"
            )
        if partner is None or perspective is None:
            return None
        return RespondentRow(value["name"], email, partner, perspective)

    return check_rows(table, check)


def _check_round_accepts_invitations(round: Round) -> None:
    if round.state == RoundState.CLOSED:
        raise ValidationError("This round is closed: no one new can be invited.")


@transaction.atomic
def invitation_create(
    *, round: Round, actor, name: str, email: str, partner: Partner, perspective: str
) -> Invitation:
    _check_round_accepts_invitations(round)
    invitation = Invitation(
        round=round,
        partner=partner,
        name=name.strip(),
        email=email.strip(),
        perspective=perspective,
    )
    invitation.set_new_token()  # a placeholder: the email carries a fresh one
    if partner.is_archived:
        raise ValidationError({"partner": "This partner is archived."})
    invitation.full_clean()
    invitation.save()
    activity_record(
        place=round.place,
        actor=actor,
        verb="invitation-added",
        description=f"Added {invitation.name} ({partner.name}) to the round “{round.name}”.",
    )
    return invitation


def invitations_create_bulk(*, round: Round, actor, rows: list[RespondentRow]) -> list[Invitation]:
    """Create every row or none (the rows come from parse_respondent_list)."""
    _check_round_accepts_invitations(round)
    invitations = []
    for row in rows:
        invitation = Invitation(
            round=round,
            partner=row.partner,
            name=row.name,
            email=row.email,
            perspective=row.perspective,
        )
        invitation.set_new_token()
        invitations.append(invitation)
    try:
        with transaction.atomic():
            created = Invitation.objects.bulk_create(invitations)
            # bulk_create sends no signals: tell the report caches (reports.freshness).
            Place.objects.filter(pk=round.place_id).bump_data_version()
            activity_record(
                place=round.place,
                actor=actor,
                verb="invitations-added",
                description=f"Added {len(created)} respondents to the round “{round.name}” from a list.",
            )
    except IntegrityError:
        # Someone else invited one of these people in the meantime.
        raise BulkListError(
            [
                "One of these people was invited by someone else just now. Check the list and try again."
            ]
        ) from None
    return created


def _queue(
    *, round: Round, actor, candidates: QuerySet[Invitation], kind: str, verb: str, what: str
) -> int:
    """Queue an email of ``kind`` for each of ``candidates`` (annotated by
    ``assessments.progress.with_email``) and enqueue one task each, atomically. Returns the
    count. The candidates are read again once their invitations are locked, so two requests
    at once queue each email once.

    One row per email: a new row each, except where the person's newest email failed and was
    of the same wording (an invitation or re-send for an invitation, a reminder for a
    reminder): that row is queued again, and its attempts count the tries.
    """
    if round.state != RoundState.OPEN:
        raise ValidationError("Emails go out only while the round is open. Open the round first.")
    requested_by = actor if actor is not None and actor.is_authenticated else None
    same_wording = list(INVITATION_KINDS) if kind in INVITATION_KINDS else [kind]
    with transaction.atomic():
        locked = list(
            Invitation.objects.filter(pk__in=candidates.values("pk"))
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        rows = list(
            candidates.filter(pk__in=locked)
            .order_by("pk")
            .values_list("pk", "email", "email_state", "email_kind")
        )
        ids = [pk for pk, _, _, _ in rows]
        if not ids:
            return 0
        retried = [
            pk
            for pk, _, state, last_kind in rows
            if state == SendState.FAILED and last_kind in same_wording
        ]
        if retried:
            newest = (
                OutboxEmail.objects.filter(invitation_id__in=retried)
                .values("invitation_id")
                .annotate(newest=Max("pk"))
                .values("newest")
            )
            OutboxEmail.objects.filter(pk__in=newest, status=SendState.FAILED).update(
                status=SendState.QUEUED, requested_by=requested_by, error=""
            )
        retried_set = set(retried)
        OutboxEmail.objects.bulk_create(
            OutboxEmail(invitation_id=pk, recipient=email, kind=kind, requested_by=requested_by)
            for pk, email, _, _ in rows
            if pk not in retried_set
        )
        for pk in ids:
            send_invitation_email.enqueue(pk)
        activity_record(
            place=round.place,
            actor=actor,
            verb=verb,
            description=f"{what} {len(ids)} {'person' if len(ids) == 1 else 'people'} in the round “{round.name}”.",
        )
    return len(ids)


def _live(round: Round) -> QuerySet[Invitation]:
    return Invitation.objects.filter(round=round, revoked_at__isnull=True)


def invitations_send_unsent(*, round: Round, actor) -> int:
    """Queue the invitation email for everyone awaiting one; the round page shows this count.

    The rule is assessments.progress.AWAITING_INVITATION: never sent, or the invitation
    email failed; never a revoked invitation or someone who has submitted. A send whose
    worker stopped is marked failed first, as the page already shows it.
    """
    invitations_fail_stale_sends(round=round)
    candidates = awaiting_invitation(round=round)
    return _queue(
        round=round,
        actor=actor,
        candidates=candidates,
        kind=EmailKind.INVITATION,
        verb="invitations-sent",
        what="Sent the invitation to",
    )


def invitation_resend(*, invitation: Invitation, actor) -> int:
    """Queue the invitation again, with one more link (earlier links keep working)."""
    invitations_fail_stale_sends(round=invitation.round)
    candidates = with_email(_live(invitation.round).filter(pk=invitation.pk), timezone.now())
    queued = _queue(
        round=invitation.round,
        actor=actor,
        candidates=candidates.exclude(IN_FLIGHT),
        kind=EmailKind.RESEND,
        verb="invitation-resent",
        what="Re-sent the invitation to",
    )
    if not queued:
        raise ValidationError("This invitation is revoked or already on its way.")
    return queued


def invitations_fail_stale_sends(*, round: Round | None = None) -> int:
    """Mark failed every send claimed longer than SEND_CLAIM_EXPIRES ago; return how many.

    A worker that died after claiming a row would leave it "sending" for ever, and a row in
    that state cannot be sent again. Once failed, the lead's "Retry" (or "Send … not yet
    sent") queues it afresh. A worker that is merely slow loses nothing: its later writes
    name its own claim (assessments.tasks). One UPDATE, for one round or for all.
    """
    stale = OutboxEmail.objects.filter(
        status=SendState.SENDING, claimed_at__lt=timezone.now() - SEND_CLAIM_EXPIRES
    )
    if round is not None:
        stale = stale.filter(invitation__round=round)
    return stale.update(status=SendState.FAILED, error=STOPPED_WORKER_ERROR)


def _remind(*, round: Round, actor, candidates: QuerySet[Invitation]) -> int:
    return _queue(
        round=round,
        actor=actor,
        candidates=candidates,
        kind=EmailKind.REMINDER,
        verb="invitations-reminded",
        what="Sent a reminder to",
    )


def invitations_remind(*, round: Round, actor, not_since: dt.datetime | None = None) -> int:
    """Queue a reminder for everyone invited who has not submitted.

    With ``not_since``, only those neither invited nor reminded after that moment. Those
    never sent an invitation are left to the lead ("Send … not yet sent", or "Remind the N
    people who have not submitted", which also sends them their invitation).
    """
    invitations_fail_stale_sends(round=round)
    candidates = remindable(round=round)
    if not_since is not None:
        candidates = candidates.annotate(
            last_contact=Coalesce("last_reminded_at", "invited_at")
        ).filter(last_contact__lte=not_since)
    return _remind(round=round, actor=actor, candidates=candidates)


@transaction.atomic
def invitations_chase(*, round: Round, actor) -> int:
    """Email everyone invited who has not submitted and has no email on its way.

    The round page's main action, counted there with assessments.progress.to_chase: those
    never sent (or whose invitation failed) get the invitation, everyone else a reminder.
    Who gets a reminder is fixed before any invitation goes out, so that nobody sent an
    invitation now is reminded a moment later.
    """
    invitations_fail_stale_sends(round=round)
    to_remind = list(remindable(round=round).values_list("pk", flat=True))
    sent = invitations_send_unsent(round=round, actor=actor)
    return sent + _remind(
        round=round, actor=actor, candidates=remindable(round=round).filter(pk__in=to_remind)
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    """Revoke every personal link at once: the stored hashes are replaced or deleted."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_revoked:
        raise ValidationError("This invitation is already revoked.")
    if Invitation.objects.filter(
        pk=invitation.pk, response__status=ResponseStatus.SUBMITTED
    ).exists():
        raise ValidationError("This person has submitted their answers; they cannot be revoked.")
    invitation.revoked_at = timezone.now()
    invitation.set_new_token()
    invitation.save(update_fields=["revoked_at", "token_hash"])
    InvitationLink.objects.filter(invitation=invitation).delete()
    activity_record(
        place=invitation.round.place,
        actor=actor,
        verb="invitation-revoked",
        description=f"Revoked the invitation of {invitation.name} in the round “{invitation.round.name}”.",
    )
    return invitation


def invitation_record_sent(*, invitation: Invitation, at: dt.datetime) -> None:
    """Record that ``invitation`` was emailed at ``at`` (one sent outbox row), unless it has an
    email already. For the demo and seed commands, whose people were "invited" long ago."""
    if not OutboxEmail.objects.filter(invitation=invitation).exists():
        OutboxEmail.objects.create(
            invitation=invitation,
            kind=EmailKind.INVITATION,
            recipient=invitation.email,
            status=SendState.SENT,
            attempts=1,
            sent_at=at,
        )
