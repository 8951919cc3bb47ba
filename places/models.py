from __future__ import annotations

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from ninefold.text import text_limit, validate_name


class Sector(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    NHS = "nhs", "NHS"
    POLICE_JUSTICE = "police_justice", "Police and justice"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    VOLUNTARY_COMMUNITY = "voluntary_community", "Voluntary and community"
    EDUCATION = "education", "Education"
    BUSINESS = "business", "Business"
    LIVED_EXPERIENCE = "lived_experience", "People with lived experience"
    OTHER = "other", "Other"


class Role(models.TextChoices):
    LEAD = "lead", "Partnership lead"
    FACILITATOR = "facilitator", "Facilitator"
    BOARD = "board", "Board member"


class PlaceQuerySet(models.QuerySet):
    def bump_data_version(self) -> int:
        """Mark these places' report data as changed (one UPDATE; see ``Place.data_version``)."""
        return self.update(data_version=models.F("data_version") + 1)


RETENTION_MONTHS_MAX = 120


def default_retention_months() -> int:
    """The deployment's default (``NINEFOLD_RETENTION_MONTHS``) for a new place."""
    return settings.NINEFOLD_RETENTION_MONTHS


class Place(models.Model):
    name = models.CharField(max_length=200, validators=[validate_name])
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, **text_limit(2000))
    created_at = models.DateTimeField(auto_now_add=True)
    # Goes up by one, in the writing transaction, whenever anything a report of this place
    # shows changes (reports.freshness). The report caches key on it, so reading a report
    # never has to look at the answers to know whether its cached figures are current
    # (decision 0053). Never written from an instance: only ``bump_data_version`` sets it.
    data_version = models.PositiveBigIntegerField(default=0, editable=False)
    # How long respondents' names and email addresses are kept after a round closes;
    # `manage.py apply_retention` removes them after that (privacy.retention).
    retention_months = models.PositiveSmallIntegerField(
        "Keep respondents' names and email addresses for (months)",
        default=default_retention_months,
        help_text="Counted from the day a round closes. Their answers are kept without them.",
    )

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_months__gte=1, retention_months__lte=RETENTION_MONTHS_MAX),
                name="place_retention_months_range",
                violation_error_message=(f"Choose between 1 and {RETENTION_MONTHS_MAX} months."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # An instance loaded before someone else's change must not write its older
        # version back: a version that goes down could match a stale cached report.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "data_version"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("places:detail", args=[self.slug])


PARTNER_NAME_TAKEN = "This place already has a partner with that name."


class Partner(models.Model):
    """A partner organisation taking part in a place's diagnostics.

    Partners are archived, never deleted, once they have answers: invitations
    hold them with PROTECT.
    """

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(max_length=200, validators=[validate_name])
    sector = models.CharField(max_length=32, choices=Sector.choices)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["place", "name"]
        constraints = [
            models.UniqueConstraint(
                "place",
                Lower("name"),
                name="partner_name_unique_in_place",
                violation_error_message=PARTNER_NAME_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values),
                name="partner_sector_valid",
                violation_error_message="Choose a sector from the list.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def validate_constraints(self, exclude=None) -> None:
        """Report a name already taken on the name field, where the lead can correct it.

        The unique constraint is on ``Lower("name")``, an expression, so Django files its
        error under the whole form.
        """
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            taken = [e for e in general if PARTNER_NAME_TAKEN in e.messages]
            if taken:
                errors.setdefault("name", []).extend(taken)
            rest = [e for e in general if e not in taken]
            if rest:
                errors[NON_FIELD_ERRORS] = rest
            raise ValidationError(errors) from None

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Membership(models.Model):
    """A signed-in user's role in one place. Anything outside a user's places is a 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["place", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "place"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="membership_role_valid",
                violation_error_message="Choose a role from the list.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.place}"


class ActivityLog(models.Model):
    """Who did what, when, in a place: shown to its leads on the activity page."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the system acted (a scheduled reminder, say).",
    )
    verb = models.SlugField(max_length=40, help_text="A stable key, e.g. round-closed.")
    description = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "activity log entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb}: {self.description}"


class PlaceInvitation(models.Model):
    """A lead's invitation for a colleague to join a place with a role.

    The link's token is stored only as a SHA-256 hash. Accepting creates the
    account (name and password) or attaches an existing one after sign-in.
    """

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["place", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                "place",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="place_invitation_one_pending_per_email",
                violation_error_message="This person already has an invitation waiting.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="place_invitation_role_valid",
                violation_error_message="Choose a role from the list.",
            ),
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106
                name="place_invitation_token_hash_is_sha256",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()} of {self.place}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class LeadInvitation(models.Model):
    """A site administrator's invitation for someone to set up places as a partnership lead.

    It works like a colleague's invitation (``PlaceInvitation``: the token stored only as a
    SHA-256 hash, 14 days, once) but names no place: accepting gives the person the
    ``places.add_place`` permission, which ``places.access.may_create_places`` reads
    (decision 0024). The place they then set up makes them its first lead.
    """

    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when invited with manage.py invite_lead.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="lead_invitation_one_pending_per_email",
                violation_error_message="This person already has an invitation waiting.",
            ),
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106
                name="lead_invitation_token_hash_is_sha256",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} as a partnership lead"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
