"""A person's talent and energy profile: per activity, hours a week, skill (1-5) and energy (-2..+2).

Pure: no Django. The YAML file format is documented in docs/paths-fit.md, with examples in
pathcraft/paths/examples/profile-*.yaml. Errors name the line and the field.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pathcraft.errors import InputError
from pathcraft.paths.activities import (
    ActivityCatalogue,
    YamlDocument,
    did_you_mean,
    load_activities,
    read_yaml,
    read_yaml_file,
)

SKILL_MIN, SKILL_MAX = 1, 5
ENERGY_MIN, ENERGY_MAX = -2, 2
MAX_HOURS = 100.0  # per activity and week: above this the number is surely a typo
FORMAT_VERSION = 1

# Words accepted for energy besides the numbers -2..2 (British and American spelling).
ENERGY_WORDS = {
    "drains": -2,
    "drains a lot": -2,
    "drains a little": -1,
    "neutral": 0,
    "energises a little": 1,
    "energizes a little": 1,
    "energises": 2,
    "energizes": 2,
    "energises a lot": 2,
    "energizes a lot": 2,
}


@dataclass(frozen=True)
class ActivityAnswer:
    """What a person said about one activity; None means 'not answered'."""

    activity_id: str
    hours: float = 0.0
    skill: int | None = None
    energy: int | None = None


@dataclass(frozen=True)
class Colleague:
    """A colleague named for relational crafting: what they are strong at and what they enjoy."""

    name: str
    strong_at: tuple[str, ...] = ()
    enjoys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """A snapshot of one person's week; keep several over time to see change."""

    answers: dict[str, ActivityAnswer] = field(default_factory=dict)
    name: str = ""
    taken_on: dt.date | None = None
    current_role: str | None = None
    colleagues: tuple[Colleague, ...] = ()

    def answer(self, activity_id: str) -> ActivityAnswer:
        """The answer for an activity, or an empty one (0 hours, unrated) if it was left out."""
        return self.answers.get(activity_id) or ActivityAnswer(activity_id)

    @property
    def total_hours(self) -> float:
        return sum(a.hours for a in self.answers.values())

    def hours_share(self, activity_id: str) -> float:
        """Share of the person's logged week spent on this activity (0 if no hours at all)."""
        total = self.total_hours
        return self.answer(activity_id).hours / total if total > 0 else 0.0

    def with_answer(self, activity_id: str, **changes: Any) -> Profile:
        """A copy with one activity's answer changed (hours, skill or energy)."""
        answers = dict(self.answers)
        answers[activity_id] = replace(self.answer(activity_id), **changes)
        return replace(self, answers=answers)

    def to_dict(self) -> dict[str, Any]:
        """The profile in the YAML file format (round-trips through parse_profile_data)."""
        data: dict[str, Any] = {"pathcraft_profile": FORMAT_VERSION}
        if self.name:
            data["name"] = self.name
        if self.taken_on:
            data["taken_on"] = self.taken_on.isoformat()
        if self.current_role:
            data["current_role"] = self.current_role
        data["activities"] = {
            a.activity_id: {
                k: v
                for k, v in (("hours", a.hours), ("skill", a.skill), ("energy", a.energy))
                if v is not None
            }
            for a in self.answers.values()
        }
        if self.colleagues:
            data["colleagues"] = [
                {"name": c.name, "strong_at": list(c.strong_at), "enjoys": list(c.enjoys)}
                for c in self.colleagues
            ]
        return data


def load_profile(path_or_text: str | Path, activities: ActivityCatalogue | None = None) -> Profile:
    """Load a profile from a file path (Path, or str without a newline) or from YAML text."""
    if isinstance(path_or_text, Path) or "\n" not in path_or_text:
        doc = read_yaml_file(path_or_text)
    else:
        doc = read_yaml(path_or_text, "<profile>")
    return parse_profile(doc, activities)


def parse_profile_data(
    data: Any, activities: ActivityCatalogue | None = None, source: str = "<profile>"
) -> Profile:
    """Validate plain data (e.g. from JSON) in the profile file format; errors have no line numbers."""
    return parse_profile(YamlDocument(data=data, lines={}, source=source), activities)


