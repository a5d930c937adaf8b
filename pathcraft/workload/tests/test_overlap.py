"""Time-zone overlap: worked values, daylight-saving weeks, properties, CSV input, heatmap and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pathcraft.errors import InputError
from pathcraft.workload import overlap as ov
from pathcraft.workload.cli_overlap import overlap_command

EVERY_DAY = "Mon-Sun"


def test_engine_imports_no_django():
    modules = "overlap, cli_overlap, cbi, manager_load, incidents, inequality, signals"
    code = f"import sys; from pathcraft.workload import {modules}; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- Los Angeles and Berlin in 2026: 8 h apart between the two daylight-saving switches, otherwise 9 h ----------


@pytest.mark.parametrize(
    "day, hours_apart",
    [
        ("2026-01-15", 9),
        ("2026-03-07", 9),  # the day before the US switch
        ("2026-03-09", 8),  # US on summer time, EU not yet
        ("2026-03-28", 8),
        ("2026-03-30", 9),  # both on summer time
        ("2026-07-01", 9),
        ("2026-10-24", 9),
        ("2026-10-26", 8),  # EU back on winter time, US not yet
        ("2026-10-31", 8),
        ("2026-11-02", 9),
    ],
)
def test_los_angeles_berlin_offset(day, hours_apart):
    noon = datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)
    assert ov.offset_difference_hours("America/Los_Angeles", "Europe/Berlin", noon) == hours_apart


@pytest.mark.parametrize(
    "week, daily_hours",
    [
        ("2026-03-02", 1),  # 9 h apart: LA 07-15 meets Berlin 09-17 for one hour (16:00-17:00 Berlin)
        ("2026-03-09", 2),  # 8 h apart in the US-only daylight-saving weeks
        ("2026-03-16", 2),
        ("2026-03-30", 1),
        ("2026-10-19", 1),
        ("2026-10-26", 2),
        ("2026-11-02", 1),
    ],
)
def test_los_angeles_berlin_weekly_overlap_follows_daylight_saving(week, daily_hours):
    la = ov.person("Lu", "America/Los_Angeles", "07:00-15:00")
    berlin = ov.person("Bea", "Europe/Berlin", "09:00-17:00")
    pair = ov.pair_overlap(la, berlin, date.fromisoformat(week))
    assert pair.weekly_minutes == 5 * daily_hours * 60
    assert pair.best_window_minutes == daily_hours * 60
    assert len(pair.windows) == 5


def test_switch_inside_the_week_changes_overlap_from_that_day():
    # Berlin switches on Sunday 2026-03-29; with seven working days the Sunday already has the 9-hour gap.
    la = ov.person("Lu", "America/Los_Angeles", "07:00-15:00", EVERY_DAY)
    berlin = ov.person("Bea", "Europe/Berlin", "09:00-17:00", EVERY_DAY)
    pair = ov.pair_overlap(la, berlin, date(2026, 3, 25))
    assert [int((e - s).total_seconds() // 60) for s, e in pair.windows] == [120] * 6 + [60]


def _pair_at_distance(d: int) -> tuple[ov.Person, ov.Person]:
    """Two people with 09-17 every day whose clocks are d hours apart (Etc/GMT-x means UTC+x)."""
    west = max(0, d - 14)
    east = d - west
    a = ov.person("West", f"Etc/GMT+{west}" if west else "Etc/UTC", "09:00-17:00", EVERY_DAY)
    b = ov.person("East", f"Etc/GMT-{east}" if east else "Etc/UTC", "09:00-17:00", EVERY_DAY)
    return a, b


@pytest.mark.parametrize("d", range(0, 17))
def test_nine_to_five_overlap_shrinks_with_distance_and_vanishes_from_8_to_16_hours(d):
    a, b = _pair_at_distance(d)
    pair = ov.pair_overlap(a, b, date(2026, 6, 10))
    assert pair.best_window_minutes == max(0, 8 - d) * 60
    assert pair.weekly_minutes == 7 * max(0, 8 - d) * 60
    assert pair.live == (d <= 7)


@pytest.mark.parametrize("d", [17, 18, 20])
def test_overlap_across_the_date_line_is_found_on_the_neighbouring_day(d):
    # 17+ hours apart "the long way" is 24 - d the short way: one person's evening meets the other's next morning.
    a = ov.person("West", "Etc/GMT+7", "09:00-17:00", EVERY_DAY)  # UTC-7
    b = ov.person("East", f"Etc/GMT-{d - 7}", "09:00-17:00", EVERY_DAY)
    pair = ov.pair_overlap(a, b, date(2026, 6, 10))
    assert pair.best_window_minutes == (d - 16) * 60
    # West's Sunday evening meets East's Monday of the next week, outside this week: six windows.
    assert len(pair.windows) == 6


def test_overnight_shift_intersects_the_next_morning():
    night = ov.person("Night", "Etc/UTC", "22:00-06:00", EVERY_DAY)
    early = ov.person("Early", "Etc/UTC", "00:00-08:00", EVERY_DAY)
    pair = ov.pair_overlap(night, early, date(2026, 6, 10))
    assert pair.best_window_minutes == 6 * 60
    assert pair.weekly_minutes == 6 * 6 * 60  # the last night runs into next week's Monday


ZONES = [
    "America/Los_Angeles",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Asia/Kathmandu",
]
person_strategy = st.builds(
    lambda z, start, length, days: ov.Person("p", z, start * 15, min(1440, start * 15 + length * 15), days),
    st.sampled_from(ZONES),
    st.integers(0, 80),
    st.integers(1, 48),
    st.frozensets(st.integers(0, 6), min_size=1),
)


@settings(max_examples=60, deadline=None)
@given(person_strategy, person_strategy, st.dates(date(2026, 1, 1), date(2027, 12, 31)))
def test_overlap_is_symmetric_never_negative_and_within_each_working_day(a, b, day):
    a = ov.Person("a", a.timezone, a.start_minute, a.end_minute, a.work_days)
    b = ov.Person("b", b.timezone, b.start_minute, b.end_minute, b.work_days)
    ab, ba = ov.pair_overlap(a, b, day), ov.pair_overlap(b, a, day)
    assert ab.weekly_minutes == ba.weekly_minutes >= 0
    longest_day = min(a.day_minutes, b.day_minutes) + 60  # a clock change can lengthen one day by an hour
    for start, end in ab.windows:
        assert timedelta_minutes(end - start) > 0
        assert timedelta_minutes(end - start) <= longest_day
    own = [sum(timedelta_minutes(e - s) for s, e in ov.working_intervals(p, day)) for p in (a, b)]
    assert ab.weekly_minutes <= min(own)


def timedelta_minutes(delta) -> int:
    return int(delta.total_seconds() // 60)


def test_matrix_is_symmetric_with_own_week_on_the_diagonal():
    team = [ov.person(n, z) for n, z in [("A", "Europe/Berlin"), ("B", "Europe/London"), ("C", "Asia/Tokyo")]]
    m = ov.overlap_matrix(team, date(2026, 6, 10))
    assert all(m.minutes[i][j] == m.minutes[j][i] for i in range(3) for j in range(3))
    assert [m.minutes[i][i] for i in range(3)] == [5 * 8 * 60] * 3
    assert m.pair("A", "B").weekly_minutes == 5 * 7 * 60  # London is one hour behind Berlin
    assert m.pair("A", "C").weekly_minutes == 5 * 1 * 60  # Tokyo is 7 hours ahead of Berlin in June
    assert {(p.a, p.b) for p in m.cannot_collaborate_live} == {("B", "C")}


def test_threshold_decides_who_can_collaborate_live():
    team = [ov.person("A", "Europe/Berlin"), ov.person("C", "Asia/Tokyo")]
    assert ov.overlap_matrix(team, date(2026, 6, 10), min_overlap_hours=1).pairs[0].live
    assert not ov.overlap_matrix(team, date(2026, 6, 10), min_overlap_hours=1.5).pairs[0].live
    with pytest.raises(InputError, match="between 0 and 24"):
        ov.overlap_matrix(team, date(2026, 6, 10), min_overlap_hours=-1)


# --- bad input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Europe/Berln", "Pacific Standard Time", "", "../etc/passwd", "europe/berlin"]
)
def test_invalid_zone_is_a_clear_input_error(name):
    with pytest.raises(InputError, match="time zone") as exc:
        ov.person("X", name)
    assert "IANA" in str(exc.value)


@pytest.mark.parametrize("text", ["9am", "25:00", "12:60", "", "24:30", "9"])
def test_bad_times_are_refused(text):
    with pytest.raises(InputError, match="bad time"):
        ov.parse_time(text)


def test_24_00_only_as_end_and_equal_start_end_refused():
    assert ov.parse_time("24:00", end=True) == 1440
    with pytest.raises(InputError, match="24:00 only as an end"):
        ov.parse_time("24:00")
    with pytest.raises(InputError, match="same time"):
        ov.person("X", "Europe/Berlin", "09:00-09:00")


@pytest.mark.parametrize(
    "text, days",
    [("Mon-Fri", {0, 1, 2, 3, 4}), ("Sun-Thu", {6, 0, 1, 2, 3}), ("mon,wed,friday", {0, 2, 4}), ("Sat", {5})],
)
def test_work_days(text, days):
    assert ov.parse_work_days(text) == days


def test_bad_work_days():
    with pytest.raises(InputError, match="bad working days"):
        ov.parse_work_days("Mon-Fry")


CSV = """name,email,timezone,work_start,work_end,work_days
Ana,ana@example.com,America/Los_Angeles,09:00,17:00,Mon-Fri
Ben,ben@example.com,Europe/Berlin,09:00,17:00,
Chitra,chitra@example.com,Asia/Kolkata,10:00,18:00,Sun-Thu
"""


def test_people_csv_reads_columns_and_defaults():
    people = ov.parse_people_csv(CSV.encode("utf-8-sig"))
    assert [p.key for p in people] == ["ana@example.com", "ben@example.com", "chitra@example.com"]
    assert people[1].work_days == frozenset(range(5))
    assert people[2].work_days == frozenset({6, 0, 1, 2, 3})
    assert people[2].start_minute == 600


def test_people_csv_lists_every_bad_row_with_its_line_and_reads_nothing():
    bad = (
        "name,email,timezone,work_start,work_end\n"
        "Ana,ana@example.com,America/LosAngeles,09:00,17:00\n"
        "Ben,ben@example.com,Europe/Berlin,9am,17:00\n"
        "Cy,cy@example.com,Europe/Paris,09:00,17:00\n"
        "Cy again,cy@example.com,Europe/Paris,09:00,17:00\n"
    )
    with pytest.raises(InputError, match="3 bad row") as exc:
        ov.parse_people_csv(bad, source="team.csv")
    text = str(exc.value)
    assert "line 2: unknown time zone 'America/LosAngeles'" in text
    assert "line 3: bad time '9am'" in text
    assert "line 5: cy@example.com already given on line 4" in text


@pytest.mark.parametrize(
    "data, message",
    [
        ("", "is empty"),
        ("name,email,timezone\nA,a@x,UTC\n", "lacks column(s) work_start, work_end"),
        ("name,email,timezone,work_start,work_end\n", "no people"),
        (b"name,email,timezone,work_start,work_end\n\xff\xfe,x,y,z,w\n", "not UTF-8"),
    ],
)
def test_people_csv_whole_file_errors(data, message):
    with pytest.raises(InputError) as exc:
        ov.parse_people_csv(data)
    assert message in str(exc.value)


# --- meeting slots, burden and rotation ---------------------------------------------------------------------------


def test_slot_inside_everyones_hours_when_one_exists():
    team = [
        ov.person("A", "Europe/Berlin"),
        ov.person("B", "Europe/London"),
        ov.person("C", "America/New_York"),
    ]
    slots = ov.best_slots(team, date(2026, 6, 10), minutes=60)
    assert slots[0].inside_everyones_hours
    assert slots[0].burden == {"A": 0, "B": 0, "C": 0}
    # New York 09:00 is Berlin 15:00: the only all-inside hours are 15:00-17:00 Berlin
    assert slots[0].local_starts["C"] in {"Mon 09:00", "Mon 09:15", "Mon 09:30", "Mon 09:45", "Mon 10:00"}


def test_slots_are_ranked_by_worst_burden_then_total():
    team = [
        ov.person("LA", "America/Los_Angeles"),
        ov.person("BLR", "Asia/Kolkata"),
        ov.person("BER", "Europe/Berlin"),
    ]
    candidates = ov.candidate_slots(team, date(2026, 6, 10), minutes=60)
    best = ov.best_slots(team, date(2026, 6, 10), minutes=60)
    assert best[0].rank_key() == min(c.rank_key() for c in candidates)
    assert [s.rank_key()[:2] for s in best] == sorted(s.rank_key()[:2] for s in best)
    assert all(not s.inside_everyones_hours for s in best)
    # Among equally burdened slots the one nearest people's days comes first (not 02:00 for someone).
    assert best[0].max_reach == min(
        c.max_reach for c in candidates if c.rank_key()[:2] == best[0].rank_key()[:2]
    )


def test_burden_counts_minutes_outside_hours_per_person():
    team = [
        ov.person("A", "Etc/UTC", "09:00-17:00", EVERY_DAY),
        ov.person("B", "Etc/GMT-2", "09:00-17:00", EVERY_DAY),
    ]
    slots = {s.start.strftime("%a %H:%M"): s for s in ov.candidate_slots(team, date(2026, 6, 10), minutes=60)}
    assert slots["Mon 09:00"].burden == {"A": 0, "B": 0}  # 11:00 for B
    assert slots["Mon 14:30"].burden == {"A": 0, "B": 30}  # 16:30-17:30 for B
    assert slots["Mon 20:00"].burden == {"A": 60, "B": 60}


def test_rotation_shares_the_burden_when_no_slot_fits_everyone():
    team = [ov.person("LA", "America/Los_Angeles"), ov.person("BLR", "Asia/Kolkata")]
    week = date(2026, 6, 10)
    single = ov.best_slots(team, week, minutes=60)[0]
    assert not single.inside_everyones_hours
    rot = ov.rotation(team, week, minutes=60, weeks=4)
    assert rot.weeks == 4
    assert rot.burden == ov.burden_carriers(rot.slots)
    assert all(v > 0 for v in rot.burden.values())  # nobody carries it alone
    assert max(rot.burden.values()) < 4 * max(single.burden.values())  # fairer than the same slot every week
    assert sum(rot.burden.values()) == sum(s.total_burden for s in rot.slots)


def test_auckland_monday_morning_counts_as_working_time():
    # Sunday 21:00 UTC is Monday 09:00 in Auckland (NZST, UTC+12): next week's working day, not off hours.
    team = [ov.person("AKL", "Pacific/Auckland", "09:00-17:00")]
    slots = {s.start: s for s in ov.candidate_slots(team, date(2026, 6, 10), minutes=60)}
    assert slots[datetime(2026, 6, 14, 21, 0, tzinfo=UTC)].burden == {"AKL": 0}


# --- SVG heatmap and CLI --------------------------------------------------------------------------------------------


def test_heatmap_is_accessible_svg_with_labels():
    team = [
        ov.person("Ana <3", "Europe/Berlin"),
        ov.person("Bo & Co", "Asia/Tokyo"),
        ov.person("Cy", "America/Denver"),
    ]
    svg = ov.heatmap_svg(ov.overlap_matrix(team, date(2026, 6, 10)))
    root = ET.fromstring(svg)  # well-formed: names are escaped
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert root.find(f"{ns}title").text.startswith("Weekly working-hour overlap")
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "Ana <3" in texts and "Bo & Co" in texts
    assert "none" in texts  # Tokyo and Denver share nothing
    assert "5.0" in texts  # Berlin-Tokyo: one hour a day


def test_cli_json_text_and_svg(tmp_path):
    people = tmp_path / "team.csv"
    people.write_text(CSV, encoding="utf-8")
    svg = tmp_path / "heat.svg"
    result = CliRunner().invoke(
        overlap_command, [str(people), "--week", "2026-03-10", "--json", "--svg", str(svg)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["week_start"] == "2026-03-09"
    assert ["ana@example.com", "ben@example.com"] in report["cannot_collaborate_live"]
    assert set(report["slots"]) == {"30", "60"}
    assert report["rotation"] is not None and set(report["rotation"]["burden_minutes"]) == {
        "ana@example.com",
        "ben@example.com",
        "chitra@example.com",
    }
    assert svg.read_text().startswith("<svg")
    text = CliRunner().invoke(overlap_command, [str(people), "--week", "2026-03-10"])
    assert "cannot collaborate live" in text.output and "rotate week by week" in text.output


def test_cli_errors_are_input_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email,timezone,work_start,work_end\nA,a@x.org,Mars/Olympus,09:00,17:00\n")
    result = CliRunner().invoke(overlap_command, [str(bad)])
    assert isinstance(result.exception, InputError)
    assert "line 2: unknown time zone 'Mars/Olympus'" in str(result.exception)
    good = tmp_path / "good.csv"
    good.write_text(CSV)
    result = CliRunner().invoke(overlap_command, [str(good), "--week", "next tuesday"])
    assert isinstance(result.exception, InputError) and "not a date" in str(result.exception)
    missing = CliRunner().invoke(overlap_command, [str(tmp_path / "nope.csv")])
    assert isinstance(missing.exception, InputError) and "cannot read" in str(missing.exception)


@settings(max_examples=25, deadline=None)
@given(st.lists(person_strategy, min_size=1, max_size=4), st.dates(date(2026, 1, 1), date(2027, 12, 31)))
def test_candidate_slots_agree_with_a_minute_by_minute_count(people, day):
    """Each slot's off-hours minutes and distance to work, checked against the plainest possible count."""
    people = [
        ov.Person(f"p{i}", p.timezone, p.start_minute, p.end_minute, p.work_days)
        for i, p in enumerate(people)
    ]
    ref = datetime.combine(ov.week_start(day), datetime.min.time(), tzinfo=UTC)
    working = {}
    for p in people:
        minutes = set()
        for shift in (-7, 0, 7):
            for s, e in ov.working_intervals(p, day + timedelta(days=shift)):
                minutes.update(range(timedelta_minutes(s - ref), timedelta_minutes(e - ref)))
        working[p.key] = minutes
    for slot in ov.candidate_slots(people, day, minutes=60, grid=180):
        first = timedelta_minutes(slot.start - ref)
        for p in people:
            inside = sum(1 for m in range(first, first + 60) if m in working[p.key])
            assert slot.burden[p.key] == 60 - inside
            if inside == 0:
                gaps = [first - m - 1 for m in working[p.key] if m < first] + [
                    m - first - 60 for m in working[p.key] if m >= first + 60
                ]
                assert slot.reach[p.key] == min(gaps)
