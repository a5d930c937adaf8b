"""Every calendar in icalendar's and recurring-ical-events' own test suites: analysed, or refused in one line.

The files are read from the installed packages (not copied). Sources and licences: see calendars/README.md —
icalendar (BSD-2-Clause, github.com/collective/icalendar) and recurring-ical-events (LGPL-3.0-or-later,
github.com/niccokunzmann/python-recurring-ical-events).
"""

from __future__ import annotations

import signal
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from pathcraft.errors import InputError
from pathcraft.workload.calendar import analyze_calendar

SUITES = {
    "icalendar": Path(icalendar.__file__).parent / "tests",
    "recurring_ical_events": Path(recurring_ical_events.__file__).parent / "test",
}
FILES = sorted(path for root in SUITES.values() for path in root.rglob("*.ics"))
TIME_LIMIT_SECONDS = 10


class TookTooLong(Exception):
    pass


def _alarm(signum, frame):
    raise TookTooLong


def _name(path: Path) -> str:
    for package, root in SUITES.items():
        if path.is_relative_to(root):
            return f"{package}/{path.relative_to(root)}"
    return path.name


def test_the_suites_are_installed():
    # The packages ship ~250 calendars; if a release stops shipping them this test says so instead of passing empty.
    assert len(FILES) > 150


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_library_calendar_is_analysed_or_refused_in_one_line(path: Path):
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT_SECONDS)
    try:
        report = analyze_calendar(path.read_bytes(), tz="Europe/Berlin", me={"me@example.com"})
    except InputError as exc:
        message = str(exc)
        assert message and "\n" not in message, f"refusal must be one line: {message!r}"
        assert "Traceback" not in message
        return
    except TookTooLong:
        pytest.fail(f"{_name(path)} took more than {TIME_LIMIT_SECONDS} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert report.weeks, "an analysed calendar has at least one week"
    assert sum(report.counted.values()) >= 0
    for row in report.weeks:
        assert 0 <= row.meeting_share <= 1
        assert row.focus_hours <= row.working_hours + 1e-9
        assert row.after_hours_meeting_hours <= row.meeting_hours + 1e-9
