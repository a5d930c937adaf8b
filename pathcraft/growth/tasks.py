"""Background jobs of the growth app (django-tasks; `pathcraft worker` runs them).

`send_reminders` is periodic: `GrowthConfig.periodic_tasks` declares it every `send_every_minutes` of
data/reminders.yaml, and the worker's scheduler enqueues it (pathcraft/ops/scheduler.py). Running it twice
sends nothing twice: each reminder is recorded in ReminderSent before it goes out.
"""

from __future__ import annotations

from django_tasks import task

from pathcraft.growth import emails


@task()
def send_reminders() -> int:
    """Send the reminder emails due now; returns how many went out."""
    return emails.send_reminders()


def periodic_tasks() -> list[tuple[str, object]]:
    """What the growth app asks the worker to run on a schedule: (task path, interval)."""
    return [(f"{__name__}.send_reminders", emails.reminder_interval())]
