"""Report and export downloads, mounted under places/<slug>/ by ninefold/urls.py."""

from django.urls import path

from reports.views import exports as views

app_name = "exports"
urlpatterns = [
    path("rounds/<int:round_id>/report.pdf", views.round_report, name="round_pdf"),
    path("rounds/<int:round_id>/export/", views.export_page, name="export"),
    path("rounds/<int:round_id>/ratings.csv", views.ratings_csv, name="ratings_csv"),
    path("rounds/<int:round_id>/ratings.xlsx", views.ratings_xlsx, name="ratings_xlsx"),
    path("rounds/<int:round_id>/summary.csv", views.summary_csv, name="summary_csv"),
    path("comparison.pdf", views.comparison_report, name="comparison_pdf"),
]
