"""Export 1:1 series as iCalendar: one VEVENT with RRULE per relationship, EXDATE for meetings that will
not happen (leave, cancelled), and an override (RECURRENCE-ID) for each moved meeting."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time, timedelta

from icalendar import Calendar, Event, vCalAddress, vRecur

from pathcraft.errors import InputError
from pathcraft.growth.cadence import (
    CANCELLED,
    MONTHLY,
    MOVED,
    SKIPPED_FOR_LEAVE,
    Occurrence,
    Relationship,
    first_meeting_day,
    meeting_days,
    monthly_ordinal,
)

PRODID = "-//pathcraft//growth 1:1 series//EN"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def series_uid(rel: Relationship) -> str:
    """Stable across exports, so calendar apps update the series instead of duplicating it."""
    if rel.id:
        return f"one-on-one-{rel.id}@pathcraft"
    digest = hashlib.sha256(f"{rel.manager}|{rel.report}|{rel.starts_on}".encode()).hexdigest()[:16]
    return f"one-on-one-{digest}@pathcraft"


def recurrence_rule(rel: Relationship) -> vRecur:
    day = WEEKDAYS[rel.weekday]
    if rel.cadence.kind == MONTHLY:
        rule = {"FREQ": "MONTHLY", "BYDAY": f"{monthly_ordinal(first_meeting_day(rel))}{day}"}
    else:
        rule = {"FREQ": "WEEKLY", "INTERVAL": rel.cadence.interval_weeks, "BYDAY": day}
    if rel.ends_on:
        # With a TZID start, RFC 5545 wants UNTIL in UTC: the end of the last day in the manager's zone.
        last = datetime.combine(rel.ends_on, time(23, 59, 59), tzinfo=rel.zone)
        rule["UNTIL"] = last.astimezone(UTC)
    return vRecur(rule)


def _address(person: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person}" if "@" in person else person)
    address.params["CN"] = person
    return address


def _base_event(rel: Relationship, uid: str, stamp: datetime, start: datetime, minutes: int) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    event.add("summary", f"1:1 {rel.manager} / {rel.report}")
    event.add("organizer", _address(rel.manager))
    event.add("attendee", _address(rel.report))
    return event


def series_events(rel: Relationship, occurrences: Sequence[Occurrence], stamp: datetime) -> list[Event]:
    """The recurring VEVENT of one relationship plus one override per moved meeting."""
    uid = series_uid(rel)
    start = datetime.combine(first_meeting_day(rel), rel.at, tzinfo=rel.zone)
    main = _base_event(rel, uid, stamp, start, rel.length_minutes)
    main.add("rrule", recurrence_rule(rel))
    last_day = max((o.start.date() for o in occurrences), default=start.date())
    on_rule = {datetime.combine(d, rel.at, tzinfo=rel.zone) for d in meeting_days(rel, last_day)}
    excluded, overrides = [], []
    for occ in sorted(occurrences, key=lambda o: o.start):
        if occ.moved_from is not None:
            continue  # written as the override of the slot it came from
        if occ.start not in on_rule:
            raise InputError(
                f"the 1:1 at {occ.start.isoformat()} is not on {rel.report}'s {rel.cadence.label()} series"
            )
        if occ.status in (SKIPPED_FOR_LEAVE, CANCELLED):
            excluded.append(occ.start)
        elif occ.status == MOVED:
            override = _base_event(rel, uid, stamp, occ.moved_to, occ.length_minutes)
            override.add("recurrence-id", occ.start)
            overrides.append(override)
    if excluded:
        main.add("exdate", excluded)
    return [main, *overrides]


def build_calendar(
    series: Iterable[tuple[Relationship, Sequence[Occurrence]]], stamp: datetime | None = None
) -> Calendar:
    """A calendar with every given series and the VTIMEZONEs they use."""
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    first_year, last_year = None, None
    for rel, occurrences in series:
        for event in series_events(rel, occurrences, stamp):
            calendar.add_component(event)
        years = [rel.starts_on.year, *(o.start.year for o in occurrences)]
        first_year = min(years + ([first_year] if first_year else []))
        last_year = max(years + ([last_year] if last_year else []))
    if first_year is not None:
        # Transitions only for the years the series span (plus slack), to keep the file small.
        calendar.add_missing_timezones(
            first_date=datetime(first_year - 1, 1, 1).date(), last_date=datetime(last_year + 5, 1, 1).date()
        )
    return calendar


def to_ics(
    series: Iterable[tuple[Relationship, Sequence[Occurrence]]], stamp: datetime | None = None
) -> bytes:
    """The .ics file content."""
    return build_calendar(series, stamp).to_ical()
