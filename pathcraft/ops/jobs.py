"""Background jobs at scale: leases, retries, parking and progress, on top of django-tasks' database queue.

django-tasks' worker claims a job by locking its row (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, an
exclusive transaction on SQLite), marking it RUNNING and committing: exactly one worker gets it. It never takes a
claim back, and a job that raised is simply FAILED. pathcraft adds, in one `JobLease` row per job:

* a lease: the worker renews `lease_until` every quarter lease while it holds the job; a RUNNING job whose lease
  ran out (its worker was SIGKILLed, its host died) is queued again by whichever worker looks next (`reclaim`);
* retries: a job that raised is queued again after a delay, until `max_attempts`; bad input (a PathcraftError)
  and the last attempt are parked: FAILED, with a one-line error that pages, the API and `pathcraft jobs` show;
* progress: `report_progress()` from inside a job stamps `progress_at`, so a stalled job is told from a slow one.

A job may therefore run more than once (a worker that only looked dead, a retry after an error): jobs write their
state in one transaction at the end, or resume from their last committed step. The numbers: data/jobs.yaml.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from dataclasses import dataclass

import structlog
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from pathcraft.errors import PathcraftError
from pathcraft.ops.job_policy import JobPolicy, default_policy, one_line_error
from pathcraft.ops.models import JobLease

log = structlog.get_logger("pathcraft.jobs")

# The job this process is running now (a worker runs one at a time): what the lease renewal and report_progress
# act on. Set and cleared by the worker's thread, read by the renewal thread.
_in_hand: dict = {}
_in_hand_lock = threading.Lock()
_PROGRESS_EVERY = 1.0  # seconds: report_progress writes at most this often (a job may report per commit)
_last_progress = [0.0]


@functools.cache
def policy() -> JobPolicy:
    """The lease and retry numbers (data/jobs.yaml, environment overrides), read once per process."""
    return default_policy()


def _statuses():
    from django_tasks import TaskResultStatus

    return TaskResultStatus


def _results():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects


def start_attempt(result_id, worker_id: str, now: dt.datetime | None = None) -> JobLease:
    """Record that WORKER_ID has just claimed job RESULT_ID: one more attempt, a fresh lease, progress now."""
    now = now or timezone.now()
    until = now + dt.timedelta(seconds=policy().lease_seconds)
    # No race to guard against: only the worker that has just claimed the job (exclusively) gets here.
    again = JobLease.objects.filter(result_id=result_id)
    if again.update(attempts=F("attempts") + 1, worker_id=worker_id, lease_until=until, progress_at=now):
        lease = again.get()
    else:
        lease = JobLease.objects.create(
            result_id=result_id, attempts=1, worker_id=worker_id, lease_until=until, progress_at=now
        )
    with _in_hand_lock:
        _in_hand.update(result_id=str(result_id), worker_id=worker_id, attempt=lease.attempts)
    _last_progress[0] = 0.0
    log.info("job_started", job=str(result_id), attempt=lease.attempts, worker=worker_id)
    return lease


def _is_permanent(exception_class_path: str) -> bool:
    """Bad input fails the same way every time: a PathcraftError (or an exception we cannot even import)."""
    try:
        exc_class = import_string(exception_class_path)
    except ImportError:
        return False
    return isinstance(exc_class, type) and issubclass(exc_class, PathcraftError)


def finish_attempt(result_id, worker_id: str, attempt: int, now: dt.datetime | None = None) -> str:
    """After WORKER_ID ran attempt number ATTEMPT of job RESULT_ID: end the lease; a failure is retried later or
    parked. Returns what happened: "done", "retry", "parked", or "lost" when the lease had been taken over by
    another worker meanwhile (this one looked dead): that attempt's lease is then left alone."""
    with _in_hand_lock:
        if _in_hand.get("result_id") == str(result_id):
            _in_hand.clear()
    now = now or timezone.now()
    statuses = _statuses()
    mine = JobLease.objects.filter(result_id=result_id, worker_id=worker_id, attempts=attempt)
    status = _results().filter(pk=result_id).values_list("status", flat=True).first()
    if status != statuses.FAILED and mine.update(lease_until=None):
        return "done"  # the common case in two statements: the job's row is final, only the lease ends
    with transaction.atomic():
        job = _results().select_for_update().get(pk=result_id)
        lease = JobLease.objects.select_for_update().get(result_id=result_id)
        if (lease.worker_id, lease.attempts) != (worker_id, attempt):
            log.warning("job_lease_lost", job=str(result_id), worker=worker_id, attempt=attempt,
                        holder=lease.worker_id, holder_attempt=lease.attempts)  # fmt: skip
            return "lost"
        lease.lease_until = None
        if job.status != statuses.FAILED:
            lease.save(update_fields=["lease_until"])
            return "done"
        lease.last_error = one_line_error(job.traceback)
        rules = policy()
        decision = rules.after_failure(lease.attempts, _is_permanent(job.exception_class_path))
        if decision == "retry":
            job.status, job.finished_at = statuses.READY, None
            job.run_after = now + dt.timedelta(seconds=rules.retry_delay(lease.attempts))
            job.save(update_fields=["status", "finished_at", "run_after"])
        else:
            lease.parked_at = now
        lease.save(update_fields=["lease_until", "last_error", "parked_at"])
    decision = "retry" if decision == "retry" else "parked"
    log.warning(
        "job_failed", job=str(result_id), attempt=lease.attempts, then=decision, error=lease.last_error
    )
    return decision


