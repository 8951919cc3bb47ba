from django.apps import AppConfig


class NetworksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks"
    verbose_name = "Networks comparing places"

    def ready(self) -> None:
        from networks import navigation  # noqa: F401  (connects the sign-in receiver)
