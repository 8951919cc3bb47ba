from django.urls import path

from reports.views import dashboard, key_messages

app_name = "reports"
urlpatterns = [
    path("rounds/<int:round_id>/dashboard/", dashboard.round_dashboard, name="dashboard"),
    path(
        "rounds/<int:round_id>/dashboard/<str:code>/",
        dashboard.precondition_detail,
        name="precondition",
    ),
    path("rounds/<int:round_id>/summary.json", dashboard.round_summary_json, name="summary_json"),
    path("trends/", dashboard.place_trends, name="trends"),
    path("rounds/<int:round_id>/key-messages/", key_messages.edit, name="key_messages"),
    path(
        "rounds/<int:round_id>/key-messages/final/",
        key_messages.finalise,
        name="key_messages_final",
    ),
    path(
        "rounds/<int:round_id>/key-messages/reopen/",
        key_messages.reopen,
        name="key_messages_reopen",
    ),
]
