"""The background worker: django-tasks' database worker with leases and retries, and the periodic-task scheduler.

The queue is run by django-tasks' own worker loop (`django_tasks_db`'s `Worker`: it claims one job at a time under
a row lock, and on SIGTERM finishes the job in hand and claims nothing more). `LeasedWorker` wraps each job in
pathcraft's lease and retry rules (pathcraft/ops/jobs.py). A daemon thread with its own database connection
(`Ticker`) renews the lease of the job in hand and the worker's heartbeat every quarter lease, queues again the
jobs of workers that died, and every `schedule_every` seconds enqueues the periodic tasks that are due. Each of
those is one short transaction, so stopping the process in the middle of one loses nothing.
"""

from __future__ import annotations

import os
import socket
import threading
import time

import structlog
from django.db import connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from pathcraft.ops import health, jobs, scheduler

log = structlog.get_logger("pathcraft.worker")


def tick_safely() -> list[scheduler.TickResult]:
    """A scheduler tick that logs a failure instead of stopping the worker."""
    try:
        return scheduler.tick()
    except Exception:  # a broken declaration or a locked database must not stop the queue
        log.exception("periodic_tick_failed")
        return []


def beat_safely(started_at) -> None:
    """The worker's heartbeat (what /readyz reads); a failure is logged, never fatal."""
    try:
        health.beat(started_at)
    except Exception:
        log.exception("worker_heartbeat_failed")


def leases_safely() -> None:
    """Renew this worker's lease, then queue again the jobs whose workers died; a failure is logged."""
    try:
        jobs.renew()
        jobs.reclaim()
    except Exception:
        log.exception("job_lease_check_failed")


class Ticker(threading.Thread):
    """Every `every` seconds until stopped: the heartbeat and leases, and (with `schedule`) every `schedule_every`
    seconds a scheduler tick."""

    def __init__(
        self, every: float, started_at=None, schedule: bool = True, schedule_every: float | None = None
    ) -> None:
        super().__init__(name="pathcraft-scheduler", daemon=True)
        self.every = every
        self.schedule_every = schedule_every if schedule_every is not None else every
        self.started_at = started_at or timezone.now()
        self.schedule = schedule
        self.stopped = threading.Event()

    def run(self) -> None:
        last_tick = time.monotonic()
        while not self.stopped.wait(self.every):
            try:
                beat_safely(self.started_at)
                leases_safely()
                if self.schedule and time.monotonic() - last_tick >= self.schedule_every:
                    last_tick = time.monotonic()
                    tick_safely()
            finally:
                connections.close_all()  # this thread's connections only (they are per thread)

    def stop(self) -> None:
        self.stopped.set()


class LeasedWorker(Worker):
    """django-tasks' worker, each job run under a lease with pathcraft's retry rules (jobs.py)."""

    def run_task(self, db_task_result) -> None:
        lease = jobs.start_attempt(db_task_result.pk, self.worker_id)
        try:
            super().run_task(db_task_result)  # records success or failure on the row itself, never raises
        finally:
            jobs.finish_attempt(db_task_result.pk, self.worker_id, lease.attempts)


def new_worker_id() -> str:
    """Unique across hosts and restarts (django-tasks records it on each job it claims; at most 64 characters)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


def run_worker(
    *,
    batch: bool = False,
    max_tasks: int | None = None,
    interval: float = 1.0,
    schedule: bool = True,
    schedule_every: float = 30.0,
) -> None:
    """Run the queue; with `schedule`, enqueue due periodic tasks first and then on a timer."""
    from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS

    started_at = timezone.now()
    beat_safely(started_at)
    leases_safely()  # a restarted worker picks up what its predecessor left, without waiting for a tick
    if schedule:
        tick_safely()
    every = min(jobs.policy().renew_every, schedule_every)
    # In batch mode too: a long job's lease must be renewed, or another worker would take it over.
    ticker = Ticker(every, started_at, schedule and not batch, schedule_every)
    worker = LeasedWorker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=new_worker_id(),
        excluded_queue_names=[],
    )
    log.info("worker_started", worker=worker.worker_id, lease_seconds=jobs.policy().lease_seconds,
             max_attempts=jobs.policy().max_attempts)  # fmt: skip
    ticker.start()
    worker.configure_signals()
    try:
        worker.run()
    finally:
        ticker.stop()
