"""Assessment rounds, invitations with personal links, responses and ratings."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import LessThanOrEqual

from ninefold.text import text_limit, validate_name
from places.models import LeadInvitation, Partner, Place, PlaceInvitation
from preconditions.models import Framework, Precondition

EVIDENCE_MAX_LENGTH = 2000
TOKEN_BYTES = 24  # 192 bits from secrets.token_urlsafe


def hash_token(token: str) -> str:
    """The only form in which a personal-link token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class RoundState(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Perspective(models.TextChoices):
    SENIOR_LEADER = "senior_leader", "Senior leader"
    MANAGER = "manager", "Manager"
    FRONTLINE = "frontline", "Frontline worker"
    COMMISSIONER = "commissioner", "Commissioner"
    LIVED_EXPERIENCE = "lived_experience", "Person with lived experience"
    OTHER = "other", "Other"


class Confidentiality(models.TextChoices):
    """What a round's reports may show about small groups (docs/confidentiality.md)."""

    CONFIDENTIAL = "confidential", "Confidential"
    NAMED = "named", "Named organisations"


class Round(models.Model):
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="rounds")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(max_length=200, validators=[validate_name])
    purpose = models.TextField(blank=True, **text_limit(2000))
    opens_on = models.DateField()
    closes_on = models.DateField()
    state = models.CharField(max_length=8, choices=RoundState.choices, default=RoundState.DRAFT)
    # Told to every respondent before they answer; never loosened once anyone has answered
    # (assessments.services.rounds.round_set_confidentiality, docs/confidentiality.md).
    confidentiality = models.CharField(
        max_length=16, choices=Confidentiality.choices, default=Confidentiality.CONFIDENTIAL
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set when an erasure request removed answers after the round closed: its reports say
    # that their figures changed then (privacy.erasure, decision 0113).
    figures_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["place", "-opens_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "place",
                Lower("name"),
                name="round_name_unique_in_place",
                violation_error_message="This place already has a round with that name.",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gt=F("opens_on")),
                name="round_closes_after_opens",
                violation_error_message="The closing date must be after the opening date.",
            ),
            models.CheckConstraint(
                condition=Q(state__in=RoundState.values), name="round_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(confidentiality__in=Confidentiality.values),
                name="round_confidentiality_valid",
            ),
        ]
        indexes = [models.Index(fields=["place", "state", "closes_on"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.place})"

    @property
    def names_partners(self) -> bool:
        """True when partner results are shown under partners' names at any size."""
        return self.confidentiality == Confidentiality.NAMED


class SendState(models.TextChoices):
    """Where an email stands. An outbox row is queued, sending, sent or failed; an invitation
    with no email yet reads "not sent" (assessments.progress derives it from its rows)."""

    NOT_SENT = "not_sent", "Not sent yet"
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class EmailKind(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    RESEND = "resend", "Invitation sent again"
    REMINDER = "reminder", "Reminder"
    # Sent inside the request (decisions 0022, 0024) and recorded here with how it went.
    COLLEAGUE = "colleague", "Invitation to join a place"
    LEAD = "lead", "Invitation to set up places"


# The kinds that carry the invitation's own wording (a re-send is the invitation again).
INVITATION_KINDS = (EmailKind.INVITATION, EmailKind.RESEND)
# The emails to a respondent, which belong to an Invitation and go through the queue.
RESPONDENT_KINDS = (*INVITATION_KINDS, EmailKind.REMINDER)
# A row's status: every state but "not sent", which is the absence of rows.
EMAIL_STATUSES = (SendState.QUEUED, SendState.SENDING, SendState.SENT, SendState.FAILED)
ON_ITS_WAY = (SendState.QUEUED, SendState.SENDING)


class Invitation(models.Model):
    """One person asked to answer a round for one partner, through a personal link."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="invitations")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="invitations")
    name = models.CharField(max_length=200, validators=[validate_name])
    email = models.EmailField()
    perspective = models.CharField(max_length=32, choices=Perspective.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    first_opened_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Its emails (invitation, re-sends, reminders) are rows of OutboxEmail.
    # When the retention period ran out: name and email are then empty and every personal
    # link is void; partner, perspective and answers stay (privacy.retention).
    personal_data_removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["round", "partner", "name"]
        constraints = [
            models.UniqueConstraint(
                "round",
                Lower("email"),
                condition=~Q(email=""),
                name="invitation_email_unique_in_round",
                violation_error_message="This person is already invited to this round.",
            ),
            models.CheckConstraint(
                condition=Q(perspective__in=Perspective.values),
                name="invitation_perspective_valid",
                violation_error_message="Choose a perspective from the list.",
            ),
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106
                name="invitation_token_hash_is_sha256",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.partner}) — {self.round.name}"

    def clean(self) -> None:
        if self.round_id and self.partner_id and self.partner.place_id != self.round.place_id:
            raise ValidationError({"partner": "The partner must belong to the round's place."})

    def set_new_token(self) -> str:
        """Give the invitation a fresh secret link and return the token (never stored)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self.token_hash = hash_token(token)
        return token

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class OutboxEmail(models.Model):
    """One email the app sends, and how it went.

    Most are to respondents (an invitation, a re-send or a reminder, of an ``Invitation``);
    colleague and lead invitations (of a ``PlaceInvitation`` or ``LeadInvitation``), sent
    in the request, are recorded once sent or failed. For respondents:

    A lead's action (or ``send_reminders``) adds a row ``queued`` and enqueues the task in the
    same transaction; the worker claims the row (queued -> sending) with one conditional
    UPDATE before anything is sent, so a task run twice sends once (decision 0030). A failed
    row is queued again by the lead's retry (``attempts`` counts the claims); every other send
    is a new row. Where an invitation stands ("not sent", "sending", "sent", "failed") is its
    latest row, read by ``assessments.progress``: nothing about email is stored on the
    invitation, and reading it writes nothing.
    """

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    place_invitation = models.ForeignKey(
        PlaceInvitation, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    lead_invitation = models.ForeignKey(
        LeadInvitation, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    kind = models.CharField(max_length=16, choices=EmailKind.choices)
    recipient = models.EmailField(help_text="The address it was (or will be) sent to.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Named in the email as its sender; empty for scheduled reminders.",
    )
    status = models.CharField(
        max_length=16,
        choices=[(state.value, state.label) for state in EMAIL_STATUSES],
        default=SendState.QUEUED,
    )
    # When the latest claim was made. A claim older than assessments.tasks.SEND_CLAIM_EXPIRES
    # is taken to mean the worker stopped, and the row reads (then is marked) failed.
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Empty only for reminders carried over from before this table, whose time was not kept.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invitation", "pk"]
        verbose_name = "outbox email"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EMAIL_STATUSES), name="outbox_email_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EmailKind.values), name="outbox_email_kind_valid"
            ),
            # Each kind belongs to its own subject, and to no other.
            models.CheckConstraint(
                condition=(
                    Q(kind__in=RESPONDENT_KINDS, invitation__isnull=False)
                    & Q(place_invitation__isnull=True, lead_invitation__isnull=True)
                )
                | (
                    Q(kind=EmailKind.COLLEAGUE, place_invitation__isnull=False)
                    & Q(invitation__isnull=True, lead_invitation__isnull=True)
                )
                | (
                    Q(kind=EmailKind.LEAD, lead_invitation__isnull=False)
                    & Q(invitation__isnull=True, place_invitation__isnull=True)
                ),
                name="outbox_email_kind_has_its_subject",
            ),
            models.CheckConstraint(
                condition=~Q(status=SendState.SENDING) | Q(claimed_at__isnull=False),
                name="outbox_email_sending_has_claim_time",
            ),
            # At most one email on its way per person: what makes "claimed once" hold even
            # if two requests queue at the same moment.
            models.UniqueConstraint(
                fields=["invitation"],
                condition=Q(status__in=ON_ITS_WAY),
                name="outbox_email_one_on_its_way_per_invitation",
            ),
        ]
        indexes = [models.Index(fields=["status", "claimed_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient}: {self.get_status_display()}"


class InvitationLink(models.Model):
    """One personal link emailed for an invitation, stored as the SHA-256 of its token.

    Every link sent stays valid until the lead revokes the invitation (which deletes these
    rows) or the round closes (the page then shows the answers read only): a reminder adds
    a link and never takes an earlier one away (decision 0031). The invitation's own
    ``token_hash`` is the newest link, looked up first.
    """

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["invitation", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106
                name="invitation_link_hash_is_sha256",
            ),
        ]

    def __str__(self) -> str:
        return f"A link of {self.invitation_id} made {self.created_at:%Y-%m-%d %H:%M}"


class LinkLookupFailures(models.Model):
    """Failed personal-link look-ups from one client address within the current window.

    Counted in the database with conditional UPDATEs (assessments.ratelimit), so parallel
    requests each see their own count: the cache shared between processes is the database
    cache, whose ``incr`` is a read then a write (decision 0035).
    """

    address = models.CharField(max_length=64, unique=True)
    window_started_at = models.DateTimeField()
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "link look-up failures"

    def __str__(self) -> str:
        return f"{self.address}: {self.failures} since {self.window_started_at:%H:%M}"


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Response(models.Model):
    """The answers behind one invitation. Only submitted responses count in any figure."""

    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="response")
    status = models.CharField(
        max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Incremented by every save; a form posted with an older number is a stale copy.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["invitation"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=ResponseStatus.DRAFT) & Q(submitted_at__isnull=True))
                | (Q(status=ResponseStatus.SUBMITTED) & Q(submitted_at__isnull=False)),
                name="response_submitted_at_matches_status",
                violation_error_message="A submitted response needs a submission time, a draft none.",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="response_version_positive"),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"Response of {self.invitation}"


class Rating(models.Model):
    """One precondition rated in one response. An empty score means "don't know".

    A draft may hold an evidence note written before any choice was made: such a
    row has ``answered`` False (and no score) so the note is kept without being
    mistaken for "don't know". A submitted response has every row answered.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="ratings")
    precondition = models.ForeignKey(Precondition, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence = models.TextField(blank=True, **text_limit(EVIDENCE_MAX_LENGTH))
    answered = models.BooleanField(
        default=True,
        help_text="False for a draft's note kept before a level or don't know was chosen.",
    )
    # When a lead removed the note's text (privacy.notes); the note then reads as removed.
    evidence_redacted_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["response", "precondition"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "precondition"], name="rating_unique_per_response"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=1) & Q(score__lte=5)),
                name="rating_score_1_to_5_or_dont_know",
                violation_error_message="A score runs from 1 to 5, or is left empty for don't know.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("evidence"), EVIDENCE_MAX_LENGTH),
                name="rating_evidence_length",
                violation_error_message=f"Evidence notes are limited to {EVIDENCE_MAX_LENGTH} characters.",
            ),
            models.CheckConstraint(
                condition=Q(answered=True) | Q(score__isnull=True),
                name="rating_unanswered_has_no_score",
                violation_error_message="A rating without a choice cannot have a score.",
            ),
        ]

    def __str__(self) -> str:
        if not self.answered:
            return f"{self.precondition.code}: not answered yet"
        shown = self.score if self.score is not None else "don't know"
        return f"{self.precondition.code}: {shown}"
