"""Invite someone to set up places as a partnership lead, from the server (decision 0024).

The same invitation as the site administrators' page /leads/ sends. The link is printed too,
for a first start whose mail is not set up yet: pass it on to the person yourself.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from places import services


class Command(BaseCommand):
    help = "Email someone an invitation to set up a place as its partnership lead."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="the address to invite")

    def handle(self, *args, email: str, **options) -> None:
        try:
            validate_email(email.strip())
            invitation, link = services.lead_invitation_create(actor=None, email=email)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"An invitation to set up a place is on its way to {invitation.email}."
            )
        )
        self.stdout.write(
            f"Its link works once, for {services.PLACE_INVITATION_DAYS} days "
            f"(keep it private: it lets whoever opens it make the account):\n  {link}"
        )
