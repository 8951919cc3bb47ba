from django.contrib import admin

from assessments.models import Invitation, OutboxEmail, Rating, Response, Round


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "state", "opens_on", "closes_on", "framework"]
    list_filter = ["state", "place", "framework"]
    search_fields = ["name", "purpose", "place__name"]
    date_hierarchy = "opens_on"
    list_select_related = ["place", "framework"]


class OutboxEmailInline(admin.TabularInline):
    """An invitation's emails, read only: they are written by the pipeline alone."""

    model = OutboxEmail
    extra = 0
    can_delete = False
    fields = ["kind", "status", "attempts", "error", "created_at", "sent_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "partner",
        "perspective",
        "round",
        "revoked_at",
    ]
    list_filter = [
        "perspective",
        "round__place",
        "round",
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "email", "partner__name", "round__name"]
    list_select_related = ["partner", "round", "round__place"]
    readonly_fields = ["token_hash", "created_at", "first_opened_at"]
    raw_id_fields = ["round", "partner"]
    inlines = [OutboxEmailInline]


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "invitation__name", "error"]
    list_select_related = ["invitation"]
    raw_id_fields = ["invitation", "place_invitation", "lead_invitation", "requested_by"]
    readonly_fields = ["claimed_at", "created_at"]


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    fields = ["precondition", "answered", "score", "evidence"]
    raw_id_fields = ["precondition"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["invitation", "status", "submitted_at", "version", "updated_at"]
    list_filter = ["status", "invitation__round__place", "invitation__round"]
    search_fields = ["invitation__name", "invitation__email", "invitation__partner__name"]
    list_select_related = ["invitation", "invitation__partner", "invitation__round"]
    readonly_fields = ["version", "created_at", "updated_at"]
    raw_id_fields = ["invitation"]
    inlines = [RatingInline]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["response", "precondition", "answered", "score"]
    list_filter = ["score", "precondition__code"]
    search_fields = ["evidence", "response__invitation__partner__name"]
    list_select_related = [
        "response__invitation__partner",
        "response__invitation__round",
        "precondition",
    ]
    raw_id_fields = ["response", "precondition"]
