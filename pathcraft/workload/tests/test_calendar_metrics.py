"""Weekly metrics with hand-computed worked examples: focus time, back-to-back chains, after hours, leave, DST."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pathcraft.workload.calendar import (
    WeekRow,
    analyze,
    analyze_calendar,
    async_reasons,
    load_settings,
    parse_calendar,
    parse_working_hours,
    trends,
)

CALENDARS = Path(__file__).parent / "calendars"
ME = "me@example.org"


def ics(*events: tuple, zone: str = "Europe/Berlin") -> bytes:
    """A calendar of events (day, start, end, summary[, attendees count[, extra lines]]) in `zone`."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//pathcraft tests//EN"]
    for number, event in enumerate(events):
        day, begin, finish, summary, *rest = event
        people = rest[0] if rest else 2
        extra = rest[1] if len(rest) > 1 else []
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{number}@pathcraft.test",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART;TZID={zone}:{day}T{begin.replace(':', '')}00",
            f"DTEND;TZID={zone}:{day}T{finish.replace(':', '')}00",
            f"SUMMARY:{summary}",
            f"ORGANIZER:mailto:{ME}",
            *[f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:p{i}@example.org" for i in range(1, people)],
            *extra,
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines).encode()


def week_of(data: bytes, start=date(2026, 3, 16), end=date(2026, 3, 23), focus=None, **kwargs) -> WeekRow:
    settings = load_settings().with_overrides(focus_block_minutes=focus)
    report = analyze_calendar(
        data, tz="Europe/Berlin", me={ME}, start=start, end=end, settings=settings, **kwargs
    )
    assert len(report.weeks) == 1
    return report.weeks[0]


# Monday 2026-03-16, working hours 09:00-17:00 Mon-Fri in Berlin.
WORKED_MONDAY = ics(
    ("20260316", "09:30", "10:00", "Design"),
    ("20260316", "10:00", "10:30", "Review"),  # gap 0 -> chain
    ("20260316", "10:35", "11:00", "Hiring"),  # gap 5 min < 10 -> same chain (3 meetings, 09:30-11:00)
    ("20260316", "13:00", "14:00", "Planning"),
    ("20260316", "13:30", "14:30", "Incident review"),  # overlaps -> second chain; merged 13:00-14:30
    ("20260316", "16:00", "16:30", "Sync"),  # gap 90 min after 14:30 -> not a chain
    ("20260316", "18:00", "19:00", "Late call"),  # after hours
    ("20260321", "10:00", "11:00", "Saturday release"),  # weekend: after hours
)


def test_focus_time_worked_example():
    row = week_of(WORKED_MONDAY)
    # Monday's free time: 09:00-09:30, 11:00-13:00, 14:30-16:00, 16:30-17:00; only 11:00-13:00 is >= 2 h.
    # Tuesday-Friday are free all day: 4 x 8 h.
    assert (row.focus_hours, row.focus_blocks) == (2 + 32, 1 + 4)
    assert row.focus_target_met


def test_focus_time_with_a_shorter_block():
    row = week_of(WORKED_MONDAY, focus=60)
    # 11:00-13:00 (2 h) and 14:30-16:00 (1.5 h) now count; the two half hours still do not.
    assert (row.focus_hours, row.focus_blocks) == (2 + 1.5 + 32, 2 + 4)


def test_meeting_hours_merge_overlaps_and_split_inside_and_outside_working_hours():
    row = week_of(WORKED_MONDAY)
    inside = 0.5 + 0.5 + 25 / 60 + 1.5 + 0.5  # 13:00-14:30 counts once
    assert row.meeting_hours == round(inside + 2, 2)
    assert row.after_hours_meeting_hours == 2.0
    assert row.meeting_count == 8
    assert row.meeting_share == round(inside / 40, 3)
    assert row.working_hours == 40


def test_back_to_back_worked_example():
    row = week_of(WORKED_MONDAY)
    assert (row.back_to_back_chains, row.back_to_back_meetings) == (2, 5)
    assert (row.longest_chain_meetings, row.longest_chain_hours) == (3, 1.5)


@pytest.mark.parametrize(
    ("gap_minutes", "chains", "in_chains"),
    [(0, 1, 2), (9, 1, 2), (10, 0, 0), (30, 0, 0)],  # a 10-minute break resets (Microsoft HFL 2021)
)
def test_back_to_back_gap_threshold(gap_minutes, chains, in_chains):
    second = f"10:{gap_minutes:02d}"
    end = f"{10 + (gap_minutes + 30) // 60}:{(gap_minutes + 30) % 60:02d}"
    row = week_of(ics(("20260316", "09:30", "10:00", "A"), ("20260316", second, end, "B")))
    assert (row.back_to_back_chains, row.back_to_back_meetings) == (chains, in_chains)


