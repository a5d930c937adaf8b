from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "pathcraft.feedback"
    label = "feedback"
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = [("feedback", "Feedback", "feedback:index", "person")]
