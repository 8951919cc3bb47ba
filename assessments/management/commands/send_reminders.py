"""Remind respondents of open rounds who have not submitted; run it daily from a scheduler."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from assessments.models import Round, RoundState
from assessments.services.invitations import invitations_fail_stale_sends, invitations_remind


class Command(BaseCommand):
    help = (
        "Queue a reminder for every respondent of an open round who has not submitted, "
        "at most once every --days days (NINEFOLD_REMINDER_INTERVAL_DAYS by default). "
        "First marks failed any email whose worker stopped after claiming it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.NINEFOLD_REMINDER_INTERVAL_DAYS,
            help="Leave alone anyone invited or reminded fewer than this many days ago.",
        )

    def handle(self, *args, days: int, **options) -> None:
        if days < 1:
            raise CommandError("--days must be at least 1.")
        stale = invitations_fail_stale_sends()
        if stale:
            self.stdout.write(f"{stale} emails whose worker stopped before sending marked failed.")
        not_since = timezone.now() - dt.timedelta(days=days)
        rounds = Round.objects.filter(
            state=RoundState.OPEN, closes_on__gte=timezone.localdate()
        ).select_related("place")
        total = 0
        for round_ in rounds:
            queued = invitations_remind(round=round_, actor=None, not_since=not_since)
            if queued:
                self.stdout.write(f"{round_.place.name} / {round_.name}: {queued} reminders queued")
            total += queued
        self.stdout.write(f"{total} reminders queued in all.")
