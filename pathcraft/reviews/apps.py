from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Review load. The arrow points from here to code and workload, never back: those apps find what this one
    offers as attributes of its config, set in ready(), so they import nothing from here."""

    name = "pathcraft.reviews"
    label = "reviews"
    default_auto_field = "django.db.models.BigAutoField"
    # A person sees their teams' review load; an administrator every team's (presenters.teams_of_viewer).
    nav_items = [("reviews", "Reviews", "reviews:index", ("person", "admin"))]
    # Callables the lower apps look for by name:
    leave_successors = None  # code/presenters.py offered_successors: review successors in "what if X leaves"
    after_code_analysis = (
        None  # code/runs.py after_analysis: read and store a freshly analysed repository's reviews
    )
    workload_signals = None  # workload/health.py offered_signals: the review-share early-warning signal
    workload_team_signals = (
        None  # workload/health.py offered_team_signals: reviews unevenly spread in the team
    )
    workload_sections = None  # workload/health.py offered_sections: the person's review share on their page
    profile_suggestions = (
        None  # paths/views.py offered_suggestions: review hours for the person's profile week
    )

    def ready(self) -> None:
        from pathcraft.reviews.actions import after_code_analysis
        from pathcraft.reviews.offers import (
            leave_successors,
            profile_suggestions,
            workload_sections,
            workload_signals,
            workload_team_signals,
        )

        self.leave_successors = leave_successors
        self.after_code_analysis = after_code_analysis
        self.workload_signals = workload_signals
        self.workload_team_signals = workload_team_signals
        self.workload_sections = workload_sections
        self.profile_suggestions = profile_suggestions