def parse_profile(doc: YamlDocument, activities: ActivityCatalogue | None = None) -> Profile:
    """Validate a parsed profile document; all problems are reported at once, each with its line."""
    activities = activities or load_activities()
    data = doc.data
    if not isinstance(data, dict):
        raise InputError(f"{doc.where()}: a profile must be a mapping with an 'activities' section")
    problems: list[str] = []
    known = {"pathcraft_profile", "name", "taken_on", "current_role", "activities", "colleagues"}
    for key in data:
        if key not in known:
            problems.append(f"{doc.where(key)}: unknown field {key!r}{did_you_mean(key, sorted(known))}")
    version = data.get("pathcraft_profile", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        problems.append(f"{doc.where('pathcraft_profile')}: unsupported profile format version {version!r}")
    taken_on = _parse_date(doc, data.get("taken_on"), problems)
    raw_activities = data.get("activities")
    answers: dict[str, ActivityAnswer] = {}
    if not isinstance(raw_activities, dict) or not raw_activities:
        problems.append(
            f"{doc.where('activities')}: 'activities' must map activity ids to hours, skill and energy"
        )
    else:
        for activity_id, raw in raw_activities.items():
            answer = _parse_answer(doc, str(activity_id), raw, activities, problems)
            if answer is not None:
                answers[answer.activity_id] = answer
    colleagues = _parse_colleagues(doc, data.get("colleagues"), activities, problems)
    if problems:
        raise InputError(f"{doc.source}: {len(problems)} problem(s) in the profile", problems)
    current_role = data.get("current_role")
    return Profile(
        answers=answers,
        name=str(data.get("name") or ""),
        taken_on=taken_on,
        current_role=str(current_role) if current_role else None,
        colleagues=colleagues,
    )


def _parse_date(doc: YamlDocument, value: Any, problems: list[str]) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{doc.where('taken_on')}: taken_on must be a date like 2025-03-01, got {value!r}")
        return None


def _parse_answer(
    doc: YamlDocument, activity_id: str, raw: Any, activities: ActivityCatalogue, problems: list[str]
) -> ActivityAnswer | None:
    at = ("activities", activity_id)
    if activity_id not in activities:
        problems.append(
            f"{doc.where(*at)}: unknown activity {activity_id!r}{did_you_mean(activity_id, activities.ids)}"
        )
        return None
    if not isinstance(raw, dict):
        problems.append(
            f"{doc.where(*at)}: {activity_id}: expected hours, skill and energy, e.g. {{hours: 4, skill: 3, energy: 1}}"
        )
        return None
    for key in raw:
        if key not in ("hours", "skill", "energy"):
            problems.append(
                f"{doc.where(*at, key)}: {activity_id}: unknown field {key!r}"
                + did_you_mean(key, ["hours", "skill", "energy"])
            )
    hours = raw.get("hours", 0)
    if hours is None:
        hours = 0
    if not _is_number(hours) or not 0 <= hours <= MAX_HOURS:
        problems.append(
            f"{doc.where(*at, 'hours')}: {activity_id}.hours must be a number from 0 to {MAX_HOURS:g}, got {hours!r}"
        )
        hours = 0
    skill = raw.get("skill")
    if skill is not None and (not _is_integer(skill) or not SKILL_MIN <= skill <= SKILL_MAX):
        problems.append(
            f"{doc.where(*at, 'skill')}: {activity_id}.skill must be a whole number from 1 to 5, got {skill!r}"
        )
        skill = None
    energy = _parse_energy(doc, activity_id, raw.get("energy"), problems)
    return ActivityAnswer(activity_id, float(hours), int(skill) if skill is not None else None, energy)


def _parse_energy(doc: YamlDocument, activity_id: str, value: Any, problems: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        word = " ".join(value.lower().split())
        if word in ENERGY_WORDS:
            return ENERGY_WORDS[word]
        if word.lstrip("+-").isdigit():
            value = int(word)
        else:
            problems.append(
                f"{doc.where('activities', activity_id, 'energy')}: {activity_id}.energy {value!r} is not one of "
                f"-2..2 or {', '.join(repr(w) for w in ('drains', 'drains a little', 'neutral', 'energises a little', 'energises'))}"
                + did_you_mean(word, list(ENERGY_WORDS))
            )
            return None
    if not _is_integer(value) or not ENERGY_MIN <= value <= ENERGY_MAX:
        problems.append(
            f"{doc.where('activities', activity_id, 'energy')}: {activity_id}.energy must be a whole number from -2 "
            f"(drains) to +2 (energises), got {value!r}"
        )
        return None
    return int(value)


def _parse_colleagues(
    doc: YamlDocument, raw: Any, activities: ActivityCatalogue, problems: list[str]
) -> tuple[Colleague, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.append(
            f"{doc.where('colleagues')}: 'colleagues' must be a list of {{name, strong_at, enjoys}}"
        )
        return ()
    colleagues = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not item.get("name"):
            problems.append(f"{doc.where('colleagues', i)}: each colleague needs a name")
            continue
        lists = {}
        for key in ("strong_at", "enjoys"):
            values = item.get(key) or []
            if not isinstance(values, list):
                problems.append(f"{doc.where('colleagues', i, key)}: {key} must be a list of activity ids")
                values = []
            for v in values:
                if v not in activities:
                    problems.append(
                        f"{doc.where('colleagues', i, key)}: colleague {item['name']}: unknown activity {v!r}"
                        + did_you_mean(v, activities.ids)
                    )
            lists[key] = tuple(str(v) for v in values if v in activities)
        colleagues.append(Colleague(name=str(item["name"]), **lists))
    return tuple(colleagues)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_integer(value: Any) -> bool:
    return _is_number(value) and float(value).is_integer()
