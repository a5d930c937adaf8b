"""The periodic-task scheduler: apps declare tasks, a tick enqueues the due ones once, through django-tasks'
database queue; the last enqueue time lives in the database."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pathcraft.errors import PathcraftError
from pathcraft.ops import scheduler
from pathcraft.ops.models import PeriodicTaskState
from pathcraft.ops.scheduler import Periodic

pytestmark = pytest.mark.django_db

REMINDERS = "pathcraft.growth.tasks.send_reminders"
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def runs():
    return DBTaskResult.objects.filter(task_path=REMINDERS)


def reminders_tick(now):
    return next(r for r in scheduler.tick(now) if r.task == REMINDERS)


def test_growth_declares_its_reminders_every_15_minutes_from_its_data_file():
    assert {j.task: j.every for j in scheduler.declared()}[REMINDERS] == dt.timedelta(minutes=15)


def test_two_ticks_enqueue_one_task_and_remember_when():
    first, second = reminders_tick(NOW), reminders_tick(NOW + dt.timedelta(seconds=30))
    assert (first.enqueued, second.enqueued) == (True, False)
    assert second.reason.startswith("not due: enqueued at 2026-11-23T12:00:00+00:00")
    row = runs().get()
    assert row.status == "READY" and row.queue_name == "default"
    state = PeriodicTaskState.objects.get(task_path=REMINDERS)
    assert state.last_enqueued_at == NOW and state.last_result_id == str(row.id) == first.result_id


def test_a_run_still_queued_blocks_the_next_one_even_when_due():
    reminders_tick(NOW)
    later = reminders_tick(NOW + dt.timedelta(minutes=16))
    assert not later.enqueued and later.reason == "a run is already queued or running"
    assert runs().count() == 1


@pytest.mark.parametrize(
    ("status", "started_minutes_ago", "blocks"),
    [("RUNNING", 5, True), ("RUNNING", 120, False), ("SUCCESSFUL", 5, False), ("FAILED", 5, False)],
)
def test_only_a_queued_or_recently_running_run_blocks(status, started_minutes_ago, blocks):
    reminders_tick(NOW)
    later = NOW + dt.timedelta(minutes=16)
    runs().update(status=status, started_at=later - dt.timedelta(minutes=started_minutes_ago))
    assert reminders_tick(later).enqueued is not blocks
    assert runs().count() == (1 if blocks else 2)


def test_due_again_only_after_the_interval():
    reminders_tick(NOW)
    runs().update(status="SUCCESSFUL")
    assert not reminders_tick(NOW + dt.timedelta(minutes=14, seconds=59)).enqueued
    assert reminders_tick(NOW + dt.timedelta(minutes=15)).enqueued
    assert runs().count() == 2


def test_a_restarted_worker_reads_the_last_enqueue_from_the_database():
    reminders_tick(NOW)
    runs().update(status="SUCCESSFUL")
    # A new process has no memory: only the row says the task ran a minute ago.
    assert PeriodicTaskState.objects.filter(task_path=REMINDERS, last_enqueued_at=NOW).exists()
    assert not reminders_tick(NOW + dt.timedelta(minutes=1)).enqueued


def test_settings_change_the_interval_or_switch_a_task_off(settings):
    settings.PATHCRAFT_PERIODIC_TASKS = {REMINDERS: 5}
    assert {j.task: j.every for j in scheduler.declared()}[REMINDERS] == dt.timedelta(minutes=5)
    settings.PATHCRAFT_PERIODIC_TASKS = {REMINDERS: 0}
    assert REMINDERS not in {j.task for j in scheduler.declared()}
    assert not [r for r in scheduler.tick(NOW) if r.task == REMINDERS] and not runs().exists()
    settings.PATHCRAFT_PERIODIC_TASKS = {"pathcraft.nothing.here": 5}
    with pytest.raises(PathcraftError, match="which no app declares"):
        scheduler.declared()


@pytest.mark.parametrize(
    ("task", "every", "message"),
    [
        ("pathcraft.growth.emails.send_reminders", dt.timedelta(minutes=1), "not a django-tasks task"),
        ("pathcraft.growth.nothing", dt.timedelta(minutes=1), "cannot be imported"),
    ],
)
def test_a_bad_declaration_is_a_clear_error_and_enqueues_nothing(task, every, message):
    with pytest.raises(PathcraftError, match=message):
        scheduler.tick(NOW, [Periodic(task, every)])
    assert not DBTaskResult.objects.exists() and not PeriodicTaskState.objects.exists()


@pytest.mark.parametrize("every", [dt.timedelta(0), dt.timedelta(minutes=-5), 15])
def test_an_interval_must_be_a_positive_timedelta(every):
    with pytest.raises(PathcraftError, match="positive timedelta"):
        Periodic(REMINDERS, every)


def test_a_task_declared_twice_is_refused(monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("ops")
    monkeypatch.setattr(config, "periodic_tasks", [(REMINDERS, dt.timedelta(minutes=1))], raising=False)
    with pytest.raises(PathcraftError, match="declared twice"):
        scheduler.declared()


def test_with_an_immediate_backend_the_tick_runs_the_task_at_once(settings, mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert reminders_tick(NOW).enqueued
    assert not DBTaskResult.objects.exists()  # nothing queued: there is no queue to look at
    assert not reminders_tick(NOW + dt.timedelta(minutes=1)).enqueued


def test_the_schedule_is_bookkeeping_not_backed_up():
    from pathcraft.ops.backup import backed_up_models

    assert PeriodicTaskState not in backed_up_models()


def test_schedule_command_lists_and_ticks():
    from pathcraft.ops.cli import schedule

    listed = CliRunner().invoke(schedule, ["--json"])
    assert listed.exit_code == 0, listed.output
    row = next(r for r in json.loads(listed.output) if r["task"] == REMINDERS)
    assert (row["every_seconds"], row["last_enqueued_at"], row["open_runs"]) == (900, None, 0)
    ticked = CliRunner().invoke(schedule, ["--tick"])
    assert f"{REMINDERS}: enqueued" in ticked.output and "queued or running 1" in ticked.output
    assert runs().count() == 1
    again = CliRunner().invoke(schedule, ["--tick"])
    assert f"{REMINDERS}: not due" in again.output and runs().count() == 1


def test_now_defaults_to_the_clock():
    before = timezone.now()
    reminders_tick(None)
    assert PeriodicTaskState.objects.get(task_path=REMINDERS).last_enqueued_at >= before


def test_the_worker_ticks_on_a_timer_and_a_failing_tick_does_not_stop_it(monkeypatch):
    import time

    from pathcraft.ops import worker

    calls = []

    def flaky_tick():
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        return []

    monkeypatch.setattr(worker.scheduler, "tick", flaky_tick)
    ticker = worker.Ticker(0.05)
    ticker.start()
    deadline = time.monotonic() + 10
    while len(calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    ticker.stop()
    ticker.join(timeout=5)
    assert len(calls) >= 3 and not ticker.is_alive()
