from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "pathcraft.growth"
    label = "growth"
    default_auto_field = "django.db.models.BigAutoField"
    # Administrators who are not a person have a page there too: the manager-change process.
    nav_items = [("growth", "1:1s", "growth:index", ("person", "admin"))]
    periodic_tasks: list = []  # (task path, interval) pairs for the worker's scheduler; set in ready()

    def ready(self) -> None:
        from pathcraft.growth.tasks import periodic_tasks

        # Reads data/reminders.yaml once at start-up, so a broken value fails loudly here.
        self.periodic_tasks = periodic_tasks()
