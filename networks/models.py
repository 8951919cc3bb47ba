"""Networks: organisations supporting several places, and the places' consent to share.

Moved out of ``workshop`` (decision 0083); the tables moved with them, rows and all
(``migrations/0001`` takes over the workshop's tables, ``0002`` renames them).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from ninefold.text import text_limit, validate_name
from places.models import Place


def _opaque_key() -> str:
    return secrets.token_hex(8)


class Network(models.Model):
    """An organisation supporting several places (a region, an ICS, a funder).

    Its members may compare the places that agreed to share; nothing else.
    """

    name = models.CharField(max_length=200, unique=True, validators=[validate_name])
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, **text_limit(2000))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="networks",
        blank=True,
        help_text="People who may see the comparison of the places that agreed to share.",
    )
    places = models.ManyToManyField(Place, through="NetworkPlace", related_name="networks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkPlace(models.Model):
    """A place asked to join a network, and what its lead agreed to."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="network_memberships")
    consent_share = models.BooleanField(
        "agree to share", default=False, help_text="The place's figures appear in the comparison."
    )
    consent_named = models.BooleanField(
        "agree to be named", default=False, help_text="Shown by name rather than as Place A, B…"
    )
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consented_at = models.DateTimeField(null=True, blank=True)
    # Orders the anonymous letters: random, so "Place A" says nothing about names or dates.
    opaque_key = models.CharField(max_length=16, default=_opaque_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["network", "opaque_key"]
        constraints = [
            models.UniqueConstraint(fields=["network", "place"], name="network_place_unique"),
            models.CheckConstraint(
                condition=Q(consent_named=False) | Q(consent_share=True),
                name="network_place_named_needs_share",
                violation_error_message="A place can only be named if it agrees to share.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} in {self.network}"
