"""Site administrators invite partnership leads, who then set up their places (decision 0024)."""

from django.urls import path

from ninefold import secret_links  # noqa: F401  registers <secret:…>, see there
from places import views

app_name = "leads"
urlpatterns = [
    path("", views.lead_invitations, name="invitations"),
    path("<int:invitation_id>/resend/", views.lead_invitation_resend, name="resend"),
    path("<int:invitation_id>/withdraw/", views.lead_invitation_revoke, name="revoke"),
    path("join/<secret:token>/", views.lead_join, name="join"),
]
