"""Background jobs (django-tasks, database backend; `pathcraft worker` runs them)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from pathcraft.code.runs import run_analysis


@task()
def analyze_repository_task(repository_id: int, full: bool = False) -> str:
    """Analyse one registered repository; progress and a one-line error are stored on its row."""
    return run_analysis(repository_id, full=full).status


FETCH_EVERY = timedelta(minutes=5)  # how often due remotes are looked for; each has its own interval


def periodic_tasks() -> list[tuple[str, object]]:
    # The task lives beside the code it runs (remotes.py imports actions, which imports this module's jobs).
    return [("pathcraft.code.remotes.fetch_remote_repositories", FETCH_EVERY)]
