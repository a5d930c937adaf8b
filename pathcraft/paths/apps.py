from django.apps import AppConfig


class PathsConfig(AppConfig):
    name = "pathcraft.paths"
    label = "paths"
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = [("career", "Career", "paths:index", "person")]
