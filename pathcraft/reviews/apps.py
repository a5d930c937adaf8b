from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Review load. The arrow points from here to code and workload, never back: those apps read what this one
    offers through attributes set in ready() (successors for a leave simulation, early-warning signals), found by
    looking at the installed app configs, so they import nothing from here."""

    name = "pathcraft.reviews"
    label = "reviews"
    default_auto_field = "django.db.models.BigAutoField"
    nav_items = [("reviews", "Reviews", "reviews:index")]
    # Set in ready(): callables the lower apps look for by name (see pathcraft/code/presenters.py: leave_view and
    # pathcraft/workload/health.py: person_health, team_health).
    leave_successors = None
    workload_signals = None
    workload_sections = None

    def ready(self) -> None:
        from pathcraft.reviews.offers import leave_successors, workload_sections, workload_signals

        self.leave_successors = leave_successors
        self.workload_signals = workload_signals
        self.workload_sections = workload_sections
