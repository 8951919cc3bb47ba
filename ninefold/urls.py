from django.contrib import admin
from django.urls import include, path

from places import views as place_views

urlpatterns = [
    path("", place_views.home, name="home"),
    path("about/", place_views.about, name="about"),
    path("accounts/", include("accounts.urls")),
    path("places/", include("places.urls")),
    path("places/<slug:slug>/", include("reports.urls")),
    path("places/<slug:slug>/", include("reports.urls_exports")),
    path("admin/", admin.site.urls),
    path("", include("assessments.urls")),
    path("", include("workshop.urls")),
]
