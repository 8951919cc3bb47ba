"""Remove respondents' personal details past each place's retention period (run daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from privacy.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Remove the names and email addresses of respondents of rounds closed longer ago than "
        "their place's retention period, keeping their answers; delete colleague invitations "
        "never accepted. Safe to run as often as you like (e.g. daily from cron)."
    )

    def handle(self, *args, **options) -> None:
        result = apply_retention()
        self.stdout.write(
            f"Removed personal details from {result.invitations} invitations in "
            f"{result.rounds} rounds ({result.activity_entries} activity log entries "
            f"rewritten); deleted {result.colleague_invitations} unused colleague invitations."
        )
