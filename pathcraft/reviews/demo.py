"""Demo: the review events of the Platform team's generated repository.

The code app's demo repository carries Reviewed-by trailers (pathcraft/code/demorepo.py): Sven reviews most of the
team's changes and Rosa most of his, so the team's load is concentrated and Sven's share stays far above an equal
one. They are stored when the code demo analyses the repository (ReviewsConfig.after_code_analysis); this module
only makes sure of it, for a demo loaded without that hook."""

from __future__ import annotations

from pathcraft.code.models import Repository
from pathcraft.reviews.actions import store_from_git
from pathcraft.reviews.trailers import read_stored_reviews


def trailer_events(path: str):
    """Every review event of the repository at PATH as the app stores them (the tests read the demo repository
    with it)."""
    return read_stored_reviews(path).events


def load_demo(org, people, rng) -> None:
    repository = Repository.objects.filter(team__organisation=org, name="platform-core").first()
    if repository is None:
        return  # the code demo did not run: nothing to read reviews from
    store_from_git(repository)
