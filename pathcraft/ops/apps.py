from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "pathcraft.ops"
    label = "ops"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pathcraft.ops import checks  # noqa: F401  (registers the system checks)
