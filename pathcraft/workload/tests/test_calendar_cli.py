"""`pathcraft calendar analyze`, the defaults file, and the engine's independence from Django."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathcraft.errors import InputError
from pathcraft.workload.calendar import load_settings, parse_days, parse_working_hours
from pathcraft.workload.cli_calendar import calendar_group, commands

CALENDARS = Path(__file__).parent / "calendars"


def run(*args: str):
    return CliRunner().invoke(calendar_group, ["analyze", *args])


def test_commands_export_the_group():
    assert commands == [calendar_group]


def test_human_output_has_a_row_per_week_and_trends():
    result = run(str(CALENDARS / "dst_weekly_berlin.ics"), "--tz", "Europe/Berlin", "--me", "me@example.org")
    assert result.exit_code == 0, result.output
    for week in ("2026-W12", "2026-W13", "2026-W14", "2026-W15"):
        assert week in result.output
    assert "Trends" in result.output
    assert "meeting 4" in result.output


def test_json_output_with_window_and_focus_minutes():
    result = run(
        str(CALENDARS / "dst_weekly_berlin.ics"),
        "--tz", "Europe/Berlin", "--hours", "08:00-16:00", "--from", "2026-03-23", "--to", "2026-04-06",
        "--focus-min", "60", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [w["week"] for w in data["weeks"]] == ["2026-W13", "2026-W14"]
    assert data["settings"]["focus_block_minutes"] == 60
    assert data["working_hours"] == "08:00-16:00 Mon,Tue,Wed,Thu,Fri"
    # 08:00-16:00 with a 30-minute meeting at 09:00 on Monday: 08:00-09:00 and 09:30-16:00 are both >= 60 min.
    assert data["weeks"][0]["focus_hours"] == 39.5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tz", "Nowhere/City"], "unknown time zone 'Nowhere/City'"),
        (["--tz", "UTC", "--hours", "9-5"], "working hours '9-5' are not HH:MM-HH:MM"),
        (["--tz", "UTC", "--hours", "17:00-09:00"], "end before they start"),
        (["--tz", "UTC", "--days", "Mon-Fry"], "working days 'Mon-Fry'"),
    ],
)
def test_bad_options_raise_input_error_naming_the_file(args, message):
    result = run(str(CALENDARS / "floating.ics"), *args)
    assert isinstance(result.exception, InputError)
    assert message in str(result.exception)
    assert str(result.exception).startswith("floating.ics: ")


def test_broken_file_error_names_file_and_line():
    result = run(str(CALENDARS / "mismatched_end.ics"), "--tz", "UTC")
    assert isinstance(result.exception, InputError)
    assert (
        str(result.exception) == "mismatched_end.ics: line 13: END:VEVNT closes BEGIN:VEVENT opened on line 4"
    )


def test_missing_file_is_an_input_error(tmp_path):
    result = run(str(tmp_path / "nope.ics"), "--tz", "UTC")
    assert isinstance(result.exception, InputError)
    assert "cannot read" in str(result.exception)


def test_defaults_file_has_a_source_or_estimate_for_every_value():
    settings = load_settings()
    assert settings.focus_block_minutes == 120 and settings.back_to_back_gap_minutes == 10
    assert settings.focus_target_hours_per_week == 10 and settings.max_meeting_hours == 23
    assert "Clockwise" in settings.sources["focus_block_minutes"]
    assert "Human Factors Lab" in settings.sources["back_to_back_gap_minutes"]
    assert {r.id for r in settings.async_rules} >= {"standup_over_timebox", "large_recurring"}
    assert all(r.source for r in settings.async_rules)


def test_defaults_file_without_source_is_refused(tmp_path):
    bad = tmp_path / "calendar.yaml"
    bad.write_text("focus_block_minutes:\n  value: 90\nmystery: {value: 1, source: x}\n")
    with pytest.raises(InputError) as info:
        load_settings(str(bad))
    assert info.value.problems == [
        "focus_block_minutes: needs a source, or estimate: true and a reason",
        "mystery: unknown setting",
    ]


@pytest.mark.parametrize(
    ("text", "days"),
    [("Mon-Fri", {0, 1, 2, 3, 4}), ("sun-thu", {6, 0, 1, 2, 3}), ("Mon,Wed,Fri", {0, 2, 4}), ("Sat", {5})],
)
def test_parse_days(text, days):
    assert parse_days(text) == frozenset(days)


def test_parse_working_hours_until_midnight():
    hours = parse_working_hours("22:00-24:00")
    assert hours.hours_per_day == pytest.approx(2, abs=1e-3)


def test_engine_imports_no_django():
    code = "import sys, pathcraft.workload.calendar, pathcraft.workload.cli_calendar; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
