"""Report freshness cannot be forgotten for a new model (decision 0054).

Every model a place reaches through foreign keys is either watched by ``reports.freshness``
(a save moves the place's data version, so cached reports are rebuilt) or declared here as
something no cached report shows, with the reason. A new model fails the first test until
someone decides which it is; ``test_freshness.py`` then proves each write path of the
watched ones moves the version.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import ForeignKey, OneToOneField
from django.db.models.signals import post_save

from places.models import Place

NOT_SHOWN_IN_CACHED_REPORTS = {
    "places.Membership": "who may see a place; pages are cached per role, not per member",
    "places.ActivityLog": "the activity page reads it live; no report shows it",
    "places.PlaceInvitation": "colleague invitations; no report shows them",
    "assessments.InvitationLink": "hashes of emailed links; no report shows them",
    "assessments.OutboxEmail": (
        "the emails sent to respondents; reports count invitations and responses, never "
        "emails, and the round page that shows them is not cached"
    ),
    "networks.NetworkPlace": "consent is read live by the network pages, never cached",
}
OUR_APPS = {
    "accounts",
    "places",
    "assessments",
    "workshop",
    "privacy",
    "networks",
    "preconditions",
    "reports",
}


def _reaches_place(model, seen: tuple = ()) -> bool:
    if model is Place:
        return True
    for field in model._meta.get_fields():
        if isinstance(field, ForeignKey | OneToOneField):
            target = field.related_model
            if (
                target is not model
                and target not in seen
                and _reaches_place(target, (*seen, model))
            ):
                return True
    return False


def _watched(model) -> bool:
    sync_receivers, async_receivers = post_save._live_receivers(model)
    return any(r.__module__ == "reports.freshness" for r in [*sync_receivers, *async_receivers])


def _models_a_place_reaches() -> list:
    return [m for m in apps.get_models() if m._meta.app_label in OUR_APPS and _reaches_place(m)]


def test_every_model_a_place_reaches_is_watched_or_declared_not_shown():
    undecided = [
        m._meta.label
        for m in _models_a_place_reaches()
        if not _watched(m) and m._meta.label not in NOT_SHOWN_IN_CACHED_REPORTS
    ]
    assert not undecided, (
        f"{undecided}: connect a receiver in reports/freshness.py, or add the model to "
        "NOT_SHOWN_IN_CACHED_REPORTS with the reason no cached report shows it"
    )


def test_the_walk_finds_the_models_reports_are_built_from():
    """The walk can fail: it sees the models the figures come from, and they are watched."""
    labels = {m._meta.label for m in _models_a_place_reaches()}
    core = {"places.Partner", "assessments.Round", "assessments.Rating", "workshop.Action"}
    assert core <= labels
    assert all(_watched(apps.get_model(label)) for label in core)


def test_declared_models_exist_and_are_not_also_watched():
    for label in NOT_SHOWN_IN_CACHED_REPORTS:
        model = apps.get_model(label)
        assert _reaches_place(model), f"{label} no longer belongs to a place: drop it here"
        assert not _watched(model), f"{label} is watched now: drop it here"
