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
    group_map: dict[int, PreconditionGroup] = {}
    for group in framework.groups.all():
        old_pk = group.pk
        group.pk = None
        group.framework = copy
        group.save()
        group_map[old_pk] = group
    Precondition.objects.bulk_create(
        Precondition(
            framework=copy,
            group=group_map[item.group_id],
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
        for item in framework.preconditions.all()
    )
    ScaleLevel.objects.bulk_create(
        ScaleLevel(
            framework=copy,
            value=lv.value,
            label=lv.label,
            descriptor=lv.descriptor,
            easy_read_descriptor=lv.easy_read_descriptor,
        )
        for lv in framework.scale.all()
    )
    return copy
