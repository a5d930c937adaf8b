"""Fetching a person's live calendar: a secret iCalendar link or a CalDAV account. Pure: no Django.

A feed URL is a secret (whoever has a "secret address in iCal format" reads the calendar), so nothing here ever
puts the URL, a user name or a password into an exception message, a log line or a return value: every failure
is a `FeedError` whose `reason` is one line written for the person, built from the kind of failure only.

What a fetch guarantees:
* only http(s) — `webcal://` and `webcals://` are the same links under another name — and redirects only to
  http(s), at most `max_redirects` of them;
* conditional requests (If-None-Match / If-Modified-Since): an unchanged calendar costs a 304 and no analysis;
* a size ceiling enforced while reading (a missing or lying Content-Length does not help) and a time limit for the
  whole fetch, not only per socket read;
* the body is an iCalendar file that ends (a truncated download is refused, not analysed as a shorter year);
* with `allow_private=False`, no loopback, private or link-local address (a shared installation must not let a
  person make the server fetch its own cloud metadata or database port), checked on every redirect too.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pathcraft.errors import InputError

MAX_URL_LENGTH = 2000
USER_AGENT = "pathcraft-calendar-feed/1 (+https://github.com/pathcraft)"


@dataclass(frozen=True)
class FeedLimits:
    timeout_seconds: float = 20
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = True


@dataclass(frozen=True)
class Fetched:
    """What a fetch found: the calendar (when it changed) and the validators for the next conditional request."""

    changed: bool
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.body).hexdigest() if self.changed else ""


class FeedError(Exception):
    """A fetch that failed; `reason` is one line for the person and never contains the URL or a credential."""

    def __init__(self, reason: str, kind: str = "fetch") -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind


def normalise_url(url: str) -> str:
    """The link as it will be fetched: webcal(s):// becomes https://; anything but http(s) is refused."""
    url = (url or "").strip()
    if not url:
        raise InputError("paste the calendar's link")
    if len(url) > MAX_URL_LENGTH:
        raise InputError(f"the link is longer than {MAX_URL_LENGTH} characters")
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("webcal", "webcals"):
        parts = parts._replace(scheme="https")
    elif scheme not in ("http", "https"):
        raise InputError("the link must start with https://, http:// or webcal://")
    if not parts.hostname:
        raise InputError("the link has no host name")
    return urllib.parse.urlunsplit(parts)


def display_url(url: str) -> str:
    """What may be shown of a secret link: its scheme and host, never the path that holds the secret."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "a calendar link"
    if not parts.hostname:
        return "a calendar link"
    return f"{parts.scheme}://{parts.hostname}/…"


def check_host(url: str, allow_private: bool) -> None:
    """Refuse loopback, private, link-local and reserved addresses unless the installation allows them."""
    if allow_private:
        return
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        raise FeedError("the calendar's host name could not be resolved", "dns") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if (address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
                or address.is_multicast or address.is_unspecified):  # fmt: skip
            raise FeedError(
                "the link points to an address inside a private network, which this installation does not fetch "
                "(an administrator can allow it with PATHCRAFT_FEED_ALLOW_PRIVATE=1)",
                "private",
            )


class _Redirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, limits: FeedLimits) -> None:
        super().__init__()
        self.max_redirections = limits.max_redirects
        self.limits = limits

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise FeedError("the calendar server redirected to an address that is not http(s)", "redirect")
        check_host(newurl, self.limits.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)

    def http_error_302(self, req, fp, code, msg, headers):
        try:
            return super().http_error_302(req, fp, code, msg, headers)
        except urllib.error.HTTPError as exc:
            message = str(exc.msg).lower()
            if "not allowed" in message:  # urllib refuses a redirect to a scheme it does not fetch
                raise FeedError("the calendar server redirected to an address that is not http(s)",
                                "redirect") from None  # fmt: skip
            if "redirect" in message:  # urllib's "infinite loop" answer to too many redirections
                raise FeedError(
                    f"the calendar server redirected more than {self.max_redirections} times", "redirect"
                ) from None
            raise

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _http_reason(code: int) -> str:
    if code in (401, 403):
        return (f"the calendar server refused the link ({code}): it may have been reset or made private; "
                "copy the secret address again")  # fmt: skip
    if code in (404, 410):
        return f"the calendar was not found ({code}): the link may have been reset or the calendar deleted"
    if code == 429:
        return "the calendar server asks us to slow down (429); the next try waits for the next interval"
    if 500 <= code < 600:
        return f"the calendar server had an error ({code}); it will be tried again"
    return f"the calendar server answered {code}"


def check_icalendar(body: bytes) -> None:
    """A whole iCalendar file, or a FeedError saying what it is instead (never quoting it)."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.upper().startswith(b"BEGIN:VCALENDAR"):
        looks = "a web page" if head.startswith(b"<") else "something else"
        raise FeedError(f"the link returned {looks}, not an iCalendar file", "format")
    if b"END:VCALENDAR" not in body[-4096:].upper():
        raise FeedError("the calendar file ends before END:VCALENDAR (a partial download); kept the last one",
                        "partial")  # fmt: skip


