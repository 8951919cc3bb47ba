from django.urls import path

from ninefold import secret_links  # noqa: F401  registers <secret:…>, see there
from places import views

app_name = "places"
urlpatterns = [
    # Fixed words first: services.RESERVED_SLUGS keeps places from taking them.
    path("new/", views.place_create, name="create"),
    path("join/<secret:token>/", views.join, name="join"),
    # "<slug:slug>/" itself, the place's page, shows its rounds: ninefold/urls.py adds it.
    path("<slug:slug>/edit/", views.place_edit, name="edit"),
    path("<slug:slug>/partners/", views.partner_list, name="partners"),
    path("<slug:slug>/partners/add-list/", views.partner_bulk, name="partners_bulk"),
    path("<slug:slug>/partners/<int:partner_id>/edit/", views.partner_edit, name="partner_edit"),
    path(
        "<slug:slug>/partners/<int:partner_id>/archive/",
        views.partner_archive,
        name="partner_archive",
    ),
    path(
        "<slug:slug>/partners/<int:partner_id>/restore/",
        views.partner_restore,
        name="partner_restore",
    ),
    path("<slug:slug>/people/", views.people, name="people"),
    path("<slug:slug>/people/<int:membership_id>/role/", views.member_role, name="member_role"),
    path(
        "<slug:slug>/people/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:slug>/activity/", views.activity, name="activity"),
]