def renew(now: dt.datetime | None = None) -> bool:
    """Extend the lease of the job this process holds (the worker's renewal thread calls it)."""
    with _in_hand_lock:
        held = dict(_in_hand)
    if not held:
        return False
    now = now or timezone.now()
    until = now + dt.timedelta(seconds=policy().lease_seconds)
    return bool(
        JobLease.objects.filter(result_id=held["result_id"], worker_id=held["worker_id"]).update(
            lease_until=until
        )
    )


def report_progress(now: dt.datetime | None = None) -> None:
    """Called from inside a job when it has made progress: stamps its `progress_at` (at most once a second).
    Outside a worker (the CLI, tests) there is no job in hand and nothing happens."""
    with _in_hand_lock:
        held = dict(_in_hand)
    if not held or time.monotonic() - _last_progress[0] < _PROGRESS_EVERY:
        return
    _last_progress[0] = time.monotonic()
    JobLease.objects.filter(result_id=held["result_id"]).update(progress_at=now or timezone.now())


@dataclass(frozen=True)
class Reclaimed:
    result_id: str
    worker_id: str
    attempts: int
    parked: bool


def reclaim(now: dt.datetime | None = None) -> list[Reclaimed]:
    """Queue again every RUNNING job whose lease ran out (park it when it used its last attempt). Any worker may
    call this; the rows are locked and skipped when another worker is reclaiming them at the same moment."""
    now = now or timezone.now()
    statuses = _statuses()
    rules = policy()
    found: list[Reclaimed] = []
    with transaction.atomic():
        # started_at too: a job claimed a moment ago still carries its previous attempt's expired lease until
        # start_attempt renews it.
        expired = (
            _results()
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("pathcraft_lease")
            .filter(status=statuses.RUNNING, pathcraft_lease__lease_until__lt=now)
            .filter(started_at__lt=now - dt.timedelta(seconds=rules.lease_seconds))
        )
        for job in expired:
            lease = job.pathcraft_lease
            error = f"attempt {lease.attempts}: worker {lease.worker_id} stopped renewing its lease (killed or lost)"
            parked = lease.attempts >= rules.max_attempts
            if parked:
                job.status, job.finished_at = statuses.FAILED, now
                job.exception_class_path = f"{__name__}.LeaseExpired"
                job.traceback = f"{__name__}.LeaseExpired: {error}"
                job.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
            else:
                job.status = statuses.READY
                job.save(update_fields=["status"])
            JobLease.objects.filter(pk=lease.pk).update(
                lease_until=None, last_error=error, parked_at=now if parked else None
            )
            found.append(Reclaimed(str(job.pk), lease.worker_id, lease.attempts, parked))
    for item in found:
        log.warning("job_lease_expired", job=item.result_id, worker=item.worker_id, attempt=item.attempts,
                    then="parked" if item.parked else "queued again")  # fmt: skip
    return found


