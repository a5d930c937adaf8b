"""Whether a repository's analysis is really under way, and analyses run here (the CLI) recorded as jobs.

"queued" and "running" on a Repository row are claims written by `actions`; a worker killed mid-analysis never
takes them back. The truth is django-tasks' own record of the job (DBTaskResult, database backend): a repository
whose newest job is finished, failed or gone, or has run longer than `stale_job_minutes` (data/jobs.yaml), is
interrupted: the pages and the API say so and offer the Analyse button again."""

from __future__ import annotations

import functools
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from pathcraft.code.models import Repository
from pathcraft.code.runs import run_analysis
from pathcraft.code.tasks import analyze_repository_task
from pathcraft.errors import InputError

DATA_FILE = Path(__file__).parent / "data" / "jobs.yaml"
INTERRUPTED = "interrupted"


@functools.cache
def stale_after(path: Path = DATA_FILE) -> timedelta:
    """How long a job may run before it counts as interrupted (data/jobs.yaml, with its reason there)."""
    try:
        minutes = yaml.safe_load(path.read_text(encoding="utf-8"))["stale_job_minutes"]["value"]
        if isinstance(minutes, bool) or not isinstance(minutes, int | float) or minutes <= 0:
            raise ValueError(f"stale_job_minutes must be a positive number, not {minutes!r}")
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: broken job data file ({type(exc).__name__}: {exc})") from exc
    return timedelta(minutes=minutes)


def _db_backend():
    """The analysis task's backend when it is django-tasks' database backend (else None: nothing to check)."""
    from django_tasks_db.backend import DatabaseBackend

    backend = analyze_repository_task.get_backend()
    return backend if isinstance(backend, DatabaseBackend) else None


def newest_job(repository):
    """The repository's most recently enqueued analysis job (a DBTaskResult), or None."""
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(
            task_path=analyze_repository_task.module_path, args_kwargs__args__0=repository.pk
        )
        .select_related("pathcraft_lease")  # the worker's lease and attempts (pathcraft/ops/jobs.py)
        .order_by("-enqueued_at")
        .first()
    )


@dataclass(frozen=True)
class JobCheck:
    interrupted: bool
    reason: str = ""
    job: object = None  # the DBTaskResult looked at, for the page's attempts and progress (ops.jobs.describe)


ALIVE = JobCheck(False)


def check(repository, now: datetime | None = None) -> JobCheck:
    """Is the row's "queued"/"running" backed by a live job? Other statuses, and task backends other than the
    database one (which keep no record to check), are taken as they are."""
    from django_tasks import TaskResultStatus

    if repository.status not in ("queued", "running") or _db_backend() is None:
        return ALIVE
    job = newest_job(repository)
    if job is None:
        return JobCheck(True, "no background job is waiting for or running it (the job queue was cleared, or the "
                              "database was restored)")  # fmt: skip
    if job.status == TaskResultStatus.READY:
        return JobCheck(False, job=job)
    lease = _lease(job)
    if job.status == TaskResultStatus.RUNNING and lease is not None and lease.lease_until is not None:
        # A worker holds it under a lease: alive however long it runs; if that worker dies, the lease runs out
        # and the job is queued again for another (pathcraft/ops/jobs.py), so the row's claim stays true.
        return JobCheck(False, job=job)
    if job.status == TaskResultStatus.RUNNING:
        limit = stale_after()
        started = job.started_at or job.enqueued_at
        if (now or timezone.now()) - started > limit:
            minutes = int(limit.total_seconds() // 60)
            return JobCheck(True, f"its job has been running for more than {minutes} minutes (started "
                                  f"{timezone.localtime(started):%Y-%m-%d %H:%M}): the worker was probably stopped "
                                  "or killed")  # fmt: skip
        return JobCheck(False, job=job)
    if job.status == TaskResultStatus.FAILED and lease is not None and lease.parked_at is not None:
        return JobCheck(
            True, f"its job was stopped after {lease.attempts} attempts ({lease.last_error})", job
        )
    if job.status == TaskResultStatus.FAILED:
        what = job.exception_class_path.rsplit(".", 1)[-1] or "an error"
        return JobCheck(True, f"its job failed ({what}) before it recorded a result; see the worker's log")
    return JobCheck(True, "its job ended without recording a result")


def _lease(job):
    """The job's ops.JobLease (None for a job run by the CLI, or by a worker from before leases)."""
    from pathcraft.ops.models import JobLease

    try:
        return job.pathcraft_lease
    except JobLease.DoesNotExist:
        return None


def effective_status(repository) -> str:
    """The status to show: the row's, or "interrupted" when no live job backs its "queued"/"running"."""
    return INTERRUPTED if check(repository).interrupted else repository.status


def run_here(repository_id: int, full: bool = False, progress: Callable[[int, int], None] | None = None):
    """Run an analysis in this process (the CLI), recorded as a job like the worker's: the pages then show it as
    running, and as interrupted if this process is killed. Returns the Repository, as actions.run_analysis."""
    if _db_backend() is None:
        return run_analysis(repository_id, full=full, progress=progress)
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():  # nobody sees the job before it is claimed, so no worker picks it up too
        queued = analyze_repository_task.enqueue(repository_id, full)
        job = DBTaskResult.objects.select_for_update().get(pk=queued.id)
        job.claim(f"pathcraft-cli:{socket.gethostname()}:{os.getpid()}")
    try:
        repository = run_analysis(repository_id, full=full, progress=progress)
    except BaseException as exc:
        job.set_failed(exc)
        raise
    job.set_successful(repository.status)
    return repository


def enqueue_analysis(repository: Repository, full: bool = False) -> Repository:
    """Queue an analysis (once: a repository already waiting is not queued twice). A repository whose job died
    (jobs.check: interrupted) is queued again whatever its row says."""
    repository.refresh_from_db(fields=["status"])
    rows = Repository.objects.filter(pk=repository.pk)
    if not check(repository).interrupted:
        rows = rows.exclude(status=Repository.Status.QUEUED)
    with transaction.atomic():  # the row says "queued" only together with its job
        if rows.update(status=Repository.Status.QUEUED, progress=0, progress_total=0, error=""):
            analyze_repository_task.enqueue(repository.pk, full)
    repository.refresh_from_db()
    return repository