def _read_limited(response, limits: FeedLimits, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise FeedError(_too_large(limits), "size")
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FeedError(
                f"the calendar server did not finish within {limits.timeout_seconds:g} s", "timeout"
            )
        chunk = response.read(65536)
        if not chunk:
            break
        size += len(chunk)
        if size > limits.max_bytes:
            raise FeedError(_too_large(limits), "size")
        chunks.append(chunk)
    body = b"".join(chunks)
    if declared and declared.isdigit() and int(declared) != len(body):
        raise FeedError("the calendar download was cut short; kept the last one", "partial")
    return body


def _too_large(limits: FeedLimits) -> str:
    return f"the calendar is larger than {limits.max_bytes / (1024 * 1024):g} MB"


def fetch_ics(
    url: str, *, etag: str = "", last_modified: str = "", limits: FeedLimits | None = None
) -> Fetched:
    """GET a published calendar, conditionally; a FeedError with the reason on any failure."""
    limits = limits or FeedLimits()
    url = normalise_url(url)
    check_host(url, limits.allow_private)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    opener = urllib.request.build_opener(_Redirects(limits))
    deadline = time.monotonic() + limits.timeout_seconds
    try:
        with opener.open(
            urllib.request.Request(url, headers=headers), timeout=limits.timeout_seconds
        ) as response:
            body = _read_limited(response, limits, deadline)
            new_etag = response.headers.get("ETag", "") or ""
            new_modified = response.headers.get("Last-Modified", "") or ""
    except FeedError:
        raise
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(changed=False, etag=etag, last_modified=last_modified)
        raise FeedError(_http_reason(exc.code), "http") from None
    except TimeoutError:
        raise FeedError(
            f"the calendar server did not answer within {limits.timeout_seconds:g} s", "timeout"
        ) from None
    except urllib.error.URLError as exc:
        raise FeedError(_network_reason(exc.reason), "network") from None
    except http.client.HTTPException:  # IncompleteRead and friends: the connection ended mid-answer
        raise FeedError("the calendar download was cut short; kept the last one", "partial") from None
    except (ssl.SSLError, ConnectionError, OSError) as exc:
        raise FeedError(_network_reason(exc), "network") from None
    except ValueError:
        raise FeedError("the link is not a valid address", "url") from None
    check_icalendar(body)
    return Fetched(changed=True, body=body, etag=new_etag[:200], last_modified=new_modified[:100])


def _network_reason(reason) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "the calendar server did not answer in time"
    if isinstance(reason, ssl.SSLError):
        return "the secure connection to the calendar server failed (certificate or TLS error)"
    if isinstance(reason, ConnectionRefusedError):
        return "could not connect to the calendar server (connection refused)"
    if isinstance(reason, socket.gaierror):
        return "the calendar's host name could not be resolved"
    if isinstance(reason, FeedError):
        return reason.reason
    return "could not reach the calendar server"


# --- CalDAV -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalDAVAccount:
    url: str
    username: str
    password: str
    calendar: str = ""  # a calendar's display name when the account has several


def fetch_caldav(account: CalDAVAccount, *, today: date, days_back: int, days_ahead: int,
                 limits: FeedLimits | None = None) -> Fetched:  # fmt: skip
    """The events of one CalDAV calendar in the analysis window, merged into one iCalendar file.

    CalDAV has no conditional GET for a query, so "changed" is decided by the caller from the digest of the
    merged file (the events are sorted by UID first, so the same events always give the same bytes).
    """
    import caldav
    from caldav.lib import error as caldav_error
    from icalendar import Calendar

    limits = limits or FeedLimits()
    url = normalise_url(account.url)
    check_host(url, limits.allow_private)
    start = datetime.combine(today - timedelta(days=days_back), datetime.min.time())
    end = datetime.combine(today + timedelta(days=days_ahead), datetime.min.time())
    try:
        with caldav.DAVClient(url=url, username=account.username, password=account.password,
                              timeout=limits.timeout_seconds) as client:  # fmt: skip
            calendar = _pick_calendar(client, url, account.calendar)
            found = calendar.search(start=start, end=end, event=True, expand=False)
            merged = Calendar()
            merged.add("prodid", "-//pathcraft//calendar feed//EN")
            merged.add("version", "2.0")
            zones: dict[str, object] = {}
            events = []
            size = 0
            for item in found:
                size += len(item.data or "")
                if size > limits.max_bytes:
                    raise FeedError(_too_large(limits), "size")
                for component in item.icalendar_instance.subcomponents:
                    if component.name == "VTIMEZONE":
                        zones.setdefault(str(component.get("TZID")), component)
                    elif component.name == "VEVENT":
                        events.append(component)
            for zone in zones.values():
                merged.add_component(zone)
            events.sort(key=lambda e: (str(e.get("UID", "")), str(e.get("RECURRENCE-ID", ""))))
            for event in events:
                merged.add_component(event)
    except FeedError:
        raise
    except caldav_error.AuthorizationError:
        raise FeedError("the CalDAV server refused the user name or app password", "auth") from None
    except caldav_error.NotFoundError:
        raise FeedError("the CalDAV address was not found on the server", "http") from None
    except caldav_error.DAVError:
        raise FeedError("the CalDAV server gave an answer that could not be used", "caldav") from None
    except Exception as exc:  # requests/niquests connection errors, timeouts, TLS: only the kind is said
        name = type(exc).__name__.lower()
        if "timeout" in name:
            raise FeedError(
                f"the CalDAV server did not answer within {limits.timeout_seconds:g} s", "timeout"
            ) from None
        if "ssl" in name:
            raise FeedError("the secure connection to the CalDAV server failed", "network") from None
        raise FeedError("could not reach the CalDAV server", "network") from None
    return Fetched(changed=True, body=merged.to_ical())


def _pick_calendar(client, url: str, name: str):
    """The calendar the URL names, else the one called `name`, else the account's only one."""
    calendars = client.principal().calendars()
    wanted = url.rstrip("/")
    for calendar in calendars:
        if str(calendar.url).rstrip("/") == wanted:
            return calendar
    if name:
        for calendar in calendars:
            if (calendar.name or "").strip().lower() == name.strip().lower():
                return calendar
        raise FeedError("this CalDAV account has no calendar of that name", "caldav")
    if len(calendars) == 1:
        return calendars[0]
    if not calendars:
        raise FeedError("this CalDAV account has no calendar", "caldav")
    names = ", ".join(sorted((c.name or "unnamed") for c in calendars))[:300]
    raise FeedError(f"this CalDAV account has {len(calendars)} calendars ({names}): give the calendar's name",
                    "caldav")  # fmt: skip
