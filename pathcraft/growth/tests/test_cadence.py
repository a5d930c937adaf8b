from datetime import date, datetime, time, timedelta

import pytest

from pathcraft.errors import InputError
from pathcraft.growth.cadence import (
    CANCELLED,
    HELD,
    MOVED,
    PLANNED,
    SKIPPED_FOR_LEAVE,
    Cadence,
    Leave,
    Occurrence,
    add_working_days,
    adherence,
    apply_records,
    cancellations_by,
    days_since_last_held,
    move_occurrence,
    onboarding_milestones,
    plan_occurrences,
)
from pathcraft.growth.tests.factories import BERLIN, MANAGER, REPORT, at, occ, relationship


@pytest.mark.parametrize(
    ("cadence", "expected_days"),
    [
        ("weekly", ["2025-01-07", "2025-01-14", "2025-01-21", "2025-01-28", "2025-02-04"]),
        ("biweekly", ["2025-01-07", "2025-01-21", "2025-02-04"]),
        ("every 3 weeks", ["2025-01-07", "2025-01-28"]),
        # 7 Jan is the first Tuesday of January: the first Tuesday of every month after.
        ("monthly", ["2025-01-07", "2025-02-04"]),
    ],
)
def test_plan_follows_cadence_from_first_preferred_weekday(cadence, expected_days):
    rel = relationship(cadence, starts_on=date(2025, 1, 6), weekday=1)  # a Monday; Tuesday slot
    planned = plan_occurrences(rel, date(2025, 1, 1), date(2025, 2, 10))
    assert [o.start.date().isoformat() for o in planned] == expected_days
    assert all(o.status == PLANNED and o.start.hour == 10 for o in planned)


def test_monthly_on_a_fifth_weekday_becomes_the_last_one():
    # 29 Jan 2025 is the fifth Wednesday; February has four, so it is the last (26 Feb).
    rel = relationship("monthly", starts_on=date(2025, 1, 29), weekday=2)
    planned = plan_occurrences(rel, date(2025, 1, 1), date(2025, 4, 30))
    assert [o.start.day for o in planned] == [29, 26, 26, 30]


def test_slot_keeps_local_time_across_daylight_saving():
    rel = relationship("weekly", starts_on=date(2025, 3, 20), weekday=3)
    planned = plan_occurrences(rel, date(2025, 3, 20), date(2025, 4, 5))
    assert [o.start.utcoffset() for o in planned] == [
        timedelta(hours=1),
        timedelta(hours=1),
        timedelta(hours=2),
    ]  # DST on 30 March
    assert {o.start.time() for o in planned} == {time(10, 0)}


def test_leave_of_either_person_skips_but_others_leave_does_not():
    rel = relationship("weekly")
    leaves = [
        Leave(REPORT, date(2025, 1, 13), date(2025, 1, 17)),
        Leave(MANAGER, date(2025, 1, 28), date(2025, 1, 28)),
        Leave("someone.else@example.org", date(2025, 2, 3), date(2025, 2, 7)),
    ]
    planned = plan_occurrences(rel, date(2025, 1, 6), date(2025, 2, 5), leaves)
    assert [(o.start.day, o.status) for o in planned] == [
        (7, PLANNED),
        (14, SKIPPED_FOR_LEAVE),
        (21, PLANNED),
        (28, SKIPPED_FOR_LEAVE),
        (4, PLANNED),
    ]


def test_series_end_stops_planning():
    rel = relationship("weekly", ends_on=date(2025, 1, 20))
    assert len(plan_occurrences(rel, date(2025, 1, 1), date(2025, 3, 1))) == 2


def _eight_weeks(statuses):
    first = at(2025, 1, 7)
    return [
        occ(first + timedelta(weeks=i), s, cancelled_by=MANAGER if s == CANCELLED else None)
        for i, s in enumerate(statuses)
    ], first + timedelta(weeks=7, hours=1)


@pytest.mark.parametrize(
    ("statuses", "numerator", "denominator", "rounded"),
    [
        # 5 of 6 held, two weeks' leave excluded: 0.83
        ([HELD, HELD, SKIPPED_FOR_LEAVE, SKIPPED_FOR_LEAVE, HELD, CANCELLED, HELD, HELD], 5, 6, 0.83),
        # 5 of 8 held without leave: 0.63 (rounded half up)
        ([HELD, CANCELLED, HELD, PLANNED, HELD, CANCELLED, HELD, HELD], 5, 8, 0.63),
        ([HELD] * 8, 8, 8, 1.0),
        ([SKIPPED_FOR_LEAVE] * 8, 0, 0, None),
    ],
)
def test_adherence_over_eight_weeks(statuses, numerator, denominator, rounded):
    occurrences, now = _eight_weeks(statuses)
    ratio = adherence(occurrences, now)
    assert (ratio.numerator, ratio.denominator, ratio.rounded()) == (numerator, denominator, rounded)


