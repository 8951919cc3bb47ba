from django.apps import AppConfig


class WorkshopConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workshop"
    verbose_name = "Workshops"

    def ready(self) -> None:
        """Hand reports what it shows of the workshop; reports never imports this app
        (decision 0083)."""
        from reports import extras, freshness
        from workshop import selectors
        from workshop.models import Action, AgreedView

        extras.provide(extras.DASHBOARD, selectors.dashboard_context)
        extras.provide(extras.PDF, selectors.pdf_context)
        freshness.watch_place_child(Action)
        freshness.watch_round_child(AgreedView)
        freshness.watch_place_child_links(Action, "preconditions")
