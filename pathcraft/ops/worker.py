"""The background worker: django-tasks' database worker, with the periodic-task scheduler beside it.

The queue is run by django-tasks' own `db_worker` unchanged (it claims jobs under a lock, and on SIGTERM
finishes the job in hand and leaves queued jobs queued). The scheduler only enqueues: once before the
worker starts, then every `schedule_every` seconds from a daemon thread with its own database connection.
A tick is one short transaction, so stopping the process in the middle of one loses nothing (the
transaction is rolled back and the next tick does it again).
"""

from __future__ import annotations

import threading

import structlog
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from pathcraft.ops import health, scheduler

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


class Ticker(threading.Thread):
    """Every `every` seconds until stopped: the heartbeat, then (with `schedule`) a scheduler tick."""

    def __init__(self, every: float, started_at=None, schedule: bool = True) -> None:
        super().__init__(name="pathcraft-scheduler", daemon=True)
        self.every = every
        self.started_at = started_at or timezone.now()
        self.schedule = schedule
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                beat_safely(self.started_at)
                if self.schedule:
                    tick_safely()
            finally:
                connections.close_all()  # this thread's connections only (they are per thread)

    def stop(self) -> None:
        self.stopped.set()


def run_worker(
    *,
    batch: bool = False,
    max_tasks: int | None = None,
    interval: float = 1.0,
    schedule: bool = True,
    schedule_every: float = 30.0,
) -> None:
    """Run the queue; with `schedule`, enqueue due periodic tasks first and then on a timer."""
    started_at = timezone.now()
    beat_safely(started_at)
    if schedule:
        tick_safely()
    ticker = Ticker(schedule_every, started_at, schedule) if not batch else None
    if ticker:
        ticker.start()
    options = {
        "batch": batch,
        "interval": interval,
        "reload": False,
        "startup_delay": False,
        "queue_name": "*",
    }
    if max_tasks is not None:
        options["max_tasks"] = max_tasks
    try:
        call_command("db_worker", **options)
    finally:
        if ticker:
            ticker.stop()