def test_adherence_ignores_meetings_outside_the_window_and_in_the_future():
    occurrences, now = _eight_weeks([HELD] * 8)
    older = occ(at(2024, 12, 31), CANCELLED, cancelled_by=MANAGER)
    future = occ(now + timedelta(days=3), PLANNED)
    ratio = adherence([older, *occurrences, future], now)
    assert (ratio.numerator, ratio.denominator) == (8, 8)


def test_moved_slot_is_not_expected_but_its_replacement_is():
    occurrences, now = _eight_weeks([HELD] * 8)
    moved = move_occurrence(occurrences[:-1] + [occ(occurrences[-1].start)], occurrences[-1].start,
                            occurrences[-1].start - timedelta(hours=2))  # fmt: skip
    statuses = sorted(o.status for o in moved)
    assert statuses.count(MOVED) == 1 and statuses.count(PLANNED) == 1
    ratio = adherence(moved, now)
    # The replacement has not been marked held: 7 of 8, the moved slot not counted.
    assert (ratio.numerator, ratio.denominator) == (7, 8)


def test_days_since_last_held_and_cancellations_by_manager():
    occurrences, now = _eight_weeks([HELD, CANCELLED, HELD, HELD, HELD, HELD, CANCELLED, PLANNED])
    occurrences[1] = occ(occurrences[1].start, CANCELLED, cancelled_by=REPORT)
    assert days_since_last_held(occurrences, date(2025, 2, 20)) == 9  # last held 11 Feb
    assert days_since_last_held([occ(at(2025, 1, 7))], date(2025, 2, 20)) is None
    by_manager = cancellations_by(occurrences, MANAGER, now)
    assert (by_manager.numerator, by_manager.denominator) == (1, 8)


def test_records_override_planned_by_slot():
    rel = relationship("weekly")
    planned = plan_occurrences(rel, date(2025, 1, 6), date(2025, 1, 21))
    merged = apply_records(planned, [occ(planned[1].start, HELD)])
    assert [o.status for o in merged] == [PLANNED, HELD, PLANNED]


def test_add_working_days_skips_weekends_and_holidays():
    assert add_working_days(date(2025, 1, 3), 5) == date(2025, 1, 10)  # Friday -> next Friday
    assert add_working_days(date(2025, 1, 3), 5, [date(2025, 1, 6)]) == date(2025, 1, 13)


def test_new_relationship_milestones():
    rel = relationship("weekly", starts_on=date(2025, 1, 6))  # Monday
    milestones = {m.key: m for m in onboarding_milestones(rel, [], date(2025, 1, 20))}
    assert milestones["first_one_on_one"].due == date(2025, 1, 13)
    assert milestones["first_one_on_one"].missing
    assert [milestones[k].due for k in ("life_story", "dreams", "career_action_plan")] == [
        date(2025, 2, 5),
        date(2025, 3, 7),
        date(2025, 4, 6),
    ]
    later = {
        m.key: m
        for m in onboarding_milestones(rel, [occ(at(2025, 1, 7), HELD)], date(2025, 2, 10), ["life_story"])
    }
    assert later["first_one_on_one"].done and not later["first_one_on_one"].missing
    assert later["life_story"].done and not later["dreams"].missing


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Cadence.parse("fortnightly-ish"), "cannot read cadence"),
        (lambda: Cadence("every_n_weeks", 0), "between 1 and 52"),
        (lambda: relationship(timezone="Mars/Olympus"), "unknown time zone 'Mars/Olympus'"),
        (lambda: relationship(weekday=7), "weekday must be 0"),
        (lambda: relationship(report=MANAGER), "two different people"),
        (lambda: Leave(REPORT, date(2025, 2, 1), date(2025, 1, 1)), "ends (2025-01-01) before it starts"),
        (lambda: Occurrence(datetime(2025, 1, 7, 10), 30), "needs a time zone"),
        (lambda: Occurrence(at(2025, 1, 7), 30, CANCELLED), "needs who cancelled it"),
        (lambda: Occurrence(at(2025, 1, 7), 30, "postponed"), "unknown occurrence status 'postponed'"),
    ],
)
def test_bad_input_gives_clear_error(build, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build()


def test_cannot_move_onto_another_meeting_or_move_a_held_one():
    a, b = occ(at(2025, 1, 7)), occ(at(2025, 1, 14), HELD)
    with pytest.raises(InputError, match="already a 1:1"):
        move_occurrence([a, b], a.start, b.start)
    with pytest.raises(InputError, match="is held; only a planned one can move"):
        move_occurrence([a, b], b.start, b.start + timedelta(days=1))
    assert BERLIN.key == "Europe/Berlin"
