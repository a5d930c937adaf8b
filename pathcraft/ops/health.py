"""Health and readiness: what `/healthz`, `/readyz` and `pathcraft status` report.

Nothing personal: counts, ages and yes/no answers only (no names, no task arguments, no errors' text).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from functools import cache
from pathlib import Path

import yaml
from django.db import DatabaseError, connection
from django.utils import timezone

DATA_FILE = Path(__file__).parent / "data" / "health.yaml"


@cache
def worker_seen_limit() -> dt.timedelta:
    entry = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))["worker_seen_minutes"]
    minutes = float(os.environ.get(entry["env"], entry["value"]))
    return dt.timedelta(minutes=minutes)


def beat(started_at: dt.datetime) -> None:
    """Record that this worker process is alive (called by the worker at start and every scheduler interval)."""
    from pathcraft.ops.models import WorkerHeartbeat

    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        name=f"{socket.gethostname()}:{os.getpid()}", defaults={"seen_at": now, "started_at": started_at}
    )


def _seconds(delta: dt.timedelta | None) -> float | None:
    return None if delta is None else round(delta.total_seconds(), 1)


def readiness(now: dt.datetime | None = None) -> dict:
    """{"ready": bool, "checks": {...}}: the database answers, every migration is applied, a worker was seen
    within the limit; the queue's depth and oldest waiting job's age are reported, not judged."""
    now = now or timezone.now()
    checks: dict[str, dict] = {}
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True}
    except DatabaseError as exc:
        checks["database"] = {"ok": False, "reason": f"the database does not answer ({type(exc).__name__})"}
        return {"ready": False, "checks": checks}

    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    checks["migrations"] = {"ok": not unapplied, "unapplied": len(unapplied)}
    if unapplied:
        checks["migrations"]["reason"] = "run `pathcraft migrate`"
        checks["worker"] = {"ok": False, "reason": "not checked before the migrations are applied"}
        return {"ready": False, "checks": checks}

    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from pathcraft.ops.models import WorkerHeartbeat

    limit = worker_seen_limit()
    last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    alive = WorkerHeartbeat.objects.filter(seen_at__gte=now - limit).count()
    checks["worker"] = {
        "ok": alive > 0,
        "workers_seen": alive,
        "last_seen_seconds_ago": _seconds(now - last) if last else None,
        "limit_seconds": _seconds(limit),
    }
    if not alive:
        checks["worker"]["reason"] = (
            f"no worker seen in the last {limit.total_seconds() / 60:g} minutes: start `pathcraft worker`"
        )
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    checks["queue"] = {
        "ok": True,
        "waiting": waiting.count(),
        "running": running.count(),
        # Running jobs whose worker stopped renewing the lease: the next worker's look queues them again.
        "lease_expired": running.filter(pathcraft_lease__lease_until__lt=now).count(),
        # Failed max_attempts times (or bad input): `pathcraft jobs --state parked` says why.
        "parked": DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, pathcraft_lease__parked_at__isnull=False
        ).count(),
        "oldest_waiting_seconds": _seconds(now - oldest) if oldest else None,
    }
    return {"ready": all(c["ok"] for c in checks.values()), "checks": checks}
