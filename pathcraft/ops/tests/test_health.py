"""/healthz, /readyz and `pathcraft status`: unauthenticated, JSON, nothing personal, and honest about what is
missing (no worker, an unapplied migration, a database that does not answer)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import DatabaseError
from django.utils import timezone

from pathcraft.ops import health
from pathcraft.ops.models import WorkerHeartbeat


def _worker(seconds_ago: float) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        name=f"host:{int(seconds_ago)}", started_at=now, seen_at=now - dt.timedelta(seconds=seconds_ago)
    )


@pytest.mark.django_db
def test_healthz_answers_without_a_login_or_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"alive": True}


@pytest.mark.django_db
def test_readyz_says_no_worker_was_seen_and_answers_503(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False
    assert body["checks"]["database"]["ok"] and body["checks"]["migrations"] == {"ok": True, "unapplied": 0}
    assert (
        body["checks"]["worker"]["ok"] is False and "pathcraft worker" in body["checks"]["worker"]["reason"]
    )


@pytest.mark.django_db
def test_a_stale_heartbeat_is_not_a_live_worker_a_fresh_one_is(client):
    _worker(seconds_ago=health.worker_seen_limit().total_seconds() + 60)
    assert client.get("/readyz").status_code == 503
    _worker(seconds_ago=5)
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    worker = response.json()["checks"]["worker"]
    assert worker["workers_seen"] == 1 and worker["last_seen_seconds_ago"] < 60


@pytest.mark.django_db
def test_readyz_reports_queue_depth_and_oldest_job_age_without_task_arguments(client):
    from pathcraft.code.tasks import analyze_repository_task

    _worker(seconds_ago=1)
    analyze_repository_task.enqueue(4242, True)
    text = client.get("/readyz").content.decode()
    queue = json.loads(text)["checks"]["queue"]
    assert queue["waiting"] == 1 and queue["oldest_waiting_seconds"] is not None
    assert "4242" not in text and "analyze" not in text  # no task names or arguments
    assert (queue["running"], queue["lease_expired"], queue["parked"]) == (0, 0, 0)


@pytest.mark.django_db
def test_readyz_counts_jobs_whose_lease_expired_and_parked_jobs(client):
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from pathcraft.ops.models import JobLease
    from pathcraft.ops.tests.slow_tasks import tally

    _worker(seconds_ago=1)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    for status, lease_until, parked_at in [("RUNNING", long_ago, None), ("RUNNING", timezone.now() + dt.timedelta(
            minutes=1), None), ("FAILED", None, long_ago), ("FAILED", None, None)]:  # fmt: skip
        row = DBTaskResult.objects.get(pk=tally.enqueue("k").id)
        DBTaskResult.objects.filter(pk=row.pk).update(status=status, started_at=long_ago)
        JobLease.objects.create(result=row, attempts=1, lease_until=lease_until, parked_at=parked_at)
    queue = client.get("/readyz").json()["checks"]["queue"]
    assert (queue["running"], queue["lease_expired"], queue["parked"]) == (2, 1, 1)


@pytest.mark.django_db
def test_readyz_reports_an_unapplied_migration(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    real = MigrationExecutor.migration_plan

    def one_left(self, targets, clean_start=False):
        plan = real(self, targets, clean_start)
        migration = self.loader.graph.nodes[("ops", "0002_worker_heartbeat")]
        return [*plan, (migration, False)]

    monkeypatch.setattr(MigrationExecutor, "migration_plan", one_left)
    body = client.get("/readyz").json()
    assert body["ready"] is False
    assert body["checks"]["migrations"] == {"ok": False, "unapplied": 1, "reason": "run `pathcraft migrate`"}


@pytest.mark.django_db
def test_readyz_says_when_the_database_does_not_answer(client, monkeypatch):
    from django.db import connection

    def down():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", down)
    body = health.readiness()
    assert body == {
        "ready": False,
        "checks": {"database": {"ok": False, "reason": "the database does not answer (DatabaseError)"}},
    }


@pytest.mark.django_db
def test_the_worker_heartbeat_makes_it_ready_and_a_second_beat_updates_the_same_row():
    # (the CLI test runs a real `pathcraft worker` process and sees `pathcraft status` turn ready)
    from pathcraft.ops.worker import beat_safely

    started = timezone.now()
    beat_safely(started)
    first = WorkerHeartbeat.objects.get()
    beat_safely(started)
    assert WorkerHeartbeat.objects.count() == 1 and WorkerHeartbeat.objects.get().seen_at >= first.seen_at
    assert health.readiness()["checks"]["worker"]["ok"] is True
