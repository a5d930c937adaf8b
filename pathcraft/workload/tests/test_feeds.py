"""Live calendar feeds against real servers: a local HTTP publisher and Radicale (CalDAV).

First sync stores an analysis; an unchanged second sync makes a conditional request and stores nothing; a changed
event updates it; every failure keeps the last good analysis and says why on the person's page; failures in a row
pause the feed; the link and password never appear in a log line, a page, the API or a backup in clear.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from click.testing import CliRunner
from django.db import connection
from django.urls import reverse

from pathcraft.ops.backup import backed_up_models, export_backup, restore_backup
from pathcraft.people.tests.factories import PASSWORD, small_org
from pathcraft.testing.calendar_servers import IcsServer, Route, radicale_server
from pathcraft.workload import feeds
from pathcraft.workload.defaults import feed_defaults
from pathcraft.workload.models import CalendarFeed, CalendarImport
from pathcraft.workload.tests.workload_factories import busy_ics

pytestmark = pytest.mark.django_db

TOKEN = "private-9d8c7b6a5f4e3d2c"
SECRET_PATH = f"/calendar/ical/dee%40x.test/{TOKEN}/basic.ics"
CALDAV_PASSWORD = "app-password-123"


@pytest.fixture
def org():
    return small_org()


@pytest.fixture
def server():
    with IcsServer() as s:
        yield s


def _login(client, person):
    assert client.login(username=person.email, password=PASSWORD)
    return client


def _connect(org, server, body=None, **options):
    server.routes[SECRET_PATH] = Route(body or busy_ics(org["dev"].email))
    return feeds.add_ics_feed(org["dev"], server.url(SECRET_PATH), **options)


def test_first_sync_stores_the_analysis(org, server):
    feed = _connect(org, server)
    outcome = feeds.sync_feed(feed)
    assert outcome.result == "stored"
    row = CalendarImport.objects.get(person=org["dev"])
    assert row.feed == feed and len(row.weeks) == 4 and row.weeks[0]["meeting_hours"] > 10
    feed.refresh_from_db()
    assert feed.last_synced_at and feed.etag and feed.failures_in_row == 0
    assert feed.next_run_at - feed.last_synced_at == dt.timedelta(
        minutes=feed_defaults()["default_interval_minutes"]
    )


def test_an_unchanged_second_sync_is_conditional_and_stores_nothing(org, server):
    feed = _connect(org, server)
    feeds.sync_feed(feed)
    first = CalendarImport.objects.get(person=org["dev"])
    feed.refresh_from_db()
    assert feeds.sync_feed(feed).result == "unchanged"
    assert server.requests[-1][1].get("If-None-Match") == feed.etag
    assert list(CalendarImport.objects.filter(person=org["dev"])) == [first]


def test_the_same_bytes_without_validators_store_nothing_either(org, server):
    server.routes[SECRET_PATH] = Route(busy_ics(org["dev"].email), validators=False)
    feed = feeds.add_ics_feed(org["dev"], server.url(SECRET_PATH))
    assert feeds.sync_feed(feed).result == "stored"
    assert feeds.sync_feed(feed).result == "unchanged"
    assert CalendarImport.objects.filter(person=org["dev"]).count() == 1


def test_a_changed_event_updates_the_analysis(org, server):
    feed = _connect(org, server)
    feeds.sync_feed(feed)
    server.routes[SECRET_PATH] = Route(busy_ics(org["dev"].email, weeks=6))
    feed.refresh_from_db()
    assert feeds.sync_feed(feed).result == "stored"
    newest = CalendarImport.objects.filter(person=org["dev"]).first()
    assert len(newest.weeks) == 6


def test_only_the_newest_analyses_of_a_feed_are_kept(org, server):
    feed = _connect(org, server)
    for weeks in range(2, 8):
        server.routes[SECRET_PATH] = Route(busy_ics(org["dev"].email, weeks=weeks))
        feed.refresh_from_db()
        assert feeds.sync_feed(feed).result == "stored"
    kept = [len(r.weeks) for r in CalendarImport.objects.filter(feed=feed)]
    assert kept == [7, 6, 5]


FAILURES = [
    ("not found", Route(status=404), "not found (404)"),
    ("unauthorised", Route(status=401), "refused the link (401)"),
    ("timeout", Route(b"", delay=2.5), "did not answer within 1 s"),
    ("too large", Route(b"BEGIN:VCALENDAR\r\n" + b"X" * 3000 + b"\r\nEND:VCALENDAR\r\n"), "larger than"),
    ("not icalendar", Route(b"<html>login</html>", content_type="text/html"), "not an iCalendar file"),
    ("partial", Route(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\n"), "ends before END:VCALENDAR"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "route", "words"), FAILURES, ids=[c[0] for c in FAILURES])
def test_a_failure_keeps_the_last_analysis_and_shows_why(
    org, server, client, monkeypatch, case, route, words
):
    feed = _connect(org, server)
    assert feeds.sync_feed(feed).result == "stored"
    before = list(CalendarImport.objects.filter(person=org["dev"]).values_list("pk", "weeks"))
    monkeypatch.setenv("PATHCRAFT_FEED_TIMEOUT_SECONDS", "1")
    if case == "too large":
        monkeypatch.setenv("PATHCRAFT_FEED_MAX_BYTES", "2048")
    server.routes[SECRET_PATH] = route
    feed.refresh_from_db()
    outcome = feeds.sync_feed(feed)
    assert outcome.result == "failed" and words in outcome.reason
    assert list(CalendarImport.objects.filter(person=org["dev"]).values_list("pk", "weeks")) == before
    html = _login(client, org["dev"]).get(reverse("workload:index")).content.decode()
    assert "failed because" in html and words.split(" (")[0] in html
    assert 'id="weekly-table"' in html  # the last good analysis is still shown
    assert TOKEN not in html


def test_failures_in_a_row_pause_the_feed_and_tell_the_person(org, server, client):
    feed = _connect(org, server)
    server.routes[SECRET_PATH] = Route(status=404)
    limit = feed_defaults()["failures_before_pause"]
    now = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
    for n in range(limit):
        feed.refresh_from_db()
        outcome = feeds.sync_feed(feed, now=now + dt.timedelta(hours=n))
    assert outcome.result == "paused"
    feed.refresh_from_db()
    assert feed.paused_at and feed.failures_in_row == limit
    assert feeds.sync_due_feeds(now=now + dt.timedelta(days=30)) == []  # a paused feed is not fetched
    html = _login(client, org["dev"]).get(reverse("workload:index")).content.decode()
    assert f"paused after {limit} failed syncs in a row" in html and "Resume" in html
    server.routes[SECRET_PATH] = Route(busy_ics(org["dev"].email))
    response = client.post(reverse("workload:feed", args=[feed.pk]), {"action": "resume"})
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.paused_at is None and feed.failures_in_row == 0 and feed.last_synced_at


def test_a_due_feed_is_claimed_by_one_worker_only(org, server):
    feed = _connect(org, server)
    now = feed.next_run_at + dt.timedelta(seconds=1)
    assert feeds.claim(feed.pk, feed.next_run_at, now) is True
    assert feeds.claim(feed.pk, feed.next_run_at, now) is False  # the second worker saw the old next_run_at


def test_the_periodic_task_syncs_only_due_feeds(org, server):
    due = _connect(org, server)
    server.routes["/later.ics"] = Route(busy_ics(org["dev"].email))
    later = feeds.add_ics_feed(org["dev"], server.url("/later.ics"))
    CalendarFeed.objects.filter(pk=later.pk).update(next_run_at=due.next_run_at + dt.timedelta(hours=2))
    outcomes = feeds.sync_due_feeds(now=due.next_run_at + dt.timedelta(minutes=1))
    assert [o.feed_id for o in outcomes] == [due.pk]


def test_busy_blocks_count_as_meetings_only_when_the_person_says_so(org, server):
    # Outlook's "availability only" publishing: busy blocks with neither organizer nor attendees.
    monday = dt.date(2026, 3, 2)
    events = [
        _vevent(f"busy-{d}", monday + dt.timedelta(days=d), 10, 120, [], organizer=False) for d in range(5)
    ]
    feed = _connect(org, server, body=_calendar(events))
    feeds.sync_feed(feed)
    assert CalendarImport.objects.filter(feed=feed).first().weeks[0]["meeting_hours"] == 0
    feeds.set_busy_blocks_are_meetings(feed, True)
    assert feeds.sync_feed(feed).result == "stored"  # re-analysed although the calendar did not change
    assert CalendarImport.objects.filter(feed=feed).first().weeks[0]["meeting_hours"] == 10


def test_the_link_is_encrypted_at_rest_and_readable_after_a_key_rotation(org, server, settings):
    feed = _connect(org, server)
    with connection.cursor() as cursor:
        cursor.execute("SELECT url FROM workload_calendarfeed WHERE id = %s", [feed.pk])
        stored = cursor.fetchone()[0]
    assert TOKEN not in stored and stored.startswith("fernet:")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-0123456789-abcdefghij"
    assert CalendarFeed.objects.get(pk=feed.pk).url.endswith(SECRET_PATH)
    settings.SECRET_KEY_FALLBACKS = []
    unreadable = CalendarFeed.objects.get(pk=feed.pk)
    assert unreadable.url == ""  # no key opens it: never shown in clear, and the sync says what to do
    outcome = feeds.sync_feed(unreadable)
    assert outcome.result == "failed" and "could not be decrypted" in outcome.reason


def test_the_secret_is_never_in_logs_pages_api_or_backups(org, server, client, caplog):
    caplog.set_level(logging.DEBUG)
    c = _login(client, org["dev"])
    server.routes[SECRET_PATH] = Route(busy_ics(org["dev"].email))
    response = c.post(reverse("workload:add-feed"), {"kind": "ics", "url": server.url(SECRET_PATH)})
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(person=org["dev"])
    server.routes[SECRET_PATH] = Route(status=401)
    c.post(reverse("workload:feed", args=[feed.pk]), {"action": "sync"})
    seen = [c.get(reverse("workload:index")).content.decode()]
    seen.append(c.get(f"/api/workload/people/{org['dev'].pk}").content.decode())
    manager = _login(client.__class__(), org["lead"])
    seen.append(manager.get(reverse("workload:person", args=[org["dev"].pk])).content.decode())
    seen.append(manager.get(f"/api/workload/people/{org['dev'].pk}").content.decode())
    document = export_backup()
    seen.append(json.dumps(document))
    seen.append(caplog.text + " ".join(str(r.msg) for r in caplog.records))
    for text in seen:
        assert TOKEN not in text
    assert "127.0.0.1" in seen[0] and "refused the link" in seen[0]  # the person sees the host and the reason
    assert "Live calendars" not in seen[2] and "127.0.0.1" not in seen[2]  # the manager sees no feed at all
    # ... and the backup restores the link on an empty installation.
    for model in reversed(backed_up_models()):
        model._default_manager.all().delete()
    restore_backup(document)
    assert CalendarFeed.objects.get(pk=feed.pk).url == server.url(SECRET_PATH)


def test_nobody_else_can_touch_a_feed(org, server, client):
    feed = _connect(org, server)
    for intruder in ("lead", "dev2", "boss", "stranger"):
        c = _login(client.__class__(), org[intruder])
        for action in ("sync", "remove", "busy_on"):
            assert c.post(reverse("workload:feed", args=[feed.pk]), {"action": action}).status_code == 404
    assert CalendarFeed.objects.filter(pk=feed.pk, busy_blocks_are_meetings=False).exists()


@pytest.mark.parametrize(
    ("form", "words"),
    [
        ({"kind": "ics", "url": ""}, "paste the calendar"),
        ({"kind": "ics", "url": "ftp://x.org/a.ics"}, "must start with https://"),
        ({"kind": "caldav", "url": "https://dav.example.org/", "username": "", "password": ""}, "user name and an app password"),
        ({"kind": "nope", "url": "https://x.org/a.ics"}, "choose a calendar link or CalDAV"),
    ],
)  # fmt: skip
def test_a_bad_form_says_what_is_wrong_and_stores_nothing(org, client, form, words):
    response = _login(client, org["dev"]).post(
        reverse("workload:add-feed"), {**form, "password": "hunter2-secret"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html and "hunter2-secret" not in html
    assert not CalendarFeed.objects.exists()


def test_schedule_lists_every_feeds_next_run(org, server):
    from pathcraft.ops.cli import schedule

    feed = _connect(org, server)
    listed = CliRunner().invoke(schedule, ["--json"])
    assert listed.exit_code == 0, listed.output
    rows = [r for r in json.loads(listed.output) if r.get("item", "").startswith(f"calendar feed {feed.pk} ")]
    assert len(rows) == 1 and rows[0]["next_due_at"] == feed.next_run_at.isoformat()
    assert TOKEN not in listed.output
    text = CliRunner().invoke(schedule, []).output
    assert "pathcraft.workload.tasks.refresh_calendar_feeds: every 5 min" in text
    assert f"calendar feed {feed.pk} (ics, http://127.0.0.1/…" in text


# --- CalDAV against Radicale ----------------------------------------------------------------------------------


def _vevent(
    uid: str, day: dt.date, hour: int, minutes: int, attendees: list[str], organizer: bool = True
) -> str:
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)
    end = start + dt.timedelta(minutes=minutes)
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{start:%Y%m%dT%H%M%SZ}", f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
             f"DTEND:{end:%Y%m%dT%H%M%SZ}", "SUMMARY:Planning"]  # fmt: skip
    lines += ["ORGANIZER:mailto:dee@x.test"] if organizer else []
    lines += [f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{a}" for a in attendees]
    return "\r\n".join([*lines, "END:VEVENT"])


def _calendar(vevents: list[str]) -> bytes:
    return ("\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *vevents, "END:VCALENDAR"])
            + "\r\n").encode()  # fmt: skip


def _event(
    uid: str, day: dt.date, hour: int, minutes: int, attendees: list[str], organizer: bool = True
) -> str:
    return _calendar([_vevent(uid, day, hour, minutes, attendees, organizer)]).decode()


@pytest.fixture
def radicale(tmp_path):
    import caldav

    with radicale_server(tmp_path, "dee", CALDAV_PASSWORD) as dav:
        client = caldav.DAVClient(url=dav.url, username=dav.username, password=dav.password)
        calendar = client.principal().make_calendar(name="Work")
        monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday() + 7)
        for d in range(5):
            calendar.save_event(
                _event(f"standup-{d}", monday + dt.timedelta(days=d), 9, 60, ["dee@x.test", "a@x.test"])
            )
        dav.calendar = calendar
        dav.monday = monday
        yield dav


def test_caldav_first_sync_unchanged_sync_and_a_new_event(org, radicale):
    feed = feeds.add_caldav_feed(org["dev"], radicale.url, "dee", CALDAV_PASSWORD)
    assert feeds.sync_feed(feed).result == "stored"
    week = next(
        w for w in CalendarImport.objects.get(feed=feed).weeks if w["start"] == radicale.monday.isoformat()
    )
    assert week["meeting_hours"] == 5
    feed.refresh_from_db()
    assert feeds.sync_feed(feed).result == "unchanged"
    radicale.calendar.save_event(_event("review", radicale.monday + dt.timedelta(days=2), 14, 120,
                                        ["dee@x.test", "b@x.test"]))  # fmt: skip
    feed.refresh_from_db()
    assert feeds.sync_feed(feed).result == "stored"
    week = next(w for w in CalendarImport.objects.filter(feed=feed).first().weeks
                if w["start"] == radicale.monday.isoformat())  # fmt: skip
    assert week["meeting_hours"] == 7


def test_caldav_wrong_password_keeps_the_analysis_and_says_so(org, radicale):
    feed = feeds.add_caldav_feed(org["dev"], radicale.url, "dee", CALDAV_PASSWORD)
    feeds.sync_feed(feed)
    feed.password = "wrong-password"
    feed.save()
    outcome = feeds.sync_feed(feed)
    assert outcome.result == "failed" and "refused the user name or app password" in outcome.reason
    assert CalendarImport.objects.filter(feed=feed).count() == 1
    assert "wrong-password" not in outcome.reason
