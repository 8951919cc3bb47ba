from django.contrib import admin

from networks.models import Network, NetworkPlace


class NetworkPlaceInline(admin.TabularInline):
    model = NetworkPlace
    extra = 1
    # Consent is the place lead's to give, on the place's networks page, never an admin's.
    readonly_fields = ("consent_share", "consent_named", "consented_by", "consented_at")


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("members",)
    inlines = [NetworkPlaceInline]
