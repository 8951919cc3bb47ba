from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.privacy_notice, name="notice"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("personal-data/", views.site_requests, name="site_requests"),
    path("places/<slug:slug>/personal-data/", views.place_requests, name="place_requests"),
    path(
        "places/<slug:slug>/notes/<int:rating_id>/remove-text/",
        views.redact_note,
        name="redact_note",
    ),
]