@pytest.mark.parametrize(
    ("people", "large"),
    [(1, 0), (2, 0), (3, 0), (7, 0), (8, 1), (20, 1)],
)
def test_large_meetings_by_participants(people, large):
    row = week_of(ics(("20260317", "10:00", "11:00", "Meeting", people)))
    assert (row.one_on_one_count, row.large_meeting_count) == (0, large)
    # A single-person block is not a meeting at all.
    assert row.meeting_count == (0 if people == 1 else 1)


WEEKLY = ["RRULE:FREQ=WEEKLY;COUNT=2"]


@pytest.mark.parametrize(
    ("summary", "people", "extra", "one_on_ones"),
    [
        ("Sync", 2, WEEKLY, 1),  # a two-person series: a 1:1 cadence
        ("1:1 Sam / Jae", 2, [], 1),  # a one-off whose title says so
        ("Sam <> Jae one-on-one", 2, [], 1),
        ("L3 escalation bridge", 2, [], 0),  # a one-off call of two is a meeting, not a 1:1
        ("Pairing", 2, [], 0),
        ("1:1 Sam / Jae", 3, [], 0),  # three people is never a 1:1
        ("Team sync", 3, WEEKLY, 0),
        ("Q1:1 planning", 2, [], 0),  # "1:1" inside another word does not count
    ],
)
def test_one_on_ones_need_two_people_and_a_cadence_or_a_title(summary, people, extra, one_on_ones):
    row = week_of(ics(("20260317", "10:00", "10:30", summary, people, extra)))
    assert row.one_on_one_count == one_on_ones
    assert row.one_on_one_hours == one_on_ones * 0.5
    assert row.meeting_count == 1


def test_recurring_share_counts_hours():
    data = ics(
        ("20260316", "09:00", "10:00", "Weekly", 3, ["RRULE:FREQ=WEEKLY;COUNT=2"]),
        ("20260317", "09:00", "12:00", "Workshop", 3),
    )
    row = week_of(data)
    assert (row.recurring_meeting_hours, row.recurring_share) == (1.0, 0.25)


def test_leave_reduces_working_hours_and_meetings_on_leave_are_after_hours():
    data = ics(
        ("20260318", "10:00", "11:00", "Escalation call", 3),
        zone="Europe/Berlin",
    ).replace(
        b"END:VCALENDAR",
        b"BEGIN:VEVENT\r\nUID:leave@pathcraft.test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260317\r\n"
        b"DTEND;VALUE=DATE:20260319\r\nSUMMARY:Annual leave\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\nEND:VCALENDAR",
    )
    row = week_of(data)
    # Leave on Tuesday and Wednesday (DTEND Thursday is exclusive): 40 - 16 working hours.
    assert (row.working_hours, row.leave_hours) == (24, 16)
    assert (row.meeting_hours, row.after_hours_meeting_hours, row.meeting_share) == (1.0, 1.0, 0.0)
    assert row.focus_hours == 24


def test_outlook_oof_afternoon_reduces_working_hours():
    report = analyze_calendar(
        (CALENDARS / "outlook_windows_zone.ics").read_bytes(),
        tz="Europe/Berlin",
        me={ME},
        hours="09:00-17:00",
    )
    (row,) = report.weeks
    # Doctor 13:00-17:00 on Thursday (OOF) takes 4 working hours; the FREE lunch-and-learn is not a meeting.
    assert (row.week, row.working_hours, row.leave_hours) == ("2026-W14", 36, 4)
    assert (row.meeting_count, row.meeting_hours) == (2, 2.0)
    assert report.counted["free"] == 1 and report.counted["leave"] == 1


def test_daylight_saving_week_has_its_real_length():
    # Working hours 00:00-24:00 every day: the week of 2026-03-29 has 167 hours in Berlin (one hour is skipped).
    report = analyze(
        [],
        tz="Europe/Berlin",
        hours=parse_working_hours("00:00-24:00", "Mon-Sun"),
        start=date(2026, 3, 23),
        end=date(2026, 4, 6),
        settings=load_settings(),
    )
    assert [(w.week, w.working_hours) for w in report.weeks] == [("2026-W13", 167.0), ("2026-W14", 168.0)]


def test_weekly_meeting_across_dst_is_inside_working_hours_every_week():
    report = analyze_calendar(
        (CALENDARS / "dst_weekly_berlin.ics").read_bytes(), tz="Europe/Berlin", me={ME}, hours="09:00-17:00"
    )
    assert [(w.week, w.meeting_hours, w.after_hours_meeting_hours) for w in report.weeks] == [
        ("2026-W12", 0.5, 0.0),
        ("2026-W13", 0.5, 0.0),
        ("2026-W14", 0.5, 0.0),
        ("2026-W15", 0.5, 0.0),
    ]


def test_meeting_across_midnight_sunday_is_split_between_weeks():
    data = ics(("20260322", "23:00", "23:59", "Deploy", 2))
    data = data.replace(
        b"DTEND;TZID=Europe/Berlin:20260322T235900", b"DTEND;TZID=Europe/Berlin:20260323T010000"
    )
    report = analyze_calendar(
        data, tz="Europe/Berlin", me={ME}, start=date(2026, 3, 16), end=date(2026, 3, 30)
    )
    assert [(w.meeting_hours, w.meeting_count) for w in report.weeks] == [(1.0, 1), (1.0, 0)]


