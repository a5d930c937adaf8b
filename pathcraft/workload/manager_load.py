"""A manager's structural load: span of control and the weekly hours their 1:1 cadence costs.

Pure engine; the ranges and minutes come from data/manager_load.yaml with their sources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from pathcraft.errors import InputError

DATA_FILE = Path(__file__).parent / "data" / "manager_load.yaml"


@cache
def data() -> dict:
    """data/manager_load.yaml, loaded once."""
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    for key in ("managers_of_engineers", "managers_of_managers"):
        if "source" not in raw["span_of_control"][key]:
            raise ValueError(f"{DATA_FILE.name}: span_of_control.{key} needs a source")
    return raw


@dataclass(frozen=True)
class SpanAssessment:
    reports: int
    low: int
    high: int
    status: str  # below | within | above
    message: str
    source: str


def assess_span(reports: int, manages_managers: bool = False) -> SpanAssessment:
    """Compare a number of direct reports with the published range for this kind of manager."""
    if isinstance(reports, bool) or not isinstance(reports, int) or reports < 0:
        raise InputError(f"the number of direct reports must be a whole number of 0 or more, not {reports!r}")
    entry = data()["span_of_control"]["managers_of_managers" if manages_managers else "managers_of_engineers"]
    low, high = int(entry["low"]), int(entry["high"])
    kind = "managers" if manages_managers else "direct reports"
    if reports > high:
        status, message = "above", f"{reports} {kind}: {reports - high} above the {low}-{high} range"
    elif reports < low:
        status, message = "below", f"{reports} {kind}: below the {low}-{high} range"
    else:
        status, message = "within", f"{reports} {kind}: within the {low}-{high} range"
    return SpanAssessment(reports, low, high, status, message, entry["source"])


@dataclass(frozen=True)
class OneOnOneCost:
    cadences: dict[str, int]  # cadence -> number of reports
    minutes_per_week: float
    hours_per_week: float
    share_of_week: float  # of the contracted week
    work_week_hours: float
    meeting_minutes: int
    prep_minutes: int


@dataclass(frozen=True)
class OneOnOne:
    """One recurring 1:1 as the growth app records it: its own length and how often it happens."""

    minutes: float
    per_week: float  # weekly 1, biweekly 0.5, monthly 12/52


def _cadence_name(per_week: float) -> str:
    for name, weeks in data()["one_on_ones"]["weeks_between"].items():
        if abs(per_week * float(weeks) - 1) < 0.01:
            return name
    return f"every {1 / per_week:g} weeks" if per_week > 0 else "never"


def _cadences(reports: int | Mapping[str, int], cadence: str) -> dict[str, int]:
    weeks = data()["one_on_ones"]["weeks_between"]
    counts = {cadence: reports} if isinstance(reports, int) and not isinstance(reports, bool) else reports
    if not isinstance(counts, Mapping):
        raise InputError(f"reports must be a number or a mapping of cadence to number, not {reports!r}")
    for name, count in counts.items():
        if name not in weeks:
            raise InputError(f"unknown 1:1 cadence {name!r}; use one of: {', '.join(weeks)}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise InputError(f"number of {name} reports must be a whole number of 0 or more, not {count!r}")
    return {name: count for name, count in counts.items() if count}


def one_on_one_cost(
    reports: int | Mapping[str, int] | Sequence[OneOnOne],
    cadence: str = "weekly",
    minutes: int | None = None,
    prep_minutes: float | None = None,
    work_week_hours: float | None = None,
) -> OneOnOneCost:
    """Weekly hours spent in and preparing 1:1s: 13 weekly reports at 30 + 10 minutes cost 8.7 h, 22% of 40 h.

    `reports` is a count (all on `cadence`), a mix such as {"weekly": 8, "biweekly": 5}, or the recorded
    1:1s themselves (`OneOnOne`, each with its own length and frequency). The one place this sum is done:
    the workload signals and the growth dashboard both call it.
    """
    defaults = data()["one_on_ones"]
    minutes = defaults["minutes"]["value"] if minutes is None else minutes
    prep_minutes = defaults["prep_minutes"]["value"] if prep_minutes is None else prep_minutes
    week = defaults["work_week_hours"]["value"] if work_week_hours is None else work_week_hours
    for label, value in (("meeting minutes", minutes), ("preparation minutes", prep_minutes)):
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value > 480:
            raise InputError(f"{label} must be between 0 and 480, not {value!r}")
    if not isinstance(week, int | float) or week <= 0:
        raise InputError(f"the working week must be a positive number of hours, not {week!r}")
    if isinstance(reports, Sequence) and not isinstance(reports, str):
        meetings = list(reports)
        for meeting in meetings:
            if not isinstance(meeting, OneOnOne) or meeting.minutes < 0 or meeting.per_week < 0:
                raise InputError(f"a 1:1 needs a length and a frequency of 0 or more, not {meeting!r}")
        counts: dict[str, int] = {}
        for meeting in meetings:
            name = _cadence_name(meeting.per_week)
            counts[name] = counts.get(name, 0) + 1
        per_week = sum((m.minutes + prep_minutes) * m.per_week for m in meetings)
        if meetings:
            minutes = round(sum(m.minutes for m in meetings) / len(meetings))
    else:
        counts = _cadences(reports, cadence)
        weeks_between = defaults["weeks_between"]
        per_week = sum(
            count * (minutes + prep_minutes) / float(weeks_between[name]) for name, count in counts.items()
        )
    hours = per_week / 60
    return OneOnOneCost(
        cadences=counts,
        minutes_per_week=round(per_week, 1),
        hours_per_week=round(hours, 1),
        share_of_week=round(hours / week, 3),
        work_week_hours=week,
        meeting_minutes=minutes,
        prep_minutes=prep_minutes,
    )


@dataclass(frozen=True)
class CadenceChange:
    before: OneOnOneCost
    after: OneOnOneCost
    hours_freed: float


def move_to_biweekly(weekly_reports: int, move: int, **kwargs) -> CadenceChange:
    """What moving `move` of `weekly_reports` weekly 1:1s to biweekly would free each week."""
    if isinstance(move, bool) or not isinstance(move, int) or not 0 <= move <= weekly_reports:
        raise InputError(f"can move between 0 and {weekly_reports} reports to biweekly, not {move!r}")
    before = one_on_one_cost({"weekly": weekly_reports}, **kwargs)
    after = one_on_one_cost({"weekly": weekly_reports - move, "biweekly": move}, **kwargs)
    freed = round((before.minutes_per_week - after.minutes_per_week) / 60, 1)
    return CadenceChange(before, after, freed)


def suggested_biweekly(reports: int) -> int:
    """How many reports to move to biweekly to bring weekly 1:1s back to the practitioners' ~8 (0 if at or below)."""
    limit = int(data()["one_on_ones"]["biweekly_above_reports"]["value"])
    return max(0, reports - limit)