class LeaseExpired(Exception):  # noqa: N818 - the name is what users read as the parked job's error
    """The worker holding a job stopped renewing its lease `max_attempts` times."""


# ---- what the pages, the API and the CLI show -------------------------------------------------------------------

STATES = ("queued", "retrying", "running", "stalled", "done", "failed", "parked")


def describe(job, now: dt.datetime | None = None) -> dict:
    """One job's state for people: never its arguments (they may name a person) nor its traceback."""
    now = now or timezone.now()
    statuses = _statuses()
    rules = policy()
    try:
        lease = job.pathcraft_lease
    except JobLease.DoesNotExist:
        lease = None
    attempts = lease.attempts if lease else len(job.worker_ids or ())
    progress_at = lease.progress_at if lease else None
    stalled = False
    if job.status == statuses.READY:
        state = "retrying" if attempts else "queued"
    elif job.status == statuses.RUNNING:
        since = progress_at or job.started_at
        stalled = bool(since and (now - since).total_seconds() > rules.stalled_after_seconds)
        state = "stalled" if stalled else "running"
    elif job.status == statuses.FAILED:
        state = "parked" if lease and lease.parked_at else "failed"
    else:
        state = "done"
    error = (lease.last_error if lease else "") or (
        one_line_error(job.traceback) if job.status == statuses.FAILED else ""
    )
    run_after = job.run_after if job.status == statuses.READY and job.run_after.year < 9999 else None

    def iso(value):
        return value.isoformat() if value else None

    return {
        "id": str(job.pk),
        "task": job.task_path.rsplit(".", 1)[-1],
        "task_path": job.task_path,
        "state": state,
        "attempts": attempts,
        "max_attempts": rules.max_attempts,
        "enqueued_at": iso(job.enqueued_at),
        "started_at": iso(job.started_at),
        "progress_at": iso(progress_at),
        "lease_until": iso(lease.lease_until if lease else None),
        "next_try_at": iso(run_after),
        "finished_at": iso(job.finished_at),
        "stalled": stalled,
        "error": error if state in ("retrying", "failed", "parked") or (state != "done" and error) else "",
    }


def recent(states: tuple[str, ...] = (), limit: int = 50, now: dt.datetime | None = None) -> list[dict]:
    """The newest jobs (at most LIMIT), optionally only those in STATES; one query whatever the LIMIT."""
    found = []
    for item in _matching(states, now):
        found.append(item)
        if len(found) >= limit:
            break
    return found


def count(states: tuple[str, ...] = (), now: dt.datetime | None = None) -> int:
    """How many jobs are in STATES (all jobs without): one COUNT, or with states a pass over the candidates,
    since stalled, retrying and parked are told apart from their lease and attempts, not by a column."""
    if not states:
        return _results().count()
    return sum(1 for _ in _matching(states, now))


def _matching(states: tuple[str, ...], now: dt.datetime | None):
    rows = _results().select_related("pathcraft_lease").order_by("-enqueued_at")
    statuses = _statuses()
    wanted = {
        "queued": statuses.READY, "retrying": statuses.READY, "running": statuses.RUNNING,
        "stalled": statuses.RUNNING, "done": statuses.SUCCESSFUL, "failed": statuses.FAILED,
        "parked": statuses.FAILED,
    }  # fmt: skip
    if states:
        rows = rows.filter(status__in={wanted[s] for s in states})
    for job in rows.iterator(chunk_size=200):
        item = describe(job, now)
        if not states or item["state"] in states:
            yield item
