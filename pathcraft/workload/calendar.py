"""Calendar analysis: the public API other parts call (web upload, API, CLI, growth's 1:1 import).

Pure engine, no Django. The work is split by idea:

* `calendar_text`     — encoding, BEGIN/END balance and iCloud offset repair before icalendar parses;
* `calendar_parse`    — bytes of an .ics export -> expanded `Occurrence`s in the person's zone (or `InputError`);
* `calendar_metrics`  — occurrences -> weekly rows, trends and async candidates (`CalendarReport`);
* `calendar_settings` — defaults with sources from data/calendar.yaml, working hours.

Typical use::

    report = analyze_calendar(data, tz="Europe/Berlin", me={"ana@example.org"}, hours="09:00-17:00")
    report.to_dict()
"""

from __future__ import annotations

from datetime import date

from pathcraft.workload.calendar_metrics import (
    KINDS,
    AsyncCandidate,
    CalendarReport,
    Trend,
    WeekRow,
    analyze,
    async_reasons,
    classify,
    trends,
)
from pathcraft.workload.calendar_parse import (
    Attendee,
    Occurrence,
    ParsedCalendar,
    parse_calendar,
    resolve_zone,
)
from pathcraft.workload.calendar_settings import (
    AsyncRule,
    CalendarSettings,
    WorkingHours,
    load_settings,
    parse_days,
    parse_working_hours,
)
from pathcraft.workload.calendar_text import decode_ics

__all__ = [
    "KINDS",
    "AsyncCandidate",
    "AsyncRule",
    "Attendee",
    "CalendarReport",
    "CalendarSettings",
    "Occurrence",
    "ParsedCalendar",
    "Trend",
    "WeekRow",
    "WorkingHours",
    "analyze",
    "analyze_calendar",
    "async_reasons",
    "classify",
    "decode_ics",
    "load_settings",
    "parse_calendar",
    "parse_days",
    "parse_working_hours",
    "resolve_zone",
    "trends",
]


def analyze_calendar(
    data: bytes,
    *,
    tz: str,
    me: set[str] | frozenset[str] | None = None,
    hours: str | WorkingHours | None = None,
    days: str | None = None,
    start: date | None = None,
    end: date | None = None,
    settings: CalendarSettings | None = None,
) -> CalendarReport:
    """Parse and analyse one person's export in one call; raises InputError on any unusable input."""
    settings = settings or load_settings()
    if isinstance(hours, WorkingHours):
        working = hours
    elif hours is None and days is None:
        working = settings.working_hours()
    else:
        working = parse_working_hours(
            hours or settings.default_working_hours, days or ",".join(settings.default_work_days)
        )
    parsed = parse_calendar(
        data,
        tz=tz,
        me=me,
        start=start,
        end=end,
        window_weeks=settings.default_window_weeks,
        max_occurrences=settings.max_occurrences,
    )
    return analyze(
        parsed.occurrences,
        tz=parsed.tz,
        hours=working,
        start=parsed.start,
        end=parsed.end,
        settings=settings,
        warnings=parsed.warnings,
    )
