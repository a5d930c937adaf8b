"""Read an iCalendar export into the expanded occurrences of one person's calendar.

Pure engine: no Django. `parse_calendar(data, tz=..., me=...)` returns a complete `ParsedCalendar` or raises
`InputError` naming what is wrong; nothing is ever half-imported.
"""

from __future__ import annotations

import warnings as pywarnings
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

import icalendar
import recurring_ical_events
import x_wr_timezone
from dateutil import rrule as dateutil_rrule
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from pathcraft.errors import InputError
from pathcraft.workload.calendar_text import check_structure, clip, decode_ics, repair_offsets

# Broken values in these properties change when an event happens, so they make the file unusable; broken values
# elsewhere (a malformed X- property, a bad GEO) are reported as warnings and ignored.
TIMING_PROPERTIES = frozenset({"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"})
BUSY_VALUES = ("FREE", "TENTATIVE", "BUSY", "OOF")
# Outlook's "working elsewhere" shows the person as available.
OUTLOOK_BUSY = {
    "FREE": "FREE",
    "TENTATIVE": "TENTATIVE",
    "BUSY": "BUSY",
    "OOF": "OOF",
    "WORKINGELSEWHERE": "FREE",
}
NON_PERSON_CUTYPES = frozenset({"ROOM", "RESOURCE"})
UNBOUNDED_FREQUENCIES = frozenset({"SECONDLY", "MINUTELY"})


@dataclass(frozen=True, slots=True)
class Attendee:
    """One invited person (rooms and resources are kept out)."""

    email: str  # lower case, without "mailto:"; "" if the export gave only a name
    name: str
    response: str  # PARTSTAT: ACCEPTED, DECLINED, TENTATIVE, NEEDS-ACTION, DELEGATED or ""
    role: str  # REQ-PARTICIPANT, OPT-PARTICIPANT, CHAIR, NON-PARTICIPANT or ""

    def to_dict(self) -> dict:
        return {"email": self.email, "name": self.name, "response": self.response, "role": self.role}


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One happening of an event, in the person's time zone, with what the calendar says about it."""

    uid: str
    summary: str
    start: datetime  # aware, in the person's zone
    end: datetime  # aware, in the person's zone; all-day ends are exclusive (next midnight)
    all_day: bool
    attendees: tuple[Attendee, ...]
    organizer: str  # email, lower case, "" if none
    recurring: bool  # part of a series (RRULE, RDATE or moved instances)
    recurrence_id: str | None  # original start (ISO) of a series instance; None for a single event
    status: str  # CONFIRMED, TENTATIVE, CANCELLED or ""
    busy: str  # FREE, TENTATIVE, BUSY or OOF
    my_response: str  # the person's own PARTSTAT ("" when they are not listed as attendee)
    description: str = ""
    location: str = ""
    participants: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "participants", len(self.participant_emails))

    @property
    def hours(self) -> float:
        """Length in hours, measured in real elapsed time (daylight-saving changes included)."""
        return (self.end.timestamp() - self.start.timestamp()) / 3600

    @property
    def participant_emails(self) -> frozenset[str]:
        """Distinct people in the meeting: the organizer and the attendees (rooms excluded)."""
        emails = {a.email or f"name:{a.name.lower()}" for a in self.attendees if a.email or a.name}
        if self.organizer:
            emails.add(self.organizer)
        return frozenset(emails)

    @property
    def cancelled(self) -> bool:
        return self.status == "CANCELLED"

    @property
    def declined(self) -> bool:
        return self.my_response == "DECLINED"

    def to_dict(self) -> dict:
        return {
            "uid": self.uid,
            "summary": self.summary,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "all_day": self.all_day,
            "attendees": [a.to_dict() for a in self.attendees],
            "organizer": self.organizer,
            "participants": self.participants,
            "recurring": self.recurring,
            "recurrence_id": self.recurrence_id,
            "status": self.status,
            "busy": self.busy,
            "my_response": self.my_response,
            "hours": round(self.hours, 4),
        }


@dataclass(slots=True)
class ParsedCalendar:
    """Every occurrence that overlaps [start, end) in the person's zone, sorted by start."""

    occurrences: list[Occurrence]
    tz: str
    start: date  # first day analysed (a Monday when derived from the file)
    end: date  # first day after the window
    encoding: str
    events: int  # VEVENT components in the file (series count once, moved instances each)
    warnings: list[str] = field(default_factory=list)


