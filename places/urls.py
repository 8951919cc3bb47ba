from django.urls import path

from places import views

app_name = "places"
urlpatterns = [
    path("<slug:slug>/", views.place_detail, name="detail"),
]
