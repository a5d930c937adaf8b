"""Background jobs (django-tasks, database backend; `pathcraft worker` runs them)."""

from __future__ import annotations

from django_tasks import task

from pathcraft.code.runs import run_analysis


@task()
def analyze_repository_task(repository_id: int, full: bool = False) -> str:
    """Analyse one registered repository; progress and a one-line error are stored on its row."""
    return run_analysis(repository_id, full=full).status
