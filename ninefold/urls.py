from django.contrib import admin
from django.urls import include, path

from ninefold import home
from ninefold import views as ninefold_views
from places import views as place_views

urlpatterns = [
    path("", home.home, name="home"),
    path("about/", place_views.about, name="about"),
    # Normally answered by ninefold.health.HealthCheckMiddleware before routing.
    path("healthz", ninefold_views.healthz, name="healthz"),
    # Answers 404 unless DEBUG is on (ninefold.mail).
    path("dev/emails/", ninefold_views.sent_emails, name="dev_emails"),
    path("accounts/", include("accounts.urls")),
    path("places/", include("places.urls")),
    path("leads/", include("places.urls_leads")),
    path("places/<slug:slug>/", include("reports.urls")),
    path("places/<slug:slug>/", include("reports.urls_exports")),
    path("admin/", admin.site.urls),
    path("", include("assessments.urls")),
    path("", include("workshop.urls")),
    path("", include("networks.urls")),
]

handler400 = "ninefold.views.bad_request"
handler403 = "ninefold.views.permission_denied"
handler404 = "ninefold.views.page_not_found"
handler500 = "ninefold.views.server_error"
