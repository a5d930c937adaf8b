"""Reminder emails go out through the worker on a schedule: the scheduler enqueues `send_reminders`, the
worker runs it, and every reminder lands exactly once — in this process (locmem outbox) and with the
real command in subprocesses (console email backend), two workers at once included."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pathcraft.growth import actions
from pathcraft.growth.models import ReminderSent
from pathcraft.ops import scheduler
from pathcraft.ops.worker import run_worker
from pathcraft.people.tests.factories import small_org

ROOT = Path(__file__).resolve().parents[3]
REMINDERS = "pathcraft.growth.tasks.send_reminders"


def pair_meeting_soon():
    """Lee and Dee: weekly since 8 weeks, the next 1:1 three hours from now. Due now: "add your points" to
    both, "overdue" to Lee (nothing held for 56 days), "motivation is stale" to both — 5 emails."""
    people = small_org()
    slot = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(hours=3)
    actions.create_relationship(people["lead"], people["dev"], started_on=slot.date() - dt.timedelta(weeks=8),
                                weekday=slot.weekday(), at=slot.time(), tz="UTC")  # fmt: skip
    return people


EXPECTED = {
    ("dee.dev@acme.test", "1:1 with Lee Lead: add your points"),
    ("lee.lead@acme.test", "1:1 with Dee Dev: add your points"),
    ("lee.lead@acme.test", "1:1 with Dee Dev is overdue"),
    ("dee.dev@acme.test", "A question is due in your 1:1s"),
    ("lee.lead@acme.test", "A question is due in your 1:1s"),
}


@pytest.fixture
def keep_signals():
    """db_worker installs its own SIGINT/SIGTERM handlers; give pytest its own back afterwards."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)
def test_tick_twice_then_the_batch_worker_sends_each_reminder_once(keep_signals, mailoutbox):
    pair_meeting_soon()
    # The group itself: `pathcraft.cli.main` misses it when `growth.cli` happened to be imported first.
    from pathcraft.growth.cli import growth

    dry = CliRunner().invoke(growth, ["remind", "--dry-run"])  # still lists, sends and records nothing
    assert dry.exit_code == 0, dry.output
    assert sorted(dry.output.splitlines()) == sorted(f"{to}: {subject}" for to, subject in EXPECTED)
    assert not mailoutbox and not ReminderSent.objects.exists()

    run_worker(batch=True, schedule=False)  # `--no-schedule`: the queue only
    assert not DBTaskResult.objects.exists() and not mailoutbox

    now = timezone.now()
    ticks = [scheduler.tick(now), scheduler.tick(now + dt.timedelta(seconds=30))]
    assert [r.enqueued for t in ticks for r in t if r.task == REMINDERS] == [True, False]
    assert DBTaskResult.objects.filter(task_path=REMINDERS).count() == 1

    run_worker(batch=True)
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == sorted(EXPECTED)
    run = DBTaskResult.objects.get(task_path=REMINDERS)
    assert (run.status, run.return_value) == ("SUCCESSFUL", 5)

    run_worker(batch=True)  # not due again yet: nothing enqueued, nothing sent
    assert DBTaskResult.objects.filter(task_path=REMINDERS).count() == 1 and len(mailoutbox) == 5

    # A quarter of an hour later the task runs again; ReminderSent keeps every email single.
    assert scheduler.tick(timezone.now() + dt.timedelta(minutes=16))[0].enqueued
    run_worker(batch=True)
    runs = DBTaskResult.objects.filter(task_path=REMINDERS).order_by("enqueued_at")
    assert [r.return_value for r in runs] == [5, 0] and len(mailoutbox) == 5


SETUP = """
import os, sys, datetime as dt
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathcraft.settings")
import django; django.setup()
from pathcraft.growth.tests.test_reminder_schedule import pair_meeting_soon
pair_meeting_soon()
"""

COUNT = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathcraft.settings")
import django; django.setup()
from django_tasks_db.models import DBTaskResult
from pathcraft.growth.models import ReminderSent
rows = DBTaskResult.objects.filter(task_path="pathcraft.growth.tasks.send_reminders")
print(rows.count(), rows.filter(status="SUCCESSFUL").count(), ReminderSent.objects.count())
"""


def test_two_real_workers_at_once_enqueue_once_and_email_once(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATHCRAFT_")}
    env.update(PATHCRAFT_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", PATHCRAFT_DATA_DIR=str(tmp_path),
               PATHCRAFT_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")  # fmt: skip
    cli = [sys.executable, "-m", "pathcraft.cli.main"]

    def run(*args):
        return subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)

    assert run(*cli, "migrate").returncode == 0
    setup = run(sys.executable, "-c", SETUP)
    assert setup.returncode == 0, setup.stderr
    dry = run(*cli, "growth", "remind", "--dry-run")
    assert dry.returncode == 0 and len(dry.stdout.splitlines()) == 5 and "Subject:" not in dry.stdout

    workers = [subprocess.Popen([*cli, "worker", "--batch"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
    outputs = [w.communicate(timeout=180) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err[-2000:] for _, err in outputs]
    subjects = [line for out, _ in outputs for line in out.splitlines() if line.startswith("Subject: ")]
    assert sorted(subjects) == sorted(f"Subject: {subject}" for _, subject in EXPECTED)
    assert run(sys.executable, "-c", COUNT).stdout.split() == [
        "1",
        "1",
        "3",
    ]  # records: before, overdue, stale

    again = run(*cli, "worker", "--batch")
    assert again.returncode == 0 and "Subject: " not in again.stdout
    assert run(*cli, "growth", "remind", "--dry-run").stdout == ""


def test_reminder_timing_comes_from_the_data_file_with_its_reasons():
    from pathcraft.growth.emails import reminder_interval, reminder_settings

    values = reminder_settings()
    assert {k: v.value for k, v in values.items()} == {
        "send_every_minutes": 15,
        "before_hours": 24,
        "after_hours": 24,
    }
    assert all(v.estimate and v.source.startswith("estimate:") for v in values.values())
    assert reminder_interval() == dt.timedelta(minutes=15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("send_every_minutes: {value: 15, estimate: true, why: x}\n", "expected exactly"),
        ("send_every_minutes: {value: 0, estimate: true, why: x}\nbefore_hours: {value: 24, source: s}\n"
         "after_hours: {value: 24, source: s}\n", "must be more than 0"),
        ("send_every_minutes: {value: 15}\nbefore_hours: {value: 24, source: s}\nafter_hours: {value: 24, source: s}\n",
         "needs a source"),
        ("send_every_minutes: [\n", "cannot read"),
    ],
)  # fmt: skip
def test_a_broken_reminders_file_is_a_clear_error(tmp_path, monkeypatch, text, message):
    from pathcraft.errors import InputError
    from pathcraft.growth import emails

    (tmp_path / "reminders.yaml").write_text(text)
    monkeypatch.setattr(emails, "DATA_DIR", tmp_path)
    emails.reminder_settings.cache_clear()
    try:
        with pytest.raises(InputError, match=message):
            emails.reminder_settings()
    finally:
        monkeypatch.undo()
        emails.reminder_settings.cache_clear()
    assert emails.reminder_settings()["send_every_minutes"].value == 15
