"""Time-boxed experiments (a rotation, shadowing a manager, leading an incident review, ...).

Pure: no Django. An experiment has a hypothesis, a duration, check-in dates and an outcome; the
outcome's new ratings feed back into the profile through `apply_outcome`, which returns a new
profile (the old one is kept as history by the caller).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field, replace
from pathlib import Path

from pathcraft.errors import InputError
from pathcraft.paths.activities import (
    DATA_DIR,
    ActivityCatalogue,
    did_you_mean,
    load_activities,
    read_yaml_file,
)
from pathcraft.paths.profile import ENERGY_MAX, ENERGY_MIN, SKILL_MAX, SKILL_MIN, Profile
from pathcraft.paths.roles import Role
from pathcraft.paths.strengths import classify_strengths

DECISIONS = ("adopt", "adapt", "drop")


@dataclass(frozen=True)
class ExperimentTemplate:
    id: str
    name: str
    description: str
    duration_weeks: int
    checkin_every_weeks: int
    activities: tuple[str, ...]
    hypothesis: str  # with {activities} and optionally {role}


@dataclass(frozen=True)
class Experiment:
    template_id: str
    name: str
    hypothesis: str
    activities: tuple[str, ...]
    start: dt.date
    end: dt.date
    checkins: tuple[dt.date, ...]


@dataclass(frozen=True)
class ExperimentOutcome:
    """What the person learned: new energy/skill ratings for the activities tried, and a decision."""

    ended_on: dt.date
    energy: dict[str, int] = field(default_factory=dict)
    skill: dict[str, int] = field(default_factory=dict)
    decision: str = "adapt"
    notes: str = ""
    experiment: Experiment | None = None


@functools.cache
def _default_templates() -> dict[str, ExperimentTemplate]:
    return load_experiment_templates(DATA_DIR / "crafting.yaml")


def load_experiment_templates(
    path: str | Path | None = None, activities: ActivityCatalogue | None = None
) -> dict[str, ExperimentTemplate]:
    """Experiment templates from the `experiments` list of data/crafting.yaml."""
    if path is None and activities is None:
        return _default_templates()
    activities = activities or load_activities()
    doc = read_yaml_file(path or DATA_DIR / "crafting.yaml")
    raw = doc.data.get("experiments") if isinstance(doc.data, dict) else None
    if not isinstance(raw, list):
        raise InputError(f"{doc.where('experiments')}: expected an 'experiments' list")
    problems: list[str] = []
    templates: dict[str, ExperimentTemplate] = {}
    for i, item in enumerate(raw):
        where = doc.where("experiments", i)
        keys = (
            "id",
            "name",
            "description",
            "duration_weeks",
            "checkin_every_weeks",
            "activities",
            "hypothesis",
        )
        missing = [k for k in keys if not (isinstance(item, dict) and item.get(k))]
        if missing:
            problems.append(f"{where}: experiment is missing {', '.join(missing)}")
            continue
        for a in item["activities"]:
            if a not in activities:
                problems.append(
                    f"{doc.where('experiments', i, 'activities')}: unknown activity {a!r}{did_you_mean(a, activities.ids)}"
                )
        if item["checkin_every_weeks"] > item["duration_weeks"]:
            problems.append(f"{where}: check-ins are further apart than the experiment is long")
        templates[str(item["id"])] = ExperimentTemplate(
            id=str(item["id"]),
            name=str(item["name"]),
            description=str(item["description"]),
            duration_weeks=int(item["duration_weeks"]),
            checkin_every_weeks=int(item["checkin_every_weeks"]),
            activities=tuple(str(a) for a in item["activities"]),
            hypothesis=str(item["hypothesis"]),
        )
    if problems:
        raise InputError(f"{doc.source}: {len(problems)} problem(s) in the experiment templates", problems)
    return templates


def plan_experiment(
    template_id: str,
    start: dt.date,
    role: Role | None = None,
    hypothesis: str | None = None,
    duration_weeks: int | None = None,
    templates: dict[str, ExperimentTemplate] | None = None,
    activities: ActivityCatalogue | None = None,
) -> Experiment:
    """An experiment from a template: end date and check-ins every `checkin_every_weeks`, last on the end."""
    templates = templates or load_experiment_templates()
    activities = activities or load_activities()
    if template_id not in templates:
        raise InputError(f"unknown experiment {template_id!r}{did_you_mean(template_id, list(templates))}")
    template = templates[template_id]
    weeks = duration_weeks if duration_weeks is not None else template.duration_weeks
    if weeks < 1:
        raise InputError(f"an experiment lasts at least one week, got {weeks}")
    end = start + dt.timedelta(weeks=weeks)
    every = min(template.checkin_every_weeks, weeks)
    checkins = [start + dt.timedelta(weeks=w) for w in range(every, weeks, every)]
    checkins.append(end)
    text = hypothesis or template.hypothesis.format(
        activities=activities.phrase(list(template.activities)),
        role=role.name.lower() if role else "another team",
    )
    return Experiment(template.id, template.name, text, template.activities, start, end, tuple(checkins))


def suggest_experiments(
    profile: Profile,
    target_role: Role | None = None,
    limit: int = 3,
    templates: dict[str, ExperimentTemplate] | None = None,
) -> list[ExperimentTemplate]:
    """Templates that test what the profile leaves open: unrated or emerging activities, unrealised
    strengths, and the big parts of a target role's week; ties by template id."""
    templates = templates or load_experiment_templates()
    open_questions: dict[str, float] = {}
    for item in classify_strengths(profile, include_unanswered=True):
        weight = {"unrated": 1.0, "emerging": 1.0, "unrealised_strength": 0.8}.get(item.category, 0.0)
        if target_role is not None:
            weight *= 1 + 4 * target_role.share(item.activity_id)
        if weight:
            open_questions[item.activity_id] = weight
    scored = [
        (sum(open_questions.get(a, 0.0) for a in t.activities) / len(t.activities), t)
        for t in templates.values()
    ]
    scored = [(s, t) for s, t in scored if s > 0]
    scored.sort(key=lambda st: (-st[0], st[1].id))
    return [t for _, t in scored[:limit]]


