"""Background jobs of the workload app (django-tasks; `pathcraft worker` runs them).

`refresh_calendar_feeds` is periodic: every `check_every` it syncs the feeds whose own interval is due. Each feed is
claimed with a conditional UPDATE before it is fetched, so several workers share the feeds without fetching one
twice, and a feed's new analysis is stored in one transaction with its state (a killed worker stores nothing).
"""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

CHECK_EVERY = timedelta(minutes=5)  # how often due feeds are looked for; each feed has its own interval


@task()
def refresh_calendar_feeds() -> dict[str, int]:
    """Sync every due calendar feed; returns how many were stored, unchanged, failed or paused."""
    from pathcraft.workload.feeds import sync_due_feeds

    counts = {"stored": 0, "unchanged": 0, "failed": 0, "paused": 0}
    for outcome in sync_due_feeds():
        counts[outcome.result] += 1
    return counts


def periodic_tasks() -> list[tuple[str, object]]:
    return [(f"{__name__}.refresh_calendar_feeds", CHECK_EVERY)]
