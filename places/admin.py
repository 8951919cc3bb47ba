from django.contrib import admin

from places.models import ActivityLog, Membership, Partner, Place


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    fields = ["name", "sector", "archived_at"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PartnerInline, MembershipInline]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "sector", "archived_at"]
    list_filter = ["sector", ("archived_at", admin.EmptyFieldListFilter), "place"]
    search_fields = ["name", "place__name"]
    list_select_related = ["place"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "place", "role", "created_at"]
    list_filter = ["role", "place"]
    search_fields = ["user__email", "user__full_name", "place__name"]
    list_select_related = ["user", "place"]
    autocomplete_fields = ["user", "place"]


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "place", "actor", "verb", "description"]
    list_filter = ["verb", "place"]
    search_fields = ["description", "actor__email"]
    list_select_related = ["place", "actor"]
    readonly_fields = ["place", "actor", "verb", "description", "created_at"]