def resolve_zone(name: str) -> zoneinfo.ZoneInfo:
    """An IANA zone for `name`; Windows zone names ("W. Europe Standard Time") are mapped as Outlook writes them."""
    cleaned = (name or "").strip()
    for candidate in (cleaned, WINDOWS_TO_OLSON.get(cleaned, "")):
        if not candidate:
            continue
        try:
            return zoneinfo.ZoneInfo(candidate)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
    raise InputError(
        f"unknown time zone {name!r}: use an IANA name such as Europe/Berlin or America/New_York"
    )


def parse_calendar(
    data: bytes,
    *,
    tz: str,
    me: set[str] | frozenset[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    window_weeks: int = 52,
    max_occurrences: int = 250_000,
) -> ParsedCalendar:
    """Expand every event of an .ics export that overlaps [start, end) (dates in the person's zone `tz`).

    `me` holds the person's email addresses: their own PARTSTAT decides "declined". Without start/end, the window is
    the last `window_weeks` ISO weeks up to the week of the latest date written in the file.
    """
    zone = resolve_zone(tz)
    mine = frozenset(m.strip().lower().removeprefix("mailto:") for m in (me or ()) if m.strip())
    if start and end and end <= start:
        raise InputError(f"the window is empty: --to {end} is not after --from {start}")
    text, encoding = decode_ics(data)
    check_structure(text)
    text, warnings = repair_offsets(text)
    if encoding != "utf-8":
        warnings.append(f"the file is not UTF-8; read it as {encoding}")
    # The libraries warn (e.g. a guessed vendor TZID); those become report warnings instead of stderr noise.
    with pywarnings.catch_warnings(record=True) as caught:
        pywarnings.simplefilter("always")
        calendars = _load_calendars(text)
        events = [event for calendar in calendars for event in calendar.walk("VEVENT")]
        warnings.extend(_check_event_errors(events))
        if start is None or end is None:
            start, end = _default_window(events, zone, start, end, window_weeks)
        recurring_uids = {
            str(e.get("UID", ""))
            for e in events
            if e.get("RRULE") or e.get("RDATE") or e.get("RECURRENCE-ID")
        }
        window = (_midnight(start, zone), _midnight(end, zone))
        occurrences: list[Occurrence] = []
        for calendar in calendars:
            occurrences.extend(
                _expand(calendar, zone, mine, window, recurring_uids, max_occurrences - len(occurrences))
            )
    for message in dict.fromkeys(str(w.message) for w in caught):
        warnings.append(clip(message.splitlines()[0] if message else "warning", 200))
    occurrences.sort(key=lambda o: (o.start.timestamp(), o.end.timestamp(), o.uid))
    return ParsedCalendar(occurrences, zone.key, start, end, encoding, len(events), warnings)


def _load_calendars(text: str) -> list[icalendar.Calendar]:
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # noqa: BLE001 - icalendar raises ValueError, KeyError, IndexError… on bad input
        raise InputError(f"not a valid iCalendar file: {clip(_first_line(exc), 160)}") from None
    if not calendars:
        raise InputError("not an iCalendar file: no VCALENDAR found")
    standard = []
    for calendar in calendars:
        if calendar.name != "VCALENDAR":
            raise InputError(f"not an iCalendar file: found {calendar.name} where VCALENDAR was expected")
        wr_zone = calendar.get("X-WR-TIMEZONE")
        if wr_zone is None:
            standard.append(calendar)
            continue
        # Google writes events in UTC and the calendar's zone in X-WR-TIMEZONE; x-wr-timezone moves them into it
        # so that recurrences keep their local time across daylight-saving changes.
        try:
            standard.append(x_wr_timezone.to_standard(calendar, timezone=resolve_zone(str(wr_zone))))
        except InputError:
            raise InputError(f"X-WR-TIMEZONE names an unknown time zone: {str(wr_zone)!r}") from None
        except Exception as exc:  # noqa: BLE001
            raise InputError(f"cannot apply X-WR-TIMEZONE {str(wr_zone)!r}: {_first_line(exc)}") from None
    return standard


def _check_event_errors(events: list) -> list[str]:
    """Refuse events whose timing could not be read; turn other broken properties into warnings."""
    warnings = []
    for event in events:
        uid = str(event.get("UID", "")) or "(no UID)"
        for name, message in getattr(event, "errors", ()):
            if str(name).upper() in TIMING_PROPERTIES:
                raise InputError(f"event {uid!r}: cannot read {name}: {clip(str(message), 160)}")
            warnings.append(f"event {uid!r}: ignored broken {name}: {clip(str(message), 120)}")
        if "DTSTART" not in event:
            raise InputError(f"event {uid!r} has no DTSTART")
        rule = event.get("RRULE")
        rules = rule if isinstance(rule, list) else [rule] if rule is not None else []
        for one in rules:
            frequencies = {str(f).upper() for f in (one.get("FREQ") or [])} if hasattr(one, "get") else set()
            if frequencies & UNBOUNDED_FREQUENCIES and not one.get("COUNT"):
                raise InputError(
                    f"event {uid!r} repeats every {'second' if 'SECONDLY' in frequencies else 'minute'}"
                    " (RRULE FREQ=" + ",".join(sorted(frequencies)) + "); that is not a calendar of meetings"
                )
    return warnings


def _default_window(events, zone, start, end, weeks) -> tuple[date, date]:
    """The last `weeks` ISO weeks up to the week of the latest date written in the file."""
    days = []
    for event in events:
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            value = event.get(name)
            if value is not None and hasattr(value, "dt"):
                days.append(_local_day(value.dt, zone))
        last = _last_of_finite_rule(event)
        if last is not None:
            days.append(_local_day(last, zone))
    if not days:
        today_monday = date(2000, 1, 3)  # any Monday: an empty calendar gives an empty window
        return start or today_monday, end or today_monday + timedelta(days=7)
    if end is None:
        last = max(days)
        end = last - timedelta(days=last.weekday()) + timedelta(days=7)
    if start is None:
        first = min(days)
        start = max(first - timedelta(days=first.weekday()), end - timedelta(weeks=weeks))
    if end <= start:
        raise InputError(f"the window is empty: --to {end} is not after the file's first event ({start})")
    return start, end


def _last_of_finite_rule(event):
    """The last start of a series bounded by COUNT or UNTIL (None when unbounded or unreadable)."""
    rule = event.get("RRULE")
    if rule is None or isinstance(rule, list) or not hasattr(rule, "get"):
        return None
    until = rule.get("UNTIL")
    if until:
        return until[0]
    count = rule.get("COUNT")
    if not count or int(count[0]) > 10_000:
        return None
    try:
        start = event["DTSTART"].dt
        naive = (
            start.replace(tzinfo=None) if isinstance(start, datetime) else datetime.combine(start, time(0))
        )
        *_, last = dateutil_rrule.rrulestr(rule.to_ical().decode(), dtstart=naive)
    except Exception:  # noqa: BLE001 - the expansion reports bad rules with the event's UID
        return None
    return last.replace(tzinfo=start.tzinfo) if isinstance(start, datetime) else last.date()


def _expand(calendar, zone, mine, window, recurring_uids, budget) -> list[Occurrence]:
    window_start, window_end = window
    margin = timedelta(days=1)  # floating and all-day events are compared loosely by the library
    try:
        query = recurring_ical_events.of(calendar, components=("VEVENT",))
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"cannot expand the calendar's events: {clip(_first_line(exc), 160)}") from None
    result: list[Occurrence] = []
    cache: dict = {}
    for series in query.series:
        uid = str(series.uid or "") or "(no UID)"
        try:
            for occurrence in series.between(window_start - margin, window_end + margin):
                if len(result) >= budget:
                    raise InputError(
                        f"more than {len(result)} occurrences between {window_start.date()} and "
                        f"{window_end.date()} (event {uid!r}); narrow the window with --from/--to"
                    )
                item = _occurrence(occurrence, zone, _source_facts(occurrence, mine, recurring_uids, cache))
                if _overlaps(item, window_start, window_end):
                    result.append(item)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - recurring_ical_events / dateutil errors on odd rules
            raise InputError(
                f"event {uid!r}: cannot expand its recurrence: {clip(_first_line(exc), 160)}"
            ) from None
    return result


