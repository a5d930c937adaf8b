from django.apps import AppConfig


class WorkloadConfig(AppConfig):
    name = "pathcraft.workload"
    label = "workload"
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = [("workload", "Workload", "workload:index"), ("team-health", "Team health", "workload:team")]
