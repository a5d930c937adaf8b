from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "pathcraft.growth"
    label = "growth"
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = [("growth", "1:1s", "growth:index")]