def _source_facts(occurrence, mine: frozenset[str], recurring_uids: set[str], cache: dict) -> dict:
    """What every occurrence of one source component shares, computed once per component.

    recurring-ical-events keeps the source component on `occurrence._adapter`; reading it avoids a component copy
    per occurrence (a third of the parse time). If that private attribute ever moves, fall back to the public copy.
    """
    source = getattr(getattr(occurrence, "_adapter", None), "_component", None)
    if source is None:
        source = occurrence.as_component(False)
    facts = cache.get(id(source))
    if facts is not None and facts["source"] is source:
        return facts
    uid = str(source.get("UID", ""))
    attendees, my_response = _attendees(source.get("ATTENDEE"), mine)
    organizer = _email(source.get("ORGANIZER"))
    if organizer and organizer in mine and not my_response:
        my_response = "ACCEPTED"  # the organizer's own PARTSTAT is implied
    status = str(source.get("STATUS", "") or "").upper()
    facts = {
        "source": source,
        "uid": uid,
        "summary": _text(source.get("SUMMARY")),
        "attendees": attendees,
        "organizer": organizer,
        "recurring": uid in recurring_uids,
        "moved_from": source.get("RECURRENCE-ID"),
        "status": status,
        "busy": _busy(source, status, my_response),
        "my_response": my_response,
        "description": _text(source.get("DESCRIPTION")),
        "location": _text(source.get("LOCATION")),
    }
    cache[id(source)] = facts
    return facts


