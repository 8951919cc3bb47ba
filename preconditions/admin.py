from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from preconditions.models import Framework, Precondition, PreconditionGroup, ScaleLevel
from preconditions.services import framework_new_version

ADD_HELP = (
    "Step 1: name the framework, credit its source, and add its groups and its rating scale "
    "(levels 1 to 5). Then press 'Save and continue editing'. Step 2: add the items, each in "
    "one of the groups you made."
)
LOCKED_HELP = (
    "This version has been used by a round, so its texts are frozen to keep past answers "
    "meaningful. Use the action 'Make an editable new version' to change them."
)


def framework_locked(request: HttpRequest, framework: Framework) -> bool:
    """``framework.is_locked``, asked of the database at most once per request.

    The admin checks permissions many times for one page (the page itself, then each inline's
    add, change, delete and view checks, each with the parent framework), and every check would
    otherwise cost a query. The answer cannot change within one admin request: only opening a
    round locks a version.
    """
    known: dict[int, bool] = request.__dict__.setdefault("_ninefold_locked_frameworks", {})
    if framework.pk not in known:
        known[framework.pk] = framework.is_locked
    return known[framework.pk]


class _LockedWhenUsed:
    """Read-only once the framework version is used by a round beyond the draft stage."""

    def _framework(self, obj) -> Framework | None:
        if obj is None:
            return None
        return obj if isinstance(obj, Framework) else obj.framework

    def _locked(self, request: HttpRequest, obj) -> bool:
        framework = self._framework(obj)
        return framework is not None and framework_locked(request, framework)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if self._locked(request, obj):
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if self._locked(request, obj):
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]


class _LockedInline(_LockedWhenUsed):
    """Inlines of a used version take no new rows either: they would change its texts."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        if self._locked(request, obj):
            return False
        return super().has_add_permission(request, obj)  # type: ignore[misc]


class GroupInline(_LockedInline, admin.TabularInline):
    model = PreconditionGroup
    extra = 0


class ScaleInline(_LockedInline, admin.TabularInline):
    model = ScaleLevel
    extra = 0
    fields = ["value", "label", "descriptor", "easy_read_label", "easy_read_descriptor"]


class PreconditionInline(_LockedInline, admin.StackedInline):
    """The items, editable on the framework's own page once its groups exist (step 2)."""

    model = Precondition
    extra = 0
    show_change_link = True  # the longer texts (description, stories) are on the item's page
    fields = [("code", "order", "group"), "name", "summary", "easy_read_summary"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Precondition]:
        # A locked version shows each row's group as text: fetch them with the rows.
        return super().get_queryset(request).select_related("group")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name != "group":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        # Only the groups of the framework being edited.
        framework_id = request.resolver_match.kwargs.get("object_id")
        kwargs["queryset"] = PreconditionGroup.objects.filter(framework_id=framework_id)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # Every row offers the same groups: list them once (one query) rather than once per
        # row. A submitted group is still checked against the queryset above. (iter() first,
        # or list() would ask the choices for their length: a COUNT query on top.)
        field.choices = list(iter(field.choices))
        return field


@admin.register(Framework)
class FrameworkAdmin(_LockedWhenUsed, admin.ModelAdmin):
    list_display = ["name", "version", "is_default", "created_at"]
    list_filter = ["is_default"]
    search_fields = ["name", "description"]
    inlines = [GroupInline, ScaleInline, PreconditionInline]
    actions = ["make_new_version"]

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is None:  # items need groups, which exist only once step 1 is saved
            inlines = [i for i in inlines if not isinstance(i, PreconditionInline)]
        return inlines

    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "GET":
            messages.info(request, ADD_HELP)
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and framework_locked(request, obj):
            messages.info(request, LOCKED_HELP)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Make an editable new version")
    def make_new_version(self, request: HttpRequest, queryset: QuerySet[Framework]) -> None:
        for framework in queryset:
            copy = framework_new_version(framework=framework)
            self.message_user(request, f"Created {copy}.", messages.SUCCESS)


@admin.register(Precondition)
class PreconditionAdmin(_LockedWhenUsed, admin.ModelAdmin):
    list_display = ["code", "name", "group", "framework", "order"]
    list_filter = ["framework", "group__name"]
    search_fields = ["code", "name", "summary", "description"]
    list_select_related = ["group", "framework"]
    fieldsets = (
        (None, {"fields": ("framework", "group", "code", "name", "order")}),
        ("Texts", {"fields": ("summary", "easy_read_summary", "description")}),
        (
            "What it can feel like for someone using services",
            {"fields": ("vignette_situation", "vignette_in_place", "vignette_absent")},
        ),
    )
