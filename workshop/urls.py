from django.urls import path

from workshop import views

app_name = "workshop"

_round = "places/<slug:slug>/rounds/<int:round_id>/workshop/"
urlpatterns = [
    path(_round, views.start, name="start"),
    path(_round + "summary/", views.summary, name="summary"),
    path(_round + "<str:code>/", views.step, name="step"),
    path(_round + "<str:code>/agreed-view/", views.record_view, name="record_view"),
    path(_round + "<str:code>/actions/", views.add_action, name="add_action"),
    path(
        "places/<slug:slug>/actions/<int:action_id>/status/",
        views.action_status,
        name="action_status",
    ),
]
