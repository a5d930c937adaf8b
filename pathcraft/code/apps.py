from django.apps import AppConfig


class CodeConfig(AppConfig):
    name = "pathcraft.code"
    label = "code"
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = [("code", "Code", "code:index")]