def apply_outcome(
    profile: Profile, outcome: ExperimentOutcome, activities: ActivityCatalogue | None = None
) -> Profile:
    """A new profile with the outcome's energy and skill ratings applied and dated `ended_on`.

    Only activities the outcome rates change; hours stay as they were (the week changes through
    crafting, not through one experiment). Ratings outside the scales, unknown activities or ratings
    for activities the experiment did not try are errors, and the profile is left unchanged.
    """
    activities = activities or load_activities()
    problems = []
    tried = set(outcome.experiment.activities) if outcome.experiment else None
    for kind, values, low, high in (
        ("energy", outcome.energy, ENERGY_MIN, ENERGY_MAX),
        ("skill", outcome.skill, SKILL_MIN, SKILL_MAX),
    ):
        for a, v in values.items():
            if a not in activities:
                problems.append(f"{kind}: unknown activity {a!r}{did_you_mean(a, activities.ids)}")
            elif tried is not None and a not in tried:
                problems.append(f"{kind}: {a!r} was not part of the experiment ({', '.join(sorted(tried))})")
            if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
                problems.append(f"{kind} for {a}: must be a whole number from {low} to {high}, got {v!r}")
    if outcome.decision not in DECISIONS:
        problems.append(f"decision must be one of {', '.join(DECISIONS)}, got {outcome.decision!r}")
    if problems:
        raise InputError("the experiment outcome cannot be applied", problems)
    updated = profile
    for a in sorted(set(outcome.energy) | set(outcome.skill)):
        changes = {}
        if a in outcome.energy:
            changes["energy"] = outcome.energy[a]
        if a in outcome.skill:
            changes["skill"] = outcome.skill[a]
        updated = updated.with_answer(a, **changes)
    return replace(updated, taken_on=outcome.ended_on)
