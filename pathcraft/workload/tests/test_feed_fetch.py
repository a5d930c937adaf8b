"""Fetching a published calendar from a real local HTTP server: conditional requests, limits, every failure.

No database: feed_fetch.py is pure. The server is pathcraft/testing/calendar_servers.IcsServer on a free port.
"""

from __future__ import annotations

import pytest

from pathcraft.errors import InputError
from pathcraft.testing.calendar_servers import IcsServer, Route
from pathcraft.testing.processes import free_port
from pathcraft.workload.feed_fetch import FeedError, FeedLimits, display_url, fetch_ics, normalise_url
from pathcraft.workload.tests.workload_factories import busy_ics

SECRET = "/calendar/ical/jae%40demo.test/private-5f2b9c0e7d1a4b3c/basic.ics"
ICS = busy_ics("jae@demo.test")
FAST = FeedLimits(timeout_seconds=1.0, max_bytes=1024 * 1024, max_redirects=3)


@pytest.fixture
def server():
    with IcsServer() as s:
        yield s


def test_first_fetch_reads_the_calendar_and_its_validators(server):
    server.routes[SECRET] = Route(ICS)
    fetched = fetch_ics(server.url(SECRET), limits=FAST)
    assert fetched.changed and fetched.body == ICS
    assert fetched.etag.startswith('"') and "GMT" in fetched.last_modified
    assert "If-None-Match" not in server.requests[-1][1]


def test_an_unchanged_calendar_costs_a_304_and_no_body(server):
    server.routes[SECRET] = Route(ICS)
    first = fetch_ics(server.url(SECRET), limits=FAST)
    again = fetch_ics(server.url(SECRET), etag=first.etag, last_modified=first.last_modified, limits=FAST)
    assert not again.changed and again.body == b""
    headers = server.requests[-1][1]
    assert headers["If-None-Match"] == first.etag and headers["If-Modified-Since"] == first.last_modified
    assert (again.etag, again.last_modified) == (first.etag, first.last_modified)


def test_a_changed_calendar_is_fetched_whole_with_new_validators(server):
    server.routes[SECRET] = Route(ICS)
    first = fetch_ics(server.url(SECRET), limits=FAST)
    changed = busy_ics("jae@demo.test", weeks=6)
    server.routes[SECRET] = Route(changed)
    again = fetch_ics(server.url(SECRET), etag=first.etag, last_modified=first.last_modified, limits=FAST)
    assert again.changed and again.body == changed and again.etag != first.etag


def test_last_modified_alone_is_used_when_the_server_sent_no_etag(server):
    server.routes[SECRET] = Route(ICS)
    first = fetch_ics(server.url(SECRET), limits=FAST)
    again = fetch_ics(server.url(SECRET), last_modified=first.last_modified, limits=FAST)
    assert not again.changed


def test_redirects_to_https_or_http_are_followed(server):
    server.routes["/old"] = Route(status=301, location=server.url(SECRET))
    server.routes[SECRET] = Route(ICS)
    assert fetch_ics(server.url("/old"), limits=FAST).body == ICS


FAILURES = [
    # (what the server does, the words the person reads)
    ("missing", Route(status=404), "not found (404)"),
    ("gone", Route(status=410), "not found (410)"),
    ("unauthorised", Route(status=401), "refused the link (401)"),
    ("forbidden", Route(status=403), "refused the link (403)"),
    ("server error", Route(status=503), "had an error (503)"),
    ("slow", Route(ICS, delay=2.5), "did not answer within 1 s"),
    ("too large", Route(b"BEGIN:VCALENDAR\r\n" + b"X" * (1024 * 1024 + 10) + b"\r\nEND:VCALENDAR\r\n"),
     "larger than 1 MB"),
    ("a web page", Route(b"<!DOCTYPE html><html><body>Sign in</body></html>", content_type="text/html"),
     "a web page, not an iCalendar file"),
    ("json", Route(b'{"error": "nope"}', content_type="application/json"), "something else, not an iCalendar"),
    ("partial file", Route(ICS[: len(ICS) // 2]), "ends before END:VCALENDAR"),
    ("cut short", Route(ICS, cut_at=len(ICS) // 3), "cut short"),
    ("redirect to a file", Route(status=302, location="file:///etc/passwd"), "not http(s)"),
    ("redirect loop", Route(status=302, location="/loop"), "redirected more than 3 times"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "route", "words"), FAILURES, ids=[c[0] for c in FAILURES])
def test_every_failure_is_one_line_for_the_person_without_the_link(server, case, route, words):
    path = "/loop" if case == "redirect loop" else SECRET
    server.routes[path] = route
    with pytest.raises(FeedError) as caught:
        fetch_ics(server.url(path), limits=FAST)
    reason = caught.value.reason
    assert words in reason, reason
    assert "\n" not in reason
    for secret_part in ("private-5f2b9c0e7d1a4b3c", "basic.ics", "jae%40demo", "127.0.0.1", str(server.port)):
        assert secret_part not in reason and secret_part not in str(caught.value)


def test_a_closed_port_says_connection_refused():
    port = free_port()
    with pytest.raises(FeedError, match="connection refused"):
        fetch_ics(f"http://127.0.0.1:{port}{SECRET}", limits=FAST)


def test_private_addresses_are_refused_when_the_installation_forbids_them(server):
    server.routes[SECRET] = Route(ICS)
    strict = FeedLimits(timeout_seconds=1, allow_private=False)
    with pytest.raises(FeedError, match="private network"):
        fetch_ics(server.url(SECRET), limits=strict)
    assert server.requests == []  # refused before any connection


@pytest.mark.parametrize(
    ("given", "fetched"),
    [
        ("webcal://p01-caldav.icloud.com/published/2/abc", "https://p01-caldav.icloud.com/published/2/abc"),
        ("webcals://example.org/x.ics", "https://example.org/x.ics"),
        ("  https://outlook.office365.com/owa/calendar/a/b/calendar.ics ",
         "https://outlook.office365.com/owa/calendar/a/b/calendar.ics"),
        ("HTTP://Example.org/a.ics", "http://Example.org/a.ics"),
    ],
)  # fmt: skip
def test_links_are_normalised(given, fetched):
    assert normalise_url(given) == fetched


@pytest.mark.parametrize("bad", ["", "ftp://example.org/x.ics", "file:///etc/passwd", "javascript:alert(1)",
                                 "https:///nohost.ics", "https://x.org/" + "a" * 2001])  # fmt: skip
def test_bad_links_are_refused_with_a_clear_error(bad):
    with pytest.raises(InputError):
        normalise_url(bad)


def test_only_the_host_of_a_link_is_ever_shown():
    shown = display_url("https://calendar.google.com/calendar/ical/jae%40x/private-abc123/basic.ics")
    assert shown == "https://calendar.google.com/…"
