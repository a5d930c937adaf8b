from django.apps import AppConfig


class WorkloadConfig(AppConfig):
    name = "pathcraft.workload"
    label = "workload"
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = [
        ("workload", "Workload", "workload:index", "person"),
        ("team-health", "Team health", "workload:team", "manager"),
    ]
    periodic_tasks: list = []  # (task path, interval) pairs for the worker's scheduler; set in ready()

    def ready(self) -> None:
        from pathcraft.workload.tasks import periodic_tasks

        self.periodic_tasks = periodic_tasks()

    def schedule_rows(self) -> list[dict]:
        """Each calendar feed's next run, listed by `pathcraft schedule` under the periodic tasks."""
        from pathcraft.workload.feeds import schedule_rows

        return schedule_rows()
