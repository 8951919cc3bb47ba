"""Reads for the report pages: objects always looked up within the place already checked."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from assessments.models import Round
from places.access import object_of_place
from places.models import Place
from preconditions.models import Precondition


def round_for_place(place: Place, round_id: int) -> Round:
    """The place's round with its framework (one query); another place's round is a 404."""
    return object_of_place(Round.objects.select_related("framework"), place, pk=round_id)


def precondition_for_round(round_: Round, code: str) -> Precondition:
    """The round's framework item with this code, with its group (one query), or a 404."""
    return get_object_or_404(
        Precondition.objects.select_related("group"), framework_id=round_.framework_id, code=code
    )
