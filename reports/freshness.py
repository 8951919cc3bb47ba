"""Keep each place's ``data_version`` moving with the data its reports show.

The report caches (``reports.cache``) key on ``Place.data_version``. Every write that can
change a figure, a name or a workshop record on a dashboard, a PDF or an export must bump
the version of the place concerned inside the same transaction (decision 0053):

- saves and deletes through the ORM are caught here by signals (the admin included);
- writes that bypass signals (``QuerySet.update`` and ``bulk_create``) call the
  ``bump_*`` helpers themselves: the respondent's save, bulk invitations, bulk partners
  and the demo commands.

A bump is one UPDATE of one row, by primary key or through the round's id.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from assessments.models import Invitation, Rating, Response, Round
from places.models import Partner, Place
from preconditions.models import Framework, Precondition, PreconditionGroup, ScaleLevel
from reports.models import KeyMessages

# Invitation fields that no report shows: the link's hash and when it was first opened.
# Saving only these leaves reports as they are. The emails themselves are OutboxEmail rows,
# which no report shows either (tests/reports/test_freshness_coverage.py says so).
_INVITATION_FIELDS_NOT_SHOWN = frozenset({"token_hash", "first_opened_at"})


def bump_place(place_id: int) -> None:
    Place.objects.filter(pk=place_id).bump_data_version()


def bump_round(round_id: int) -> None:
    """Bump the place of a round without loading the round."""
    Place.objects.filter(rounds=round_id).bump_data_version()


def bump_invitation(invitation_id: int) -> None:
    """Bump the place of an invitation (its response and ratings) without loading it."""
    Place.objects.filter(rounds__invitations=invitation_id).bump_data_version()


def _bump_framework(framework_id: int) -> None:
    """A framework's wording changed: every place with a round on it (admin edits only)."""
    Place.objects.filter(rounds__framework=framework_id).distinct().bump_data_version()


def _on_place(sender, instance: Place, **kwargs) -> None:
    if not kwargs.get("created"):
        bump_place(instance.pk)


def _on_place_child(sender, instance, **kwargs) -> None:
    bump_place(instance.place_id)


def _on_round_child(sender, instance, **kwargs) -> None:
    bump_round(instance.round_id)


def _on_invitation(sender, instance: Invitation, **kwargs) -> None:
    fields = kwargs.get("update_fields")
    if fields is not None and set(fields) <= _INVITATION_FIELDS_NOT_SHOWN:
        return
    bump_round(instance.round_id)


def _on_response(sender, instance: Response, **kwargs) -> None:
    bump_invitation(instance.invitation_id)


def _on_rating(sender, instance: Rating, **kwargs) -> None:
    Place.objects.filter(rounds__invitations__response=instance.response_id).bump_data_version()


def _on_framework_item(sender, instance, **kwargs) -> None:
    _bump_framework(instance.framework_id)


def _on_framework(sender, instance: Framework, **kwargs) -> None:
    if not kwargs.get("created"):
        _bump_framework(instance.pk)


def watch_place_child(model) -> None:
    """Saves and deletes of ``model`` (it has a ``place``) move its place's version.

    Apps built on reports (the workshop) call these ``watch_*`` helpers from their own
    ``AppConfig.ready``: reports never imports them (decision 0083), yet the receivers are
    this module's, so the freshness walk (``tests/reports/test_freshness_coverage.py``) sees
    them.
    """
    uid = f"reports.freshness.{model._meta.label_lower}"
    post_save.connect(_on_place_child, sender=model, dispatch_uid=f"{uid}.save")
    post_delete.connect(_on_place_child, sender=model, dispatch_uid=f"{uid}.del")


def watch_round_child(model) -> None:
    """Saves and deletes of ``model`` (it has a ``round``) move its round's place's version."""
    uid = f"reports.freshness.{model._meta.label_lower}"
    post_save.connect(_on_round_child, sender=model, dispatch_uid=f"{uid}.save")
    post_delete.connect(_on_round_child, sender=model, dispatch_uid=f"{uid}.del")


def watch_place_child_links(model, field_name: str) -> None:
    """Changes to the many-to-many ``field_name`` of ``model`` (it has a ``place``), made from
    either side, move the places concerned."""
    through = model._meta.get_field(field_name).remote_field.through
    # How a place reaches the linked objects: e.g. "actions__preconditions".
    path = f"{model._meta.get_field('place').related_query_name()}__{field_name}"

    def on_change(sender, instance, action, **kwargs) -> None:
        if action in {"post_add", "post_remove", "post_clear"}:
            if isinstance(instance, model):
                bump_place(instance.place_id)
            else:  # changed from the other side
                Place.objects.filter(**{path: instance}).distinct().bump_data_version()

    m2m_changed.connect(
        on_change,
        sender=through,
        weak=False,
        dispatch_uid=f"reports.freshness.{model._meta.label_lower}.{field_name}",
    )


def connect() -> None:
    """Wire the receivers (from ``ReportsConfig.ready``)."""
    uid = "reports.freshness"
    post_save.connect(_on_place, sender=Place, dispatch_uid=f"{uid}.place")
    for model in (Partner, Round):
        watch_place_child(model)
    # The round PDF opens with the facilitator's key messages (decision 0063).
    watch_round_child(KeyMessages)
    post_save.connect(_on_invitation, sender=Invitation, dispatch_uid=f"{uid}.save.inv")
    post_delete.connect(_on_invitation, sender=Invitation, dispatch_uid=f"{uid}.del.inv")
    post_save.connect(_on_response, sender=Response, dispatch_uid=f"{uid}.save.resp")
    post_delete.connect(_on_response, sender=Response, dispatch_uid=f"{uid}.del.resp")
    # Ratings: saves only. A rating is deleted with its response (caught above) or by the
    # respondent's save, which bumps itself; a delete receiver here would stop Django
    # deleting ratings in bulk.
    post_save.connect(_on_rating, sender=Rating, dispatch_uid=f"{uid}.save.rating")
    post_save.connect(_on_framework, sender=Framework, dispatch_uid=f"{uid}.framework")
    for model in (PreconditionGroup, Precondition, ScaleLevel):
        post_save.connect(_on_framework_item, sender=model, dispatch_uid=f"{uid}.item.{model}")