def _occurrence(occurrence, zone: tzinfo, facts: dict) -> Occurrence:
    raw_start, raw_end = occurrence.start, occurrence.end
    start = _to_zone(raw_start, zone)
    end = _to_zone(raw_end, zone) if raw_end is not None else start
    if end < start:
        end = start
    recurrence_id = None
    if facts["recurring"]:
        moved_from = getattr(facts["moved_from"], "dt", None)
        recurrence_id = _iso(moved_from if moved_from is not None else raw_start, zone)
    return Occurrence(
        uid=facts["uid"],
        summary=facts["summary"],
        start=start,
        end=end,
        all_day=not isinstance(raw_start, datetime),
        attendees=facts["attendees"],
        organizer=facts["organizer"],
        recurring=facts["recurring"],
        recurrence_id=recurrence_id,
        status=facts["status"],
        busy=facts["busy"],
        my_response=facts["my_response"],
        description=facts["description"],
        location=facts["location"],
    )


def _busy(component, status: str, my_response: str) -> str:
    outlook = str(component.get("X-MICROSOFT-CDO-BUSYSTATUS", "") or "").strip().upper()
    if outlook in OUTLOOK_BUSY:
        return OUTLOOK_BUSY[outlook]
    if str(component.get("TRANSP", "") or "").upper() == "TRANSPARENT":
        return "FREE"
    if status == "TENTATIVE" or my_response == "TENTATIVE":
        return "TENTATIVE"
    return "BUSY"


def _attendees(value, mine: frozenset[str]) -> tuple[tuple[Attendee, ...], str]:
    if value is None:
        return (), ""
    values = value if isinstance(value, list) else [value]
    people: dict[str, Attendee] = {}
    my_response = ""
    for address in values:
        params = getattr(address, "params", {}) or {}
        if str(params.get("CUTYPE", "")).upper() in NON_PERSON_CUTYPES:
            continue
        email = _email(address)
        response = str(params.get("PARTSTAT", "") or "").upper()
        if email and email in mine:
            my_response = response or my_response
        key = email or f"name:{params.get('CN', '')}"
        people[key] = Attendee(
            email, _text(params.get("CN", "")), response, str(params.get("ROLE", "") or "").upper()
        )
    return tuple(people.values()), my_response


def _email(address) -> str:
    if address is None:
        return ""
    if isinstance(address, list):
        address = address[0] if address else ""
    text = str(address).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower() if "@" in text else ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _to_zone(value, zone: tzinfo) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0), tzinfo=zone)
    if value.tzinfo is None:  # floating time: the person's wall clock
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def _local_day(value, zone: tzinfo) -> date:
    if isinstance(value, datetime):
        return _to_zone(value, zone).date()
    if isinstance(value, date):
        return value
    return date(2000, 1, 3)


def _overlaps(item: Occurrence, start: datetime, end: datetime) -> bool:
    if item.start == item.end:  # zero-length markers count where they happen
        return start <= item.start < end
    return item.end > start and item.start < end


def _iso(value, zone: tzinfo) -> str:
    if not isinstance(value, datetime):
        return value.isoformat()
    return _to_zone(value, zone).isoformat()


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
