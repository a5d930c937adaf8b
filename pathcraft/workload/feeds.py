"""Live calendar feeds: connect, refresh on the worker, keep the last good analysis when a fetch fails.

A sync is one fetch (feed_fetch.py, pure) and, only when the calendar changed, one analysis stored as a
CalendarImport — in one transaction with the feed's new state, so a worker killed in the middle stores nothing
and the next run does it again. A failure never touches the stored analyses: it records the reason, counts it,
and after `failures_before_pause` in a row pauses the feed until the person resumes it.

Workers claim a due feed by moving its next_run_at forward with a conditional UPDATE (the row only moves if nobody
else moved it first), so any number of workers never fetch the same feed twice at once, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass

import structlog
from django.db import transaction
from django.utils import timezone

from pathcraft.errors import InputError
from pathcraft.people.models import Person
from pathcraft.workload import actions
from pathcraft.workload.defaults import feed_defaults
from pathcraft.workload.feed_fetch import (
    CalDAVAccount,
    FeedError,
    FeedLimits,
    display_url,
    fetch_caldav,
    fetch_ics,
    normalise_url,
)
from pathcraft.workload.models import CalendarFeed, CalendarImport

log = structlog.get_logger(__name__)
KEEP_IMPORTS_PER_FEED = 3  # the newest analyses of a feed; older ones only repeat the same weeks
CLAIM_MINUTES = 10  # a claimed feed is not offered to another worker for this long (longer than any fetch)


def limits() -> FeedLimits:
    d = feed_defaults()
    return FeedLimits(
        timeout_seconds=d["timeout_seconds"],
        max_bytes=d["max_bytes"],
        max_redirects=d["max_redirects"],
        allow_private=allow_private_addresses(),
    )


def allow_private_addresses() -> bool:
    """Loopback and private addresses are fetched on a laptop; in production only when an admin allows it."""
    value = os.environ.get("PATHCRAFT_FEED_ALLOW_PRIVATE")
    if value not in (None, ""):
        return value.strip().lower() in ("1", "true", "yes", "on")
    from django.conf import settings

    return not getattr(settings, "PRODUCTION", False)


def _interval(minutes: int | None) -> int:
    d = feed_defaults()
    if minutes is None:
        return d["default_interval_minutes"]
    if minutes < d["min_interval_minutes"]:
        raise InputError(f"a feed is refreshed at most every {d['min_interval_minutes']} minutes")
    if minutes > 7 * 24 * 60:
        raise InputError("a feed is refreshed at least once a week (at most 10080 minutes)")
    return minutes


def add_ics_feed(person: Person, url: str, *, interval_minutes: int | None = None,
                 busy_blocks_are_meetings: bool = False) -> CalendarFeed:  # fmt: skip
    """Connect a published calendar by its secret link; the first sync runs on the next worker tick."""
    url = normalise_url(url)
    feed = CalendarFeed.objects.create(
        person=person, kind=CalendarFeed.Kind.ICS, url=url, host=display_url(url),
        interval_minutes=_interval(interval_minutes), busy_blocks_are_meetings=busy_blocks_are_meetings,
    )  # fmt: skip
    log.info("calendar_feed_added", feed_id=feed.pk, person_id=person.pk, kind=feed.kind)
    return feed


def add_caldav_feed(person: Person, url: str, username: str, password: str, *, calendar_name: str = "",
                    interval_minutes: int | None = None, busy_blocks_are_meetings: bool = False) -> CalendarFeed:  # fmt: skip
    """Connect a CalDAV calendar (server or calendar URL, user name, app password)."""
    url = normalise_url(url)
    if not username.strip() or not password:
        raise InputError("a CalDAV calendar needs the user name and an app password")
    if len(username) > 300 or len(password) > 1000 or len(calendar_name) > 200:
        raise InputError("the user name, password or calendar name is too long")
    feed = CalendarFeed.objects.create(
        person=person, kind=CalendarFeed.Kind.CALDAV, url=url, username=username.strip(), password=password,
        calendar_name=calendar_name.strip(), host=display_url(url), interval_minutes=_interval(interval_minutes),
        busy_blocks_are_meetings=busy_blocks_are_meetings,
    )  # fmt: skip
    log.info("calendar_feed_added", feed_id=feed.pk, person_id=person.pk, kind=feed.kind)
    return feed


def feed_of(person: Person, feed_id: int) -> CalendarFeed:
    """The person's own feed, or InputError: nobody else's feed is ever found this way."""
    feed = CalendarFeed.objects.filter(pk=feed_id, person=person).first()
    if feed is None:
        raise InputError("no such calendar feed")
    return feed


def remove_feed(feed: CalendarFeed) -> None:
    """Forget the link and its password; the analyses it made stay (they are the person's figures)."""
    log.info("calendar_feed_removed", feed_id=feed.pk, person_id=feed.person_id)
    feed.delete()


def set_busy_blocks_are_meetings(feed: CalendarFeed, value: bool) -> None:
    """Change how attendee-less events count; the next sync re-analyses even an unchanged calendar."""
    feed.busy_blocks_are_meetings = value
    feed.content_digest = ""  # force a new analysis with the new reading
    feed.etag = feed.last_modified = ""
    feed.next_run_at = timezone.now()
    feed.save(
        update_fields=["busy_blocks_are_meetings", "content_digest", "etag", "last_modified", "next_run_at"]
    )


def resume_feed(feed: CalendarFeed) -> None:
    feed.paused_at = None
    feed.failures_in_row = 0
    feed.next_run_at = timezone.now()
    feed.save(update_fields=["paused_at", "failures_in_row", "next_run_at"])


@dataclass(frozen=True)
class SyncOutcome:
    feed_id: int
    result: str  # "stored", "unchanged", "failed", "paused"
    reason: str = ""


def _fetch(feed: CalendarFeed):
    lim = limits()
    if feed.kind == CalendarFeed.Kind.CALDAV:
        d = feed_defaults()
        account = CalDAVAccount(feed.url, feed.username, feed.password, feed.calendar_name)
        return fetch_caldav(account, today=timezone.localdate(), days_back=d["caldav_window_days_back"],
                            days_ahead=d["caldav_window_days_ahead"], limits=lim)  # fmt: skip
    return fetch_ics(feed.url, etag=feed.etag, last_modified=feed.last_modified, limits=lim)


def sync_feed(feed: CalendarFeed, *, now: dt.datetime | None = None) -> SyncOutcome:
    """Fetch one feed now; store a new analysis only when the calendar changed."""
    now = now or timezone.now()
    if not feed.url:
        return _failed(feed, now, FeedError(
            "the stored link could not be decrypted (the installation's secret key changed): remove this feed "
            "and add it again", "secret"))  # fmt: skip
    try:
        fetched = _fetch(feed)
    except FeedError as exc:
        return _failed(feed, now, exc)
    digest = hashlib.sha256(fetched.body).hexdigest() if fetched.changed else feed.content_digest
    changed = fetched.changed and digest != feed.content_digest
    try:
        with transaction.atomic():
            if changed:
                actions.import_calendar(feed.person, fetched.body, feed=feed,
                                        busy_blocks_are_meetings=feed.busy_blocks_are_meetings)  # fmt: skip
                _prune(feed)
                feed.last_changed_at = now
            feed.etag, feed.last_modified, feed.content_digest = fetched.etag, fetched.last_modified, digest
            feed.last_attempt_at = feed.last_synced_at = now
            feed.last_error, feed.failures_in_row, feed.paused_at = "", 0, None
            feed.next_run_at = now + dt.timedelta(minutes=feed.interval_minutes)
            feed.save()
    except InputError as exc:  # a file that fetched whole but does not analyse (e.g. a broken event)
        first = str(exc).splitlines()[0][:200]
        return _failed(feed, now, FeedError(f"the calendar could not be analysed: {first}", "analysis"))
    log.info("calendar_feed_synced", feed_id=feed.pk, person_id=feed.person_id, changed=changed)
    return SyncOutcome(feed.pk, "stored" if changed else "unchanged")


def _prune(feed: CalendarFeed) -> None:
    keep = list(CalendarImport.objects.filter(feed=feed).order_by("-created_at", "-pk")
                .values_list("pk", flat=True)[:KEEP_IMPORTS_PER_FEED])  # fmt: skip
    CalendarImport.objects.filter(feed=feed).exclude(pk__in=keep).delete()


def _failed(feed: CalendarFeed, now: dt.datetime, exc: FeedError) -> SyncOutcome:
    """Keep every stored analysis; record why, count it, and pause after too many in a row."""
    feed.last_attempt_at = now
    feed.last_error = exc.reason[:400]
    feed.failures_in_row += 1
    pause_after = feed_defaults()["failures_before_pause"]
    if feed.failures_in_row >= pause_after:
        feed.paused_at = now
    feed.next_run_at = now + dt.timedelta(minutes=feed.interval_minutes)
    feed.save(update_fields=["last_attempt_at", "last_error", "failures_in_row", "paused_at", "next_run_at"])
    log.warning("calendar_feed_failed", feed_id=feed.pk, person_id=feed.person_id, kind=exc.kind,
                failures_in_row=feed.failures_in_row, paused=feed.paused_at is not None)  # fmt: skip
    return SyncOutcome(feed.pk, "paused" if feed.paused_at else "failed", exc.reason)


def claim(feed_id: int, seen_next_run_at: dt.datetime, now: dt.datetime) -> bool:
    """Take a due feed for this worker: True only for the one worker whose UPDATE moved the row."""
    moved = CalendarFeed.objects.filter(
        pk=feed_id, next_run_at=seen_next_run_at, paused_at__isnull=True
    ).update(next_run_at=now + dt.timedelta(minutes=CLAIM_MINUTES))
    return moved == 1


def sync_due_feeds(*, now: dt.datetime | None = None, limit: int = 200) -> list[SyncOutcome]:
    """Every feed whose next run is due and that is not paused, each claimed so only one worker fetches it."""
    now = now or timezone.now()
    due = list(CalendarFeed.objects.filter(paused_at__isnull=True, next_run_at__lte=now)
               .order_by("next_run_at").values_list("pk", "next_run_at")[:limit])  # fmt: skip
    outcomes = []
    for pk, next_run_at in due:
        if not claim(pk, next_run_at, now):
            continue
        feed = CalendarFeed.objects.select_related("person").get(pk=pk)
        outcomes.append(sync_feed(feed, now=now))
    return outcomes


def schedule_rows() -> list[dict]:
    """Every feed's next run, for `pathcraft schedule` (no link, no user name: only the host and the state)."""
    rows = []
    for feed in CalendarFeed.objects.select_related("person").order_by("next_run_at", "pk"):
        rows.append({
            "task": "pathcraft.workload.tasks.refresh_calendar_feeds",
            "item": f"calendar feed {feed.pk} ({feed.kind}, {feed.host}, person {feed.person_id})",
            "every_minutes": feed.interval_minutes,
            "next_run_at": None if feed.paused_at else feed.next_run_at.isoformat(),
            "last_synced_at": feed.last_synced_at.isoformat() if feed.last_synced_at else None,
            "state": "paused" if feed.paused_at else ("failing" if feed.failures_in_row else "ok"),
        })  # fmt: skip
    return rows
