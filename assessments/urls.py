from django.urls import path

from assessments.views import respond

app_name = "assessments"
urlpatterns = [
    # The respondent's personal link. Other modules' patterns are added below it.
    path("r/<str:token>/", respond.respond, name="respond"),
    path("r/<str:token>/done/", respond.respond_done, name="respond_done"),
    path("r/<str:token>/autosave/", respond.respond_autosave, name="respond_autosave"),
]
