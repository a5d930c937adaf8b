"""Leases, retries and parking applied to django-tasks' queue rows (jobs.py), in one process; the real worker
processes are in test_worker_scale.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pathcraft.ops import jobs
from pathcraft.ops.models import JobLease
from pathcraft.ops.tests.slow_tasks import fail_with, tally

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(seconds=jobs.policy().lease_seconds)


@pytest.fixture(autouse=True)
def _nothing_in_hand():
    yield
    jobs._in_hand.clear()  # start_attempt marks the job this process holds; each test starts empty


def claimed(worker="w1", at=NOW, task=tally, args=("k",)):
    """A job as django-tasks' worker leaves it after a claim, and pathcraft's start of the attempt."""
    row = DBTaskResult.objects.get(pk=task.enqueue(*args).id)
    row.claim(worker)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=at)
    jobs.start_attempt(row.pk, worker, now=at)
    return row


def held(row):
    lease = JobLease.objects.get(pk=row.pk)
    return lease.worker_id, lease.attempts


def fail(row, exc):
    row.set_failed(exc)
    return jobs.finish_attempt(row.pk, *held(row), now=NOW)


def test_a_live_lease_is_left_alone_and_an_expired_one_is_queued_again():
    row = claimed()
    assert jobs.reclaim(NOW + LEASE / 2) == []
    (taken,) = jobs.reclaim(NOW + LEASE + dt.timedelta(seconds=1))
    assert (taken.worker_id, taken.attempts, taken.parked) == ("w1", 1, False)
    row.refresh_from_db()
    lease = JobLease.objects.get(pk=row.pk)
    assert row.status == TaskResultStatus.READY and lease.lease_until is None
    assert lease.last_error == "attempt 1: worker w1 stopped renewing its lease (killed or lost)"
    assert jobs.describe(row, NOW)["state"] == "retrying"


def test_a_job_claimed_a_moment_ago_is_not_taken_for_its_previous_attempts_expired_lease():
    row = claimed()
    JobLease.objects.filter(pk=row.pk).update(lease_until=NOW - LEASE)  # the old attempt's, not yet renewed
    assert jobs.reclaim(NOW + dt.timedelta(seconds=1)) == []


def test_the_last_attempt_whose_worker_died_is_parked_with_the_reason():
    row = claimed()
    for attempt in (2, 3):
        jobs.reclaim(NOW + LEASE * attempt)
        row.refresh_from_db()
        row.claim(f"w{attempt}")
        DBTaskResult.objects.filter(pk=row.pk).update(started_at=NOW + LEASE * attempt)
        jobs.start_attempt(row.pk, f"w{attempt}", now=NOW + LEASE * attempt)
    (taken,) = jobs.reclaim(NOW + LEASE * 5)
    assert taken.parked and taken.attempts == 3
    row.refresh_from_db()
    assert (
        row.status == TaskResultStatus.FAILED
        and row.exception_class_path == "pathcraft.ops.jobs.LeaseExpired"
    )
    shown = jobs.describe(row, NOW + LEASE * 5)
    assert (shown["state"], shown["attempts"], shown["max_attempts"]) == ("parked", 3, 3)
    assert shown["error"] == "attempt 3: worker w3 stopped renewing its lease (killed or lost)"
    assert jobs.reclaim(NOW + LEASE * 9) == [], "a parked job stays parked"


def test_an_error_is_retried_later_then_parked_and_bad_input_is_parked_at_once():
    row = claimed(task=fail_with, args=("boom",))
    assert fail(row, ValueError("boom")) == "retry"
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    assert row.run_after == NOW + dt.timedelta(seconds=jobs.policy().retry_delay(1))
    shown = jobs.describe(row, NOW)
    assert (shown["state"], shown["error"], shown["next_try_at"]) == (
        "retrying", "ValueError: boom", row.run_after.isoformat()
    )  # fmt: skip
    for attempt in (2, 3):
        row.claim(f"w{attempt}")
        jobs.start_attempt(row.pk, f"w{attempt}", now=NOW)
        assert fail(row, ValueError("boom")) == ("retry" if attempt < 3 else "parked")
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED and jobs.describe(row)["state"] == "parked"

    from pathcraft.errors import InputError

    bad = claimed(task=fail_with, args=("no BEGIN:VCALENDAR", True))
    assert fail(bad, InputError("no BEGIN:VCALENDAR")) == "parked"
    assert JobLease.objects.get(pk=bad.pk).attempts == 1


def test_success_ends_the_lease_and_a_finished_job_is_no_longer_renewed():
    row = claimed()
    assert jobs.renew(NOW + dt.timedelta(seconds=5))
    assert JobLease.objects.get(pk=row.pk).lease_until == NOW + dt.timedelta(seconds=5) + LEASE
    row.set_successful("k counted")
    assert jobs.finish_attempt(row.pk, *held(row), now=NOW) == "done"
    assert JobLease.objects.get(pk=row.pk).lease_until is None
    assert not jobs.renew(NOW + dt.timedelta(seconds=6)), "nothing in hand"
    assert jobs.describe(DBTaskResult.objects.get(pk=row.pk))["state"] == "done"


def test_progress_tells_a_stalled_job_from_a_slow_one(monkeypatch):
    row = claimed()
    stalled_after = dt.timedelta(seconds=jobs.policy().stalled_after_seconds)
    later = NOW + stalled_after + dt.timedelta(seconds=1)
    assert jobs.describe(row, later)["state"] == "stalled"
    monkeypatch.setattr(jobs, "_last_progress", [0.0])
    jobs.report_progress(now=later)
    row = DBTaskResult.objects.get(pk=row.pk)
    shown = jobs.describe(row, later + dt.timedelta(seconds=1))
    assert (shown["state"], shown["progress_at"], shown["stalled"]) == ("running", later.isoformat(), False)
    jobs.finish_attempt(row.pk, *held(row), now=later)


def test_the_job_list_never_shows_arguments_and_filters_by_state():
    from django.utils import timezone

    claimed(args=("alice@example.com",), at=timezone.now())
    tally.enqueue("bob@example.com")
    listed = jobs.recent()
    assert [j["state"] for j in listed] == ["queued", "running"]
    assert "example.com" not in repr(listed)
    assert [j["state"] for j in jobs.recent(("running",))] == ["running"]
    assert len(jobs.recent(limit=1)) == 1


def test_the_jobs_command_lists_states_and_refuses_an_unknown_one():
    from click.testing import CliRunner

    from pathcraft.ops.cli import jobs as jobs_command

    runner = CliRunner()
    assert "stalled" in runner.invoke(jobs_command, ["--help"]).output
    assert runner.invoke(jobs_command, ["--state", "parked"]).output == "no jobs in state parked\n"
    row = claimed(task=fail_with, args=("boom",))
    fail(row, ValueError("boom"))
    shown = runner.invoke(jobs_command, []).output
    assert shown.startswith(f"{row.pk}  retrying  fail_with  attempt 1/3, next try at ")
    assert shown.rstrip().endswith(": ValueError: boom")
    refused = runner.invoke(jobs_command, ["--state", "lost"])
    assert refused.exit_code == 2 and "'lost' is not one of" in refused.output


def test_a_worker_that_only_looked_dead_does_not_end_the_new_holders_lease():
    row = claimed(worker="w1")
    jobs.reclaim(NOW + LEASE * 2)
    row.refresh_from_db()
    row.claim("w2")
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=NOW + LEASE * 2)
    jobs.start_attempt(row.pk, "w2", now=NOW + LEASE * 2)
    row.set_successful("k counted")  # w1 comes back and finishes its attempt late
    assert jobs.finish_attempt(row.pk, "w1", 1, now=NOW + LEASE * 2) == "lost"
    lease = JobLease.objects.get(pk=row.pk)
    assert (lease.worker_id, lease.attempts) == ("w2", 2) and lease.lease_until is not None, (
        "w2 keeps its lease"
    )