def test_window_starting_midweek_counts_only_its_days():
    report = analyze_calendar(ics(), tz="Europe/Berlin", start=date(2026, 3, 18), end=date(2026, 3, 21))
    (row,) = report.weeks
    assert (row.start, row.working_hours) == ("2026-03-16", 24)


@pytest.mark.parametrize(
    ("summary", "minutes", "people", "extra", "rules"),
    [
        ("Team standup", 30, 6, ["DESCRIPTION:board"], ["standup_over_timebox"]),
        ("Team standup", 15, 6, ["DESCRIPTION:board"], []),
        ("Weekly status", 60, 4, ["DESCRIPTION:notes"], ["long_status_update"]),
        ("Weekly status", 30, 4, ["DESCRIPTION:notes"], []),
        ("Statusbericht", 60, 4, ["DESCRIPTION:notes"], []),  # whole words only
        ("All hands", 60, 40, ["DESCRIPTION:deck", "RRULE:FREQ=WEEKLY;COUNT=1"], ["large_recurring"]),
        ("All hands", 60, 40, ["DESCRIPTION:deck"], []),  # a one-off is not a recurring broadcast
        ("Brainstorm", 60, 5, [], ["no_agenda_many_people"]),
        ("Brainstorm", 60, 4, [], []),
        (
            "Status update",
            45,
            9,
            ["RRULE:FREQ=WEEKLY;COUNT=1"],
            ["long_status_update", "large_recurring", "no_agenda_many_people"],
        ),
    ],
)
def test_async_candidate_rules(summary, minutes, people, extra, rules):
    end = f"{10 + minutes // 60}:{minutes % 60:02d}"
    parsed = parse_calendar(
        ics(("20260317", "10:00", end, summary, people, extra)), tz="Europe/Berlin", me={ME}
    )
    matched = async_reasons(parsed.occurrences[0], load_settings().async_rules)
    assert [r.id for r in matched] == rules
    assert all(r.source for r in matched)


def test_async_candidates_group_a_series_with_reasons_and_sources():
    data = ics(
        ("20260316", "09:00", "09:45", "Daily standup", 6, ["RRULE:FREQ=DAILY;COUNT=5", "DESCRIPTION:x"])
    )
    report = analyze_calendar(
        data, tz="Europe/Berlin", me={ME}, start=date(2026, 3, 16), end=date(2026, 3, 23)
    )
    (candidate,) = report.async_candidates
    assert (candidate.occurrences, candidate.hours, candidate.participants) == (5, 3.75, 6)
    assert [r["rule"] for r in candidate.reasons] == ["standup_over_timebox"]
    assert "Scrum Guide" in candidate.reasons[0]["source"]
    assert report.weeks[0].async_candidate_count == 5


def _rows(meeting_hours: list[float]) -> list[WeekRow]:
    template = week_of(ics())
    rows = []
    for value in meeting_hours:
        row = WeekRow(**_fields(template))
        row.meeting_hours = value
        rows.append(row)
    return rows


def _fields(row: WeekRow) -> dict:
    return {name: getattr(row, name) for name in WeekRow.__dataclass_fields__}


@pytest.mark.parametrize(
    ("values", "slope", "direction", "first", "last"),
    [
        ([10, 11, 12, 13, 14, 15, 16, 17], 1.0, "rising", 11.5, 15.5),
        ([20, 20, 20, 20, 20], 0.0, "flat", 20, 20),
        ([30, 28, 26, 24], -2.0, "falling", 29, 25),
        ([5, 50], 45.0, "too few weeks", 5, 50),
        ([10, 10.1, 10.2, 10.3], 0.1, "flat", 10.05, 10.25),  # under 0.25 h/week is noise
    ],
)
def test_trends(values, slope, direction, first, last):
    (trend,) = [t for t in trends(_rows(values), load_settings()) if t.metric == "meeting_hours"]
    assert (trend.slope_per_week, trend.direction) == (slope, direction)
    assert (trend.first_average, trend.last_average) == (first, last)


def test_report_to_dict_is_stable_and_json_serialisable():
    import json

    report = analyze_calendar(
        WORKED_MONDAY, tz="Europe/Berlin", me={ME}, start=date(2026, 3, 16), end=date(2026, 3, 23)
    )
    data = json.loads(json.dumps(report.to_dict()))
    assert set(data) == {
        "tz", "working_hours", "start", "end", "settings", "weeks", "summary", "trends", "async_candidates",
        "counted", "warnings",
    }  # fmt: skip
    assert data["weeks"][0]["week"] == "2026-W12"
    assert data["summary"]["average_meeting_hours"] == data["weeks"][0]["meeting_hours"]
