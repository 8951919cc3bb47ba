from django.urls import path

from assessments.views import manage, respond
from ninefold import secret_links  # noqa: F401  registers <secret:…>, see there

app_name = "assessments"
urlpatterns = [
    # The respondent's personal link. Other modules' patterns are added below it.
    path("r/<secret:token>/", respond.respond, name="respond"),
    path("r/<secret:token>/done/", respond.respond_done, name="respond_done"),
    path("r/<secret:token>/autosave/", respond.respond_autosave, name="respond_autosave"),
    # A partnership lead's rounds and invitations.
    path("places/<slug:slug>/rounds/", manage.round_list, name="round_list"),
    path("places/<slug:slug>/rounds/new/", manage.round_create, name="round_create"),
    path("places/<slug:slug>/rounds/<int:pk>/", manage.round_detail, name="round_detail"),
    path("places/<slug:slug>/rounds/<int:pk>/open/", manage.round_open, name="round_open"),
    path("places/<slug:slug>/rounds/<int:pk>/extend/", manage.round_extend, name="round_extend"),
    path(
        "places/<slug:slug>/rounds/<int:pk>/confidentiality/",
        manage.round_confidentiality,
        name="round_confidentiality",
    ),
    path("places/<slug:slug>/rounds/<int:pk>/close/", manage.round_close, name="round_close"),
    path(
        "places/<slug:slug>/rounds/<int:pk>/invitations/add/",
        manage.invitation_add,
        name="invitation_add",
    ),
    path(
        "places/<slug:slug>/rounds/<int:pk>/invitations/bulk/",
        manage.invitation_bulk,
        name="invitation_bulk",
    ),
    path(
        "places/<slug:slug>/rounds/<int:pk>/invitations/send/",
        manage.invitations_send,
        name="invitations_send",
    ),
    path(
        "places/<slug:slug>/rounds/<int:pk>/invitations/remind/",
        manage.invitations_remind,
        name="invitations_remind",
    ),
    path(
        "places/<slug:slug>/rounds/<int:pk>/invitations/<int:invitation_pk>/resend/",
        manage.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "places/<slug:slug>/rounds/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        manage.invitation_revoke,
        name="invitation_revoke",
    ),
]
