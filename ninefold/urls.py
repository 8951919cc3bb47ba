from django.contrib import admin
from django.urls import include, path

import places.urls
from assessments.views.place import place_detail
from ninefold import home
from ninefold import views as ninefold_views
from places import views as place_views

# The place's own page shows its rounds, so it is an assessments view (places never imports
# assessments, decision 0083); here it joins the other places URLs under its usual name.
places_urls = [*places.urls.urlpatterns, path("<slug:slug>/", place_detail, name="detail")]

urlpatterns = [
    path("", home.home, name="home"),
    path("about/", place_views.about, name="about"),
    # Normally answered by ninefold.health.HealthCheckMiddleware before routing.
    path("healthz", ninefold_views.healthz, name="healthz"),
    # Answers 404 unless DEBUG is on (ninefold.mail).
    path("dev/emails/", ninefold_views.sent_emails, name="dev_emails"),
    path("accounts/", include("accounts.urls")),
    path("", include("privacy.urls")),
    path("places/", include((places_urls, "places"))),
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
