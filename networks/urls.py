from django.urls import path

from networks import views

app_name = "networks"

urlpatterns = [
    path("places/<slug:slug>/networks/", views.place_networks, name="place_networks"),
    path(
        "places/<slug:slug>/networks/<slug:network_slug>/consent/",
        views.consent,
        name="consent",
    ),
    path("networks/", views.networks, name="networks"),
    path("networks/<slug:network_slug>/", views.comparison, name="comparison"),
]
