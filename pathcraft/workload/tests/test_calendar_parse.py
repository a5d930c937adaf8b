"""Parsing real-export quirks: recurrences, zones, daylight saving, statuses, encodings, broken files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pathcraft.errors import InputError
from pathcraft.workload.calendar import classify, load_settings, parse_calendar
from pathcraft.workload.calendar_text import decode_ics, repair_offsets

CALENDARS = Path(__file__).parent / "calendars"
ME = {"me@example.org"}
UTC = ZoneInfo("UTC")


def parse(name: str, tz: str = "Europe/Berlin", **kwargs):
    return parse_calendar((CALENDARS / name).read_bytes(), tz=tz, me=kwargs.pop("me", ME), **kwargs)


def local_times(parsed, uid=None):
    return [
        (o.start.strftime("%Y-%m-%d %H:%M"), o.end.strftime("%H:%M"))
        for o in parsed.occurrences
        if not uid or o.uid == uid
    ]


def test_weekly_meeting_keeps_local_time_across_daylight_saving_change():
    parsed = parse("dst_weekly_berlin.ics")
    starts = [o.start for o in parsed.occurrences]
    assert [s.strftime("%Y-%m-%d %H:%M") for s in starts] == [
        "2026-03-16 09:00",
        "2026-03-23 09:00",
        "2026-03-30 09:00",
        "2026-04-06 09:00",
    ]
    # The UTC hour moves from 08:00 (CET) to 07:00 (CEST) after 2026-03-29.
    assert [s.astimezone(UTC).hour for s in starts] == [8, 8, 7, 7]
    assert all(o.recurring and o.hours == 0.5 for o in parsed.occurrences)


def test_default_window_covers_a_finite_series_to_its_last_occurrence():
    parsed = parse("dst_weekly_berlin.ics")
    assert (parsed.start, parsed.end) == (date(2026, 3, 16), date(2026, 4, 13))


def test_exdate_written_in_other_zones_removes_the_right_occurrences():
    parsed = parse("exdate_other_zone.ics", tz="America/New_York")
    assert [s for s, _ in local_times(parsed)] == ["2026-01-05 10:00", "2026-01-26 10:00"]


def test_moved_instance_replaces_its_original_and_rdate_adds_one():
    parsed = parse("moved_instance.ics")
    planning = [o for o in parsed.occurrences if o.uid == "moved@pathcraft.test"]
    assert [(o.start.strftime("%m-%d %H:%M"), o.hours) for o in planning] == [
        ("01-05 10:00", 1.0),
        ("01-14 14:00", 1.5),
        ("01-19 10:00", 1.0),
    ]
    moved = planning[1]
    assert moved.summary == "Planning (moved)"
    assert moved.recurrence_id == "2026-01-12T10:00:00+01:00"
    assert local_times(parsed, "extra@pathcraft.test") == [
        ("2026-01-06 09:00", "09:30"),
        ("2026-01-08 16:00", "16:30"),
    ]
    assert all(o.recurring for o in parsed.occurrences)


def test_statuses_declined_cancelled_tentative_transparent_and_rooms():
    parsed = parse("cancelled_declined.ics", tz="UTC")
    settings = load_settings()
    kinds = [(o.summary, o.start.strftime("%d %H"), classify(o, settings)) for o in parsed.occurrences]
    assert kinds == [
        ("Daily planning", "05 09", "meeting"),
        ("Daily planning", "06 09", "cancelled"),  # one occurrence cancelled by its override
        ("Daily planning", "07 09", "meeting"),
        ("Offsite prep", "07 13", "cancelled"),
        ("Vendor demo", "07 15", "declined"),  # MAILTO:ME@EXAMPLE.ORG matches me@example.org
        ("Architecture guild", "08 15", "meeting"),  # tentative still blocks the time
        ("Optional AMA", "08 17", "free"),
        ("Writing time", "09 10", "personal"),  # the room is not a participant
    ]
    guild = parsed.occurrences[5]
    assert (guild.busy, guild.my_response) == ("TENTATIVE", "TENTATIVE")
    assert parsed.occurrences[-1].participants == 1


def test_declined_depends_on_who_i_am():
    parsed = parse("cancelled_declined.ics", tz="UTC", me={"y@example.org"})
    demo = next(o for o in parsed.occurrences if o.summary == "Vendor demo")
    assert not demo.declined and demo.my_response == "ACCEPTED"


def test_tentative_can_be_left_out_by_setting():
    parsed = parse("cancelled_declined.ics", tz="UTC")
    settings = load_settings().with_overrides(count_tentative_as_meeting=False)
    guild = next(o for o in parsed.occurrences if o.summary == "Architecture guild")
    assert classify(guild, settings) == "tentative"


def test_outlook_windows_zone_name_and_busy_status():
    parsed = parse("outlook_windows_zone.ics", tz="Europe/Berlin")
    settings = load_settings()
    rows = [
        (o.summary, o.start.strftime("%m-%d %H:%M"), o.busy, classify(o, settings))
        for o in parsed.occurrences
    ]
    assert rows == [
        ("Steering committee", "03-30 09:00", "BUSY", "meeting"),
        ("Lunch and learn", "03-31 12:00", "FREE", "free"),
        ("Hiring sync", "03-31 14:00", "TENTATIVE", "meeting"),
        ("Doctor", "04-02 13:00", "OOF", "leave"),
    ]
    # 09:00 in "W. Europe Standard Time" on 2026-03-30 is summer time: 07:00 UTC.
    assert parsed.occurrences[0].start.astimezone(UTC).hour == 7


def test_google_x_wr_timezone_keeps_weekly_utc_events_at_local_time():
    parsed = parse("google_x_wr_timezone.ics", tz="Europe/Berlin")
    one_on_ones = [o for o in parsed.occurrences if o.summary == "1:1 Ana"]
    # Written as 08:00Z (09:00 CET); X-WR-TIMEZONE makes the series local, so it stays 09:00 after 2026-03-29.
    assert [o.start.strftime("%m-%d %H:%M") for o in one_on_ones] == [
        "03-23 09:00",
        "03-30 09:00",
        "04-06 09:00",
    ]


def test_all_day_events_end_exclusive_and_vacation_is_leave():
    parsed = parse("google_x_wr_timezone.ics", tz="Europe/Berlin")
    settings = load_settings()
    vacation = next(o for o in parsed.occurrences if o.summary == "Vacation")
    offsite = next(o for o in parsed.occurrences if o.summary == "Company offsite")
    assert vacation.all_day and vacation.hours == 48  # 26th and 27th; DTEND 28th is exclusive
    assert (classify(vacation, settings), classify(offsite, settings)) == ("leave", "all_day")


def test_icloud_out_of_range_offset_is_repaired_with_a_warning():
    parsed = parse("icloud_offset_5328.ics")
    assert local_times(parsed) == [("2026-03-17 10:30", "11:30")]
    assert any("+5328" in w and "+00:53:28" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("TZOFFSETFROM:+5328", "TZOFFSETFROM:+005328"),
        ("TZOFFSETTO:-2501", "TZOFFSETTO:-002501"),
        ("TZOFFSETFROM:+0100", "TZOFFSETFROM:+0100"),  # valid values are left alone
    ],
)
def test_repair_offsets(line, expected):
    text, _ = repair_offsets(f"BEGIN:STANDARD\r\n{line}\r\nEND:STANDARD\r\n")
    assert text.splitlines()[1] == expected


def test_offset_beyond_repair_is_refused_with_its_line():
    with pytest.raises(InputError, match=r"line 2: UTC offset \+9975 is out of range"):
        repair_offsets("BEGIN:STANDARD\nTZOFFSETFROM:+9975\nEND:STANDARD\n")


def test_floating_times_are_the_persons_wall_clock():
    parsed = parse("floating.ics", tz="America/New_York")
    assert [
        (o.start.strftime("%d %H:%M"), o.start.utcoffset().total_seconds() / 3600) for o in parsed.occurrences
    ] == [
        ("16 09:00", -4.0),
        ("17 09:00", -4.0),
    ]


def test_latin1_file_is_decoded_with_a_warning():
    parsed = parse("latin1_summary.ics", tz="UTC")
    occurrence = parsed.occurrences[0]
    assert occurrence.summary == "Café mit Jürgen über Größe"
    assert occurrence.attendees[0].name == "Jürgen"
    assert parsed.encoding in {"cp1252", "latin-1"}
    assert any("not UTF-8" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (b"\xef\xbb\xbfBEGIN:VCALENDAR", "BEGIN:VCALENDAR", "utf-8"),
        ("BEGIN:VCALENDAR é".encode("utf-16"), "BEGIN:VCALENDAR é", "utf-16"),
        ("Café".encode(), "Café", "utf-8"),
        (b"Caf\xe9 \x96", "Café –", "cp1252"),
        (b"Caf\xe9 \x81", "Café \x81", "latin-1"),  # 0x81 is undefined in cp1252
    ],
)
def test_decode_ics(data, text, encoding):
    assert decode_ics(data) == (text, encoding)


@pytest.mark.parametrize(
    ("name_or_bytes", "message"),
    [
        (
            "not_icalendar.ics",
            r"not an iCalendar file: line 1 is 'this is not a calendar', expected BEGIN:VCALENDAR",
        ),
        ("truncated.ics", r"the file ends inside BEGIN:\w+ opened on line \d+ \(truncated\?\)"),
        ("mismatched_end.ics", r"line 13: END:VEVNT closes BEGIN:VEVENT opened on line 4"),
        (b"", r"no BEGIN:VCALENDAR found"),
        (b"\x00\x01\x02PK", r"binary data"),
        (b"BEGIN:VEVENT\nEND:VEVENT\n", r"line 1: BEGIN:VEVENT outside a VCALENDAR"),
        (
            b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:u1\nDTSTART:2026BAD\nEND:VEVENT\nEND:VCALENDAR\n",
            r"event 'u1': cannot read DTSTART",
        ),
        (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:u2\nEND:VEVENT\nEND:VCALENDAR\n", r"event 'u2' has no DTSTART"),
        (
            b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:u3\nDTSTART:20260101T000000Z\nRRULE:FREQ=SECONDLY\n"
            b"END:VEVENT\nEND:VCALENDAR\n",
            r"event 'u3' repeats every second",
        ),
    ],
)
def test_broken_files_are_refused_with_a_one_line_reason(name_or_bytes, message):
    data = (CALENDARS / name_or_bytes).read_bytes() if isinstance(name_or_bytes, str) else name_or_bytes
    with pytest.raises(InputError, match=message) as info:
        parse_calendar(data, tz="UTC", me=ME)
    assert "\n" not in str(info.value)


def test_too_many_occurrences_are_refused_not_expanded_forever():
    data = (
        b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:hourly\nDTSTART:20260101T000000Z\nDTEND:20260101T000500Z\n"
        b"RRULE:FREQ=HOURLY\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    with pytest.raises(InputError, match=r"more than 100 occurrences .*'hourly'"):
        parse_calendar(data, tz="UTC", start=date(2026, 1, 1), end=date(2026, 2, 1), max_occurrences=100)


@pytest.mark.parametrize(
    ("tz", "message"),
    [("Mars/Olympus", "unknown time zone 'Mars/Olympus'"), ("", "unknown time zone ''")],
)
def test_unknown_person_zone_is_refused(tz, message):
    with pytest.raises(InputError, match=message):
        parse("floating.ics", tz=tz)


def test_windows_zone_name_is_accepted_for_the_person():
    parsed = parse("floating.ics", tz="Eastern Standard Time")
    assert parsed.tz == "America/New_York"


def test_explicit_window_clips_occurrences():
    parsed = parse("dst_weekly_berlin.ics", start=date(2026, 3, 23), end=date(2026, 3, 31))
    assert [o.start.date() for o in parsed.occurrences] == [date(2026, 3, 23), date(2026, 3, 30)]


def test_empty_window_is_refused():
    with pytest.raises(InputError, match="window is empty"):
        parse("floating.ics", start=date(2026, 3, 20), end=date(2026, 3, 20))


def test_occurrence_to_dict_is_json_ready():
    occurrence = next(o for o in parse("moved_instance.ics").occurrences if o.summary == "Planning (moved)")
    data = occurrence.to_dict()
    assert data["start"] == "2026-01-14T14:00:00+01:00"
    assert data["participants"] == 2 and data["recurring"] is True
    assert (
        datetime.fromisoformat(data["end"]) - datetime.fromisoformat(data["start"])
        == occurrence.end - occurrence.start
    )
