"""Write a place's round report (or its comparison report) to a PDF file.

    manage.py report_pdf harrowdene                       # the latest round beyond draft
    manage.py report_pdf harrowdene --round "Autumn 2025 review" -o review.pdf
    manage.py report_pdf harrowdene --comparison

Useful to look at a report without signing in, and in CI to keep one as an artifact.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Round, RoundState
from places.models import Place
from reports import pdf


class Command(BaseCommand):
    help = "Write a round report or a comparison report of a place to a PDF file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("place", help="The place's slug.")
        parser.add_argument("--round", help="The round's name or id (default: the latest).")
        parser.add_argument("--comparison", action="store_true", help="All rounds side by side.")
        parser.add_argument("-o", "--output", help="File to write (default: the download name).")

    def handle(self, *args, **options) -> None:
        place = Place.objects.filter(slug=options["place"]).first()
        if place is None:
            raise CommandError(f"No place with the slug {options['place']!r}.")
        if options["comparison"]:
            body, name = pdf.comparison_pdf(place), pdf.comparison_filename(place)
        else:
            round_ = self._round(place, options["round"])
            body, name = pdf.round_report_pdf(round_), pdf.report_filename(round_)
        path = Path(options["output"] or name)
        path.write_bytes(body)
        self.stdout.write(f"Wrote {path} ({len(body) // 1024} KiB).")

    def _round(self, place: Place, wanted: str | None) -> Round:
        rounds = Round.objects.filter(place=place).select_related("place", "framework")
        if wanted:
            found = (
                rounds.filter(pk=int(wanted)).first()
                if wanted.isdigit()
                else rounds.filter(name__iexact=wanted).first()
            )
        else:
            found = rounds.exclude(state=RoundState.DRAFT).order_by("-opens_on", "-pk").first()
        if found is None:
            raise CommandError(f"No such round in {place.name}.")
        return found
