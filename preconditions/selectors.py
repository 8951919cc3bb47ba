from __future__ import annotations

from django.db.models import Prefetch

from preconditions.models import Framework, Precondition


def default_framework_with_items() -> Framework | None:
    """The default framework with groups, preconditions and scale prefetched (4 queries)."""
    return (
        Framework.objects.filter(is_default=True)
        .prefetch_related(
            "groups",
            Prefetch("preconditions", queryset=Precondition.objects.select_related("group")),
            "scale",
        )
        .first()
    )
