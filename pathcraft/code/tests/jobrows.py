"""Real django-tasks job rows (DBTaskResult, database backend) in each state, for a repository's analysis."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pathcraft.code.models import Repository
from pathcraft.code.tasks import analyze_repository_task

READY, RUNNING, SUCCESSFUL, FAILED = "READY", "RUNNING", "SUCCESSFUL", "FAILED"


def job_row(repository: Repository, state: str, started_minutes_ago: float = 1) -> DBTaskResult:
    """Enqueue the repository's analysis as the app does, then take the job to STATE the way a worker would."""
    queued = analyze_repository_task.enqueue(repository.pk, False)
    job = DBTaskResult.objects.get(pk=queued.id)
    if state == READY:
        return job
    job.claim("test-worker")
    DBTaskResult.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago)
    )
    job.refresh_from_db()
    if state == SUCCESSFUL:
        job.set_successful("done")
    elif state == FAILED:
        try:
            raise MemoryError("the worker ran out of memory")
        except MemoryError as exc:
            job.set_failed(exc)
    return job
