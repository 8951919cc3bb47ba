from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from preconditions.models import Framework, Precondition, PreconditionGroup, ScaleLevel


@transaction.atomic
def framework_new_version(*, framework: Framework) -> Framework:
    """Copy a framework's groups, preconditions and scale into the next version.

    The copy is editable even when the original is locked by past rounds, and is
    never the default until an administrator makes it so. Costs a handful of
    queries whatever the framework's size (bulk creates).
    """
    latest = Framework.objects.filter(name=framework.name).aggregate(v=Max("version"))["v"] or 0
    copy = Framework.objects.create(
        name=framework.name,
        version=latest + 1,
        description=framework.description,
        source_credit=framework.source_credit,
        is_default=False,
    )
    framework_copy_items(source=framework, target=copy)
    return copy


@transaction.atomic
def framework_copy_items(*, source: Framework, target: Framework) -> dict[str, PreconditionGroup]:
    """Copy ``source``'s groups, preconditions and scale levels into ``target``, texts and
    order unchanged; return the new groups by code, for callers that add items of their own.

    Three bulk creates and three reads, whatever the framework's size. ``target`` must have
    no groups, items or levels yet (codes are unique within a framework).
    """
    groups = {
        group.code: PreconditionGroup(
            framework=target,
            code=group.code,
            name=group.name,
            description=group.description,
            order=group.order,
        )
        for group in source.groups.all()
    }
    # bulk_create sets primary keys on PostgreSQL and SQLite alike, so the items can use them.
    PreconditionGroup.objects.bulk_create(groups.values())
    Precondition.objects.bulk_create(
        Precondition(
            framework=target,
            group=groups[item.group.code],
            code=item.code,
            name=item.name,
            summary=item.summary,
            easy_read_summary=item.easy_read_summary,
            description=item.description,
            vignette_situation=item.vignette_situation,
            vignette_in_place=item.vignette_in_place,
            vignette_absent=item.vignette_absent,
            order=item.order,
        )
        for item in source.preconditions.select_related("group")
    )
    ScaleLevel.objects.bulk_create(
        ScaleLevel(
            framework=target,
            value=level.value,
            label=level.label,
            descriptor=level.descriptor,
            easy_read_label=level.easy_read_label,
            easy_read_descriptor=level.easy_read_descriptor,
        )
        for level in source.scale.all()
    )
    return groups
