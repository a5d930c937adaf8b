from django.apps import AppConfig


class CodeConfig(AppConfig):
    name = "pathcraft.code"
    label = "code"
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = [("code", "Code", "code:index", "anyone")]
    periodic_tasks: list = []  # (task path, interval) pairs for the worker's scheduler; set in ready()

    def ready(self) -> None:
        from pathcraft.code.tasks import periodic_tasks

        self.periodic_tasks = periodic_tasks()

    def schedule_rows(self) -> list[dict]:
        """Each remote repository's next fetch, listed by `pathcraft schedule`."""
        from pathcraft.code.remotes import schedule_rows

        return schedule_rows()
