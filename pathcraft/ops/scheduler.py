"""Periodic tasks: apps declare them, the worker enqueues them through django-tasks when they are due.

An app declares `periodic_tasks` on its AppConfig: a list of `(task path, timedelta)` pairs (or `Periodic`
values), where the path names a django-tasks `Task` (a function decorated with `@task()`). The worker calls
`tick()`. A task is enqueued when it was not enqueued within its interval AND no run of it is queued or
running. The time of the last enqueue lives in the database (`PeriodicTaskState`), so a restarted worker,
or a second one, does not enqueue it again; the decision and the enqueue happen in one transaction on the
task's state row, locked (SQLite's immediate transactions — see settings — serialise writers; PostgreSQL
locks the row). Running the task is the queue's business: whichever worker claims it first runs it once.

Settings: `PATHCRAFT_PERIODIC_TASKS = {"task path": minutes}` overrides an app's interval; 0 switches the
task off (e.g. an installation without email).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import structlog
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from pathcraft.errors import PathcraftError

log = structlog.get_logger("pathcraft.scheduler")

# A run still RUNNING after this long is taken as abandoned (its worker was killed with SIGKILL or lost
# power): without this, one crash would stop a periodic task for good. Periodic tasks here take seconds.
ABANDONED_AFTER = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Periodic:
    """A task to enqueue every `every` (a django-tasks Task, named by its dotted path)."""

    task: str
    every: dt.timedelta

    def __post_init__(self) -> None:
        if not isinstance(self.every, dt.timedelta) or self.every <= dt.timedelta(0):
            raise PathcraftError(f"periodic task {self.task}: the interval must be a positive timedelta")


@dataclass(frozen=True)
class TickResult:
    task: str
    enqueued: bool
    reason: str
    result_id: str = ""


def declared() -> list[Periodic]:
    """Every periodic task the installed apps declare, with the settings' overrides applied."""
    found: dict[str, Periodic] = {}
    for config in apps.get_app_configs():
        for entry in getattr(config, "periodic_tasks", ()) or ():
            job = entry if isinstance(entry, Periodic) else Periodic(*entry)
            if job.task in found:
                raise PathcraftError(f"periodic task {job.task} is declared twice")
            found[job.task] = job
    for path, minutes in (getattr(settings, "PATHCRAFT_PERIODIC_TASKS", None) or {}).items():
        if path not in found:
            raise PathcraftError(f"PATHCRAFT_PERIODIC_TASKS names {path}, which no app declares")
        if not minutes:
            del found[path]
        else:
            found[path] = Periodic(path, dt.timedelta(minutes=float(minutes)))
    return sorted(found.values(), key=lambda j: j.task)


def _task(path: str):
    from django_tasks.base import Task

    try:
        task = import_string(path)
    except ImportError as exc:
        raise PathcraftError(f"periodic task {path} cannot be imported: {exc}") from None
    if not isinstance(task, Task):
        raise PathcraftError(f"periodic task {path} is not a django-tasks task (decorate it with @task())")
    return task


def _open_runs(task, now: dt.datetime):
    """Queued or running rows of this task in the database queue (None if its backend is not a database)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task.get_backend(), DatabaseBackend):
        return None
    return DBTaskResult.objects.filter(task_path=task.module_path, backend_name=task.backend).filter(
        Q(status=TaskResultStatus.READY)
        | Q(status=TaskResultStatus.RUNNING, started_at__gt=now - ABANDONED_AFTER)
    )


def _not_due(row, job: Periodic, now: dt.datetime) -> str:
    """Why the task is not due (empty when it is)."""
    if row is not None and row.last_enqueued_at and now - row.last_enqueued_at < job.every:
        return f"not due: enqueued at {row.last_enqueued_at.isoformat()}, every {job.every}"
    return ""


def _busy(task, now: dt.datetime) -> str:
    runs = _open_runs(task, now)
    return "a run is already queued or running" if runs is not None and runs.exists() else ""


def tick_one(job: Periodic, now: dt.datetime | None = None) -> TickResult:
    """Enqueue `job` if it is due and not already queued; say what happened."""
    from pathcraft.ops.models import PeriodicTaskState

    now = now or timezone.now()
    task = _task(job.task)
    # A first look without a lock: most ticks find nothing to do and need not take the write lock.
    row = PeriodicTaskState.objects.filter(task_path=job.task).first()
    reason = _not_due(row, job, now) or _busy(task, now)
    if reason:
        return TickResult(job.task, False, reason)
    if row is None:
        try:
            with transaction.atomic():
                PeriodicTaskState.objects.create(task_path=job.task)
        except IntegrityError:
            pass  # another worker created it a moment ago; the locked check below decides
    with transaction.atomic():
        row = PeriodicTaskState.objects.select_for_update().get(task_path=job.task)
        reason = _not_due(row, job, now) or _busy(task, now)
        if reason:
            return TickResult(job.task, False, reason)
        result = task.enqueue()
        row.last_enqueued_at, row.last_result_id = now, str(result.id)
        row.save(update_fields=["last_enqueued_at", "last_result_id"])
    log.info("periodic_task_enqueued", task=job.task, result_id=str(result.id))
    return TickResult(job.task, True, "enqueued", str(result.id))


def tick(now: dt.datetime | None = None, jobs: list[Periodic] | None = None) -> list[TickResult]:
    """One pass over every declared periodic task (what the worker runs on a schedule)."""
    now = now or timezone.now()
    return [tick_one(job, now) for job in (declared() if jobs is None else jobs)]


def status(now: dt.datetime | None = None) -> list[dict]:
    """Each declared task: interval, last enqueued, next due, open runs (for `pathcraft schedule`)."""
    from pathcraft.ops.models import PeriodicTaskState

    now = now or timezone.now()
    rows = {r.task_path: r for r in PeriodicTaskState.objects.all()}
    found = []
    for job in declared():
        row = rows.get(job.task)
        last = row.last_enqueued_at if row else None
        runs = _open_runs(_task(job.task), now)
        found.append({
            "task": job.task, "every_seconds": int(job.every.total_seconds()),
            "last_enqueued_at": last.isoformat() if last else None,
            "next_due_at": (last + job.every).isoformat() if last else now.isoformat(),
            "open_runs": runs.count() if runs is not None else None,
        })  # fmt: skip
    return found
