from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
import recurring_ical_events

from pathcraft.errors import InputError
from pathcraft.growth.cadence import (
    CANCELLED,
    HELD,
    PLANNED,
    Leave,
    apply_records,
    move_occurrence,
    plan_occurrences,
)
from pathcraft.growth.ics_export import series_uid, to_ics
from pathcraft.growth.tests.factories import MANAGER, REPORT, at, occ, relationship

STAMP = datetime(2025, 1, 1, 12, tzinfo=UTC)


def _read_back(data: bytes, start: date, end: date) -> list[datetime]:
    calendar = icalendar.Calendar.from_ical(data)
    events = recurring_ical_events.of(calendar).between(start, end)
    return sorted(e["DTSTART"].dt for e in events)


def _expected(occurrences):
    return sorted(o.start for o in occurrences if o.status in (PLANNED, HELD))


@pytest.mark.parametrize(
    ("cadence", "starts_on", "weekday"),
    [
        ("weekly", date(2025, 3, 3), 1),
        ("biweekly", date(2025, 3, 3), 4),
        ("every 3 weeks", date(2025, 2, 24), 0),
        ("monthly", date(2025, 1, 29), 2),  # fifth Wednesday: the last Wednesday of each month
    ],
)
def test_round_trip_gives_the_same_occurrences(cadence, starts_on, weekday):
    rel = relationship(cadence, starts_on=starts_on, weekday=weekday, at=time(9, 30))
    leaves = [Leave(REPORT, date(2025, 3, 17), date(2025, 3, 28))]
    occurrences = plan_occurrences(rel, starts_on, date(2025, 12, 31), leaves)
    data = to_ics([(rel, occurrences)], STAMP)
    assert _read_back(data, starts_on, date(2026, 1, 1)) == _expected(occurrences)


def test_round_trip_with_leave_cancellation_and_move_across_daylight_saving():
    rel = relationship("weekly", starts_on=date(2025, 3, 3), weekday=1)
    planned = plan_occurrences(
        rel, date(2025, 3, 3), date(2025, 4, 30), [Leave(MANAGER, date(2025, 3, 10), date(2025, 3, 14))]
    )
    recorded = [occ(at(2025, 3, 4), HELD), occ(at(2025, 4, 8), CANCELLED, cancelled_by=REPORT)]
    occurrences = apply_records(planned, recorded)
    occurrences = move_occurrence(occurrences, at(2025, 4, 1), at(2025, 4, 2, hour=15))
    data = to_ics([(rel, occurrences)], STAMP)
    back = _read_back(data, date(2025, 3, 1), date(2025, 5, 1))
    assert back == _expected(occurrences)
    assert at(2025, 4, 2, hour=15) in back and at(2025, 4, 1) not in back and at(2025, 3, 11) not in back
    assert {d.utcoffset() for d in back} == {timedelta(hours=1), timedelta(hours=2)}  # DST on 30 March


def test_file_has_stable_uid_dtstamp_timezone_and_exdates():
    rel = relationship("weekly", starts_on=date(2025, 3, 3), weekday=1, id="42")
    occurrences = plan_occurrences(
        rel, date(2025, 3, 3), date(2025, 3, 31), [Leave(REPORT, date(2025, 3, 18), date(2025, 3, 18))]
    )
    first, second = to_ics([(rel, occurrences)], STAMP), to_ics([(rel, occurrences)], STAMP)
    assert first == second
    calendar = icalendar.Calendar.from_ical(first)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == "one-on-one-42@pathcraft" == series_uid(rel)
    assert event["DTSTAMP"].dt == STAMP
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU" in first.decode()
    assert "EXDATE;TZID=Europe/Berlin:20250318T100000" in first.decode()
    assert f"mailto:{MANAGER}" in first.decode()


def test_uid_without_id_is_derived_and_stable():
    rel = relationship(id="")
    assert series_uid(rel) == series_uid(relationship(id=""))
    assert series_uid(rel) != series_uid(relationship(id="", report="other@example.org"))


def test_series_end_becomes_until_in_utc():
    rel = relationship("weekly", starts_on=date(2025, 3, 3), weekday=1, ends_on=date(2025, 3, 25))
    occurrences = plan_occurrences(rel, date(2025, 3, 3), date(2025, 12, 31))
    data = to_ics([(rel, occurrences)], STAMP)
    assert "UNTIL=20250325T225959Z" in data.decode()
    assert _read_back(data, date(2025, 1, 1), date(2026, 1, 1)) == _expected(occurrences)
    assert len(occurrences) == 4


def test_occurrence_off_the_cadence_is_refused():
    rel = relationship("weekly", starts_on=date(2025, 3, 3), weekday=1)
    with pytest.raises(InputError, match="is not on ravi@example.org's weekly series"):
        to_ics([(rel, [occ(at(2025, 3, 5))])], STAMP)


def test_several_series_in_one_calendar():
    a = relationship("weekly", starts_on=date(2025, 3, 3), weekday=1, report="a@example.org")
    b = relationship(
        "biweekly", starts_on=date(2025, 3, 3), weekday=3, report="b@example.org", timezone="America/New_York"
    )
    occ_a = plan_occurrences(a, date(2025, 3, 3), date(2025, 4, 30))
    occ_b = plan_occurrences(b, date(2025, 3, 3), date(2025, 4, 30))
    data = to_ics([(a, occ_a), (b, occ_b)], STAMP)
    assert _read_back(data, date(2025, 3, 1), date(2025, 5, 1)) == sorted(_expected(occ_a) + _expected(occ_b))
    tzids = {tz["TZID"] for tz in icalendar.Calendar.from_ical(data).walk("VTIMEZONE")}
    assert tzids == {"Europe/Berlin", "America/New_York"}
