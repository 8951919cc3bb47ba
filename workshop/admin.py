from django.contrib import admin

from workshop.models import Action, AgreedView


@admin.register(AgreedView)
class AgreedViewAdmin(admin.ModelAdmin):
    list_display = ("round", "precondition", "level", "disagree", "updated_at")
    list_filter = ("round__place",)


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("what", "place", "round", "owner", "due_on", "status")
    list_filter = ("status", "place")
