"""Classify each activity by performance x energy x use (the Realise2 4M model, thresholds in data).

Pure: no Django. Classes: realised strength, unrealised strength, learned behaviour, weakness, plus
'emerging' (energising, not yet strong), 'neutral' (can do it, neutral energy) and 'unrated', so
that every activity lands somewhere and nothing ordinary is called a weakness.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from pathcraft.errors import InputError
from pathcraft.paths.activities import DATA_DIR, ActivityCatalogue, load_activities, read_yaml_file
from pathcraft.paths.profile import Profile

CLASS_ORDER = (
    "realised_strength",
    "unrealised_strength",
    "emerging",
    "learned_behaviour",
    "weakness",
    "neutral",
    "unrated",
)


@dataclass(frozen=True)
class StrengthClass:
    id: str
    label: str
    rule: str
    advice: str


@dataclass(frozen=True)
class StrengthSettings:
    high_performance_skill: int
    low_performance_skill: int
    energising_energy: int
    draining_energy: int
    used_share: float
    classes: dict[str, StrengthClass]
    energy_words: dict[int, str]
    skill_words: dict[int, str]
    model_source: str


@dataclass(frozen=True)
class StrengthItem:
    """One activity's class, with the numbers that put it there."""

    activity_id: str
    category: str
    label: str
    advice: str
    skill: int | None
    energy: int | None
    hours: float
    share: float  # of the person's logged week
    reason: str


@functools.cache
def _default_settings() -> StrengthSettings:
    return load_strength_settings(DATA_DIR / "strengths.yaml")


def load_strength_settings(path: str | Path | None = None) -> StrengthSettings:
    """Thresholds and class texts from data/strengths.yaml (or another file of that shape)."""
    if path is None:
        return _default_settings()
    doc = read_yaml_file(path)
    data = doc.data if isinstance(doc.data, dict) else {}
    problems: list[str] = []
    thresholds = {}
    for key in (
        "high_performance_skill",
        "low_performance_skill",
        "energising_energy",
        "draining_energy",
        "used_share",
    ):
        item = (data.get("thresholds") or {}).get(key)
        if not isinstance(item, dict) or "value" not in item:
            problems.append(f"{doc.where('thresholds', key)}: threshold {key} needs a value")
            continue
        if not (item.get("source") or item.get("estimate")):
            problems.append(
                f"{doc.where('thresholds', key)}: threshold {key} needs a source or an estimate reason"
            )
        thresholds[key] = item["value"]
    classes = {}
    for cid in CLASS_ORDER:
        item = (data.get("classes") or {}).get(cid)
        if not isinstance(item, dict) or not all(item.get(k) for k in ("label", "rule", "advice")):
            problems.append(f"{doc.where('classes', cid)}: class {cid} needs a label, rule and advice")
            continue
        classes[cid] = StrengthClass(cid, str(item["label"]), str(item["rule"]), str(item["advice"]))
    model_source = str((data.get("model") or {}).get("source") or "")
    if not model_source:
        problems.append(f"{doc.where('model')}: the model needs a source")
    if problems:
        raise InputError(f"{doc.source}: {len(problems)} problem(s) in the strength settings", problems)
    return StrengthSettings(
        high_performance_skill=int(thresholds["high_performance_skill"]),
        low_performance_skill=int(thresholds["low_performance_skill"]),
        energising_energy=int(thresholds["energising_energy"]),
        draining_energy=int(thresholds["draining_energy"]),
        used_share=float(thresholds["used_share"]),
        classes=classes,
        energy_words={int(k): str(v) for k, v in (data.get("energy_scale") or {}).items()},
        skill_words={int(k): str(v) for k, v in (data.get("skill_scale") or {}).items()},
        model_source=model_source,
    )


def classify(skill: int | None, energy: int | None, share: float, settings: StrengthSettings) -> str:
    """The class id for one activity's skill, energy and share of the week."""
    if skill is None or energy is None:
        return "unrated"
    strong = skill >= settings.high_performance_skill
    energising = energy >= settings.energising_energy
    if strong and energising:
        return "realised_strength" if share >= settings.used_share else "unrealised_strength"
    if strong:
        return "learned_behaviour"
    if energising:
        return "emerging"
    if energy <= settings.draining_energy or skill <= settings.low_performance_skill:
        return "weakness"
    return "neutral"


def classify_strengths(
    profile: Profile,
    activities: ActivityCatalogue | None = None,
    settings: StrengthSettings | None = None,
    include_unanswered: bool = False,
) -> list[StrengthItem]:
    """Every answered activity (or every catalogue activity) with its class, in catalogue order."""
    activities = activities or load_activities()
    settings = settings or load_strength_settings()
    items = []
    for activity in activities:
        if activity.id not in profile.answers and not include_unanswered:
            continue
        answer = profile.answer(activity.id)
        share = profile.hours_share(activity.id)
        category = classify(answer.skill, answer.energy, share, settings)
        cls = settings.classes[category]
        items.append(
            StrengthItem(
                activity_id=activity.id,
                category=category,
                label=cls.label,
                advice=cls.advice,
                skill=answer.skill,
                energy=answer.energy,
                hours=answer.hours,
                share=share,
                reason=_reason(answer.skill, answer.energy, share, settings),
            )
        )
    return items


def group_by_class(items: list[StrengthItem]) -> dict[str, list[StrengthItem]]:
    """Items grouped by class id, classes in a fixed order (empty classes left out)."""
    grouped: dict[str, list[StrengthItem]] = {}
    for cid in CLASS_ORDER:
        members = [i for i in items if i.category == cid]
        if members:
            grouped[cid] = members
    return grouped


def _reason(skill: int | None, energy: int | None, share: float, settings: StrengthSettings) -> str:
    if skill is None or energy is None:
        missing = [name for name, v in (("skill", skill), ("energy", energy)) if v is None]
        return f"{' and '.join(missing)} not rated"
    skill_word = settings.skill_words.get(skill, str(skill))
    energy_word = settings.energy_words.get(energy, str(energy))
    return f"skill {skill}/5 ({skill_word}), energy {energy:+d} ({energy_word}), {share:.0%} of your week"
