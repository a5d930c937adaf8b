"""Settings for calendar analysis: defaults from data/calendar.yaml (each with its source) and working hours."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path

import yaml

from pathcraft.errors import InputError

DATA_FILE = Path(__file__).parent / "data" / "calendar.yaml"
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
RULE_CONDITIONS = frozenset(
    {"min_participants", "recurring", "summary_keywords", "min_minutes", "no_description"}
)


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """The person's working day in their own zone: start-end on the given weekdays (0 = Monday)."""

    start: time
    end: time
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})

    @property
    def hours_per_day(self) -> float:
        def seconds(t: time) -> float:
            return t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6

        return (seconds(self.end) - seconds(self.start)) / 3600

    def label(self) -> str:
        days = ",".join(DAY_NAMES[d].title() for d in sorted(self.weekdays))
        return f"{self.start:%H:%M}-{self.end:%H:%M} {days}"


@dataclass(frozen=True, slots=True)
class AsyncRule:
    """A data-driven reason why a meeting might work as a written update."""

    id: str
    reason: str
    min_participants: int | None = None
    recurring: bool | None = None
    summary_keywords: tuple[str, ...] = ()
    min_minutes: float | None = None  # strictly longer than
    no_description: bool = False
    source: str = ""  # the citation, or the reasoning behind an estimate


@dataclass(frozen=True, slots=True)
class CalendarSettings:
    """Every threshold the analysis uses; defaults come from data/calendar.yaml."""

    focus_block_minutes: int = 120
    focus_target_hours_per_week: float = 10
    back_to_back_gap_minutes: int = 10
    large_meeting_participants: int = 8
    one_on_one_participants: int = 2
    one_on_one_keywords: tuple[str, ...] = ()
    max_meeting_hours: float = 23
    count_tentative_as_meeting: bool = True
    busy_blocks_are_meetings: bool = False
    leave_keywords: tuple[str, ...] = ()
    default_working_hours: str = "09:00-17:00"
    default_work_days: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri")
    default_window_weeks: int = 52
    max_occurrences: int = 250_000
    trend_min_weeks: int = 4
    trend_flat_hours_per_week: float = 0.25
    async_rules: tuple[AsyncRule, ...] = ()
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    def with_overrides(self, **changes) -> CalendarSettings:
        """A copy with some values changed (None values are ignored), e.g. from CLI options."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def working_hours(self) -> WorkingHours:
        return parse_working_hours(self.default_working_hours, ",".join(self.default_work_days))


def parse_working_hours(hours: str, days: str | None = None) -> WorkingHours:
    """'09:00-17:00' and 'Mon-Fri' (or 'Mon,Tue,Thu') into WorkingHours; a clear error otherwise."""
    match = _HOURS.match(hours or "")
    if not match:
        raise InputError(f"working hours {hours!r} are not HH:MM-HH:MM (for example 09:00-17:00)")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        raise InputError(f"working hours {hours!r} are not valid times")
    start = time(h1, m1)
    end = time(23, 59, 59, 999999) if h2 == 24 else time(h2, m2)
    if end <= start:
        raise InputError(
            f"working hours {hours!r} end before they start (overnight shifts are not supported yet)"
        )
    return WorkingHours(start, end, parse_days(days) if days else frozenset(range(5)))


def parse_days(text: str) -> frozenset[int]:
    """'Mon-Fri', 'sun-thu' or 'Mon,Wed,Fri' into weekday numbers (0 = Monday)."""
    result: set[int] = set()
    for part in text.replace(" ", "").lower().split(","):
        if not part:
            continue
        ends = part.split("-")
        try:
            numbers = [DAY_NAMES.index(name[:3]) for name in ends]
        except ValueError:
            raise InputError(f"working days {text!r}: use day names like Mon-Fri or Mon,Tue,Thu") from None
        if len(numbers) == 1:
            result.add(numbers[0])
        elif len(numbers) == 2:
            first, last = numbers
            day = first
            while True:
                result.add(day)
                if day == last:
                    break
                day = (day + 1) % 7
        else:
            raise InputError(f"working days {text!r}: a range has two ends, like Mon-Fri")
    if not result:
        raise InputError(f"working days {text!r} name no day")
    return frozenset(result)


@functools.cache
def load_settings(path: str | None = None) -> CalendarSettings:
    """Read and validate data/calendar.yaml once: every value needs a source, or estimate: true with a reason."""
    file = Path(path) if path else DATA_FILE
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{file.name}: cannot read calendar defaults: {exc}") from None
    if not isinstance(raw, dict):
        raise InputError(f"{file.name}: expected a mapping of settings")
    problems = []
    values: dict = {}
    sources: dict[str, str] = {}
    known = {f for f in CalendarSettings.__dataclass_fields__ if f != "sources"}
    for key, entry in raw.items():
        if key not in known:
            problems.append(f"{key}: unknown setting")
            continue
        if not isinstance(entry, dict) or "value" not in entry:
            problems.append(f"{key}: expected 'value' with 'source' or 'estimate'")
            continue
        # async_rules is a list of rules that each carry their own source (checked in _rule)
        if (
            key != "async_rules"
            and not entry.get("source")
            and not (entry.get("estimate") and entry.get("reason"))
        ):
            problems.append(f"{key}: needs a source, or estimate: true and a reason")
        sources[key] = str(entry.get("source") or entry.get("reason") or "").strip()
        values[key] = entry["value"]
    rules = []
    for number, rule in enumerate(values.pop("async_rules", []) or [], start=1):
        try:
            rules.append(_rule(rule))
        except (TypeError, ValueError, KeyError) as exc:
            problems.append(f"async_rules #{number}: {exc}")
    if problems:
        raise InputError(f"{file.name}: invalid calendar defaults", problems)
    for key in ("leave_keywords", "default_work_days", "one_on_one_keywords"):
        if key in values:
            values[key] = tuple(str(v) for v in values[key])
    settings = CalendarSettings(**values, async_rules=tuple(rules), sources=sources)
    settings.working_hours()  # validates the default hours and days
    return settings


def _rule(entry: dict) -> AsyncRule:
    if not isinstance(entry, dict) or not entry.get("id") or not entry.get("reason"):
        raise ValueError("needs an id and a reason")
    when = entry.get("when") or {}
    unknown = set(when) - RULE_CONDITIONS
    if unknown:
        raise ValueError(f"unknown conditions {sorted(unknown)}")
    if not when:
        raise ValueError("needs at least one condition under 'when'")
    source = entry.get("source") or (entry.get("why") if entry.get("estimate") else None)
    if not source:
        raise ValueError(f"rule {entry['id']!r} needs a source, or estimate: true and why")
    return AsyncRule(
        id=str(entry["id"]),
        reason=str(entry["reason"]),
        min_participants=int(when["min_participants"]) if "min_participants" in when else None,
        recurring=bool(when["recurring"]) if "recurring" in when else None,
        summary_keywords=tuple(str(k).lower() for k in when.get("summary_keywords", ())),
        min_minutes=float(when["min_minutes"]) if "min_minutes" in when else None,
        no_description=bool(when.get("no_description", False)),
        source=" ".join(str(source).split()),
    )
