"""Job crafting plan: task, relational and cognitive crafting (Wrzesniewski & Dutton 2001).

Pure: no Django. Limits and texts come from data/crafting.yaml. Task crafting moves hours from
draining to energising activities, never more than `max_shift_share` of the week, never more than
`max_cut_fraction` of one activity, and never below the floor of the current role's core activities.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

from pathcraft.errors import InputError
from pathcraft.paths.activities import DATA_DIR, ActivityCatalogue, load_activities, read_yaml_file
from pathcraft.paths.profile import Colleague, Profile
from pathcraft.paths.roles import Role, RoleCatalogue, load_roles
from pathcraft.paths.strengths import StrengthSettings, load_strength_settings

COGNITIVE_SOURCES = ("wrzesniewski2001", "slemp2013")
_NUMBERS = (
    "max_shift_share",
    "meaningful_share_target",
    "max_cut_fraction",
    "core_floor_fraction",
    "step_hours",
    "max_receivers",
)
_RELATIONAL = (
    "draining_with_colleague",
    "draining_generic",
    "energising_generic",
    "energising_with_colleague",
    "grow_with_colleague",
)


@dataclass(frozen=True)
class CraftingSettings:
    max_shift_share: float
    meaningful_share_target: float
    max_cut_fraction: float
    core_floor_fraction: float
    step_hours: float
    max_receivers: int
    relational: dict[str, str]
    cognitive: dict[str, str]
    sources: dict[str, str]
    grow_min_share: float = 0.08


@dataclass(frozen=True)
class HourShift:
    from_activity: str
    to_activity: str
    hours: float


@dataclass(frozen=True)
class RelationalSuggestion:
    activity_id: str
    kind: str  # draining | energising | grow
    colleague: str | None
    text: str


@dataclass(frozen=True)
class CognitivePrompt:
    activity_id: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class CraftingPlan:
    role_id: str | None
    total_hours: float
    shifts: tuple[HourShift, ...]
    hours_before: dict[str, float]
    hours_after: dict[str, float]
    floors: dict[str, float]  # hours each draining activity must keep, and why in `notes`
    drain_share_before: float
    drain_share_after: float
    top_energiser: str | None
    top_energiser_share_before: float
    top_energiser_share_after: float
    relational: tuple[RelationalSuggestion, ...]
    cognitive: tuple[CognitivePrompt, ...]
    notes: tuple[str, ...]

    @property
    def hours_moved(self) -> float:
        return sum(s.hours for s in self.shifts)


@functools.cache
def _default_settings() -> CraftingSettings:
    return load_crafting_settings(DATA_DIR / "crafting.yaml")


def load_crafting_settings(path: str | Path | None = None) -> CraftingSettings:
    """Limits, relational templates and cognitive prompts from data/crafting.yaml."""
    if path is None:
        return _default_settings()
    doc = read_yaml_file(path)
    data = doc.data if isinstance(doc.data, dict) else {}
    problems: list[str] = []
    values = {}
    for key in _NUMBERS:
        item = (data.get("task_crafting") or {}).get(key)
        if not isinstance(item, dict) or not isinstance(item.get("value"), int | float):
            problems.append(f"{doc.where('task_crafting', key)}: {key} needs a numeric value")
            continue
        if not (item.get("source") or item.get("estimate")):
            problems.append(f"{doc.where('task_crafting', key)}: {key} needs a source or an estimate reason")
        values[key] = item["value"]
    relational = {str(k): str(v) for k, v in (data.get("relational") or {}).items()}
    for key in _RELATIONAL:
        if key not in relational:
            problems.append(f"{doc.where('relational')}: relational template {key} is missing")
    cognitive = {str(k): str(v) for k, v in (data.get("cognitive") or {}).items()}
    if "default" not in cognitive:
        problems.append(f"{doc.where('cognitive')}: cognitive prompts need a 'default'")
    if problems:
        raise InputError(f"{doc.source}: {len(problems)} problem(s) in the crafting settings", problems)
    return CraftingSettings(
        max_shift_share=float(values["max_shift_share"]),
        meaningful_share_target=float(values["meaningful_share_target"]),
        max_cut_fraction=float(values["max_cut_fraction"]),
        core_floor_fraction=float(values["core_floor_fraction"]),
        step_hours=float(values["step_hours"]),
        max_receivers=int(values["max_receivers"]),
        relational=relational,
        cognitive=cognitive,
        sources={str(k): str(v) for k, v in (data.get("sources") or {}).items()},
        grow_min_share=load_roles().settings.grow_min_share,
    )


def _floor_step(hours: float, step: float) -> float:
    return math.floor(hours / step + 1e-9) * step


def craft_plan(
    profile: Profile,
    current_role: Role | str | None = None,
    colleagues: list[Colleague] | tuple[Colleague, ...] | None = None,
    roles: RoleCatalogue | None = None,
    activities: ActivityCatalogue | None = None,
    settings: CraftingSettings | None = None,
) -> CraftingPlan:
    """A crafting plan for the current role (or the profile's `current_role`, or none)."""
    activities = activities or load_activities()
    settings = settings or load_crafting_settings()
    thresholds = load_strength_settings()
    role = _resolve_role(current_role if current_role is not None else profile.current_role, roles)
    colleagues = tuple(colleagues) if colleagues is not None else profile.colleagues
    total = profile.total_hours
    before = {a.activity_id: a.hours for a in profile.answers.values() if a.hours > 0}
    notes: list[str] = []
    draining = _draining(profile, thresholds)
    receivers = _receivers(profile, role, thresholds)[: settings.max_receivers]
    # Rounded up to the cent of an hour so that a displayed floor is never below the true one.
    floors = {a: math.ceil(_floor(profile, a, role, total, settings) * 100 - 1e-9) / 100 for a in draining}
    shifts: list[HourShift] = []
    if total <= 0:
        notes.append("Log the hours you spend on each activity first: a plan needs a week to reshape.")
    elif not receivers:
        notes.append(
            "Nothing you rated energises you yet, so there is nowhere to move hours to: "
            "try an experiment first to find work that does."
        )
    elif not draining:
        notes.append("Nothing in your week drains you: keep the week as it is and protect it.")
    else:
        shifts = _plan_shifts(profile, draining, receivers, floors, total, settings)
    after = dict(before)
    for s in shifts:
        after[s.from_activity] = after.get(s.from_activity, 0.0) - s.hours
        after[s.to_activity] = after.get(s.to_activity, 0.0) + s.hours
    after = {a: round(h, 2) for a, h in after.items() if h > 1e-9}
    for a in draining:
        if (
            role
            and a in role.core
            and floors[a] > profile.answer(a).hours * (1 - settings.max_cut_fraction) + 1e-9
        ):
            notes.append(
                f"{activities[a].name} is core to the {role.name.lower()} role: the plan keeps at least "
                f"{floors[a]:.1f} h of it a week."
            )
    top = receivers[0] if receivers else None
    top_before = before.get(top, 0.0) / total if top and total else 0.0
    top_after = after.get(top, 0.0) / total if top and total else 0.0
    if top and total and top_after < settings.meaningful_share_target:
        notes.append(
            f"{activities[top].name} would still be {top_after:.0%} of your week; people who spend under "
            f"{settings.meaningful_share_target:.0%} of their time on their most meaningful work burn out more "
            "often (Shanafelt et al. 2009), so keep moving towards that over the next rounds."
        )
    if shifts:
        moved = sum(s.hours for s in shifts)
        notes.insert(
            0,
            f"Move {moved:g} h a week ({moved / total:.0%} of {total:g} h); one round of crafting moves at most "
            f"{settings.max_shift_share:.0%} of the week, about a day.",
        )
    drain_ids = set(draining)
    return CraftingPlan(
        role_id=role.id if role else None,
        total_hours=total,
        shifts=tuple(shifts),
        hours_before=before,
        hours_after=after,
        floors=floors,
        drain_share_before=sum(before.get(a, 0) for a in drain_ids) / total if total else 0.0,
        drain_share_after=sum(after.get(a, 0) for a in drain_ids) / total if total else 0.0,
        top_energiser=top,
        top_energiser_share_before=top_before,
        top_energiser_share_after=top_after,
        relational=tuple(_relational(profile, role, draining, receivers, colleagues, activities, settings)),
        cognitive=tuple(_cognitive(draining, after, activities, settings)),
        notes=tuple(notes),
    )


def _resolve_role(role: Role | str | None, roles: RoleCatalogue | None) -> Role | None:
    if role is None or isinstance(role, Role):
        return role
    return (roles or load_roles()).get(role)


def _draining(profile: Profile, thresholds: StrengthSettings) -> list[str]:
    """Draining activities with hours, most draining first, then the biggest."""
    items = [
        a
        for a in profile.answers.values()
        if a.hours > 0 and a.energy is not None and a.energy <= thresholds.draining_energy
    ]
    items.sort(key=lambda a: (a.energy, -a.hours, a.activity_id))
    return [a.activity_id for a in items]


def _receivers(profile: Profile, role: Role | None, thresholds: StrengthSettings) -> list[str]:
    """Energising activities to grow: most energising, part of the role, most skilled, least used."""
    items = [
        a
        for a in profile.answers.values()
        if a.energy is not None and a.energy >= thresholds.energising_energy
    ]
    items.sort(
        key=lambda a: (
            -a.energy,
            0 if role is None or role.share(a.activity_id) > 0 else 1,
            -(a.skill or 0),
            a.hours,
            a.activity_id,
        )
    )
    return [a.activity_id for a in items]


def _floor(
    profile: Profile, activity_id: str, role: Role | None, total: float, settings: CraftingSettings
) -> float:
    hours = profile.answer(activity_id).hours
    floor = hours * (1 - settings.max_cut_fraction)
    if role is not None and activity_id in role.core:
        floor = max(floor, settings.core_floor_fraction * role.share(activity_id) * total)
    return min(hours, floor)


def _plan_shifts(
    profile: Profile,
    draining: list[str],
    receivers: list[str],
    floors: dict[str, float],
    total: float,
    settings: CraftingSettings,
) -> list[HourShift]:
    step = settings.step_hours
    budget = _floor_step(settings.max_shift_share * total, step)
    cuttable = {a: _floor_step(max(0.0, profile.answer(a).hours - floors[a]), step) for a in draining}
    budget = min(budget, sum(cuttable.values()))
    # The most energising activity gets enough to reach the meaningful-work target first, if it can.
    top = receivers[0]
    needed = max(0.0, settings.meaningful_share_target * total - profile.answer(top).hours)
    equal = budget / len(receivers)
    capacity = {top: max(equal, min(needed, budget))}
    rest = budget - capacity[top]
    for r in receivers[1:]:
        capacity[r] = rest / (len(receivers) - 1)
    capacity = {r: _floor_step(c, step) for r, c in capacity.items()}
    shifts: list[HourShift] = []
    for source in draining:
        for receiver in receivers:
            amount = _floor_step(min(cuttable[source], capacity[receiver], budget), step)
            if amount < step:
                continue
            shifts.append(HourShift(source, receiver, amount))
            cuttable[source] -= amount
            capacity[receiver] -= amount
            budget -= amount
    return shifts


def _pick(colleagues: tuple[Colleague, ...], activity_id: str, attribute: str) -> Colleague | None:
    matches = [c for c in colleagues if activity_id in getattr(c, attribute)]
    # Someone both strong at it and enjoying it is the best partner; then by name for stable output.
    matches.sort(key=lambda c: (0 if activity_id in c.strong_at and activity_id in c.enjoys else 1, c.name))
    return matches[0] if matches else None


def _relational(
    profile: Profile,
    role: Role | None,
    draining: list[str],
    receivers: list[str],
    colleagues: tuple[Colleague, ...],
    activities: ActivityCatalogue,
    settings: CraftingSettings,
) -> list[RelationalSuggestion]:
    templates = settings.relational
    out = []
    for a in draining:
        partner = _pick(colleagues, a, "strong_at") or _pick(colleagues, a, "enjoys")
        key = "draining_with_colleague" if partner else "draining_generic"
        out.append(_suggest(a, "draining", partner, templates[key], activities))
    for a in receivers:
        partner = _pick(colleagues, a, "enjoys")
        key = "energising_with_colleague" if partner else "energising_generic"
        out.append(_suggest(a, "energising", partner, templates[key], activities))
    if role is not None and colleagues:
        for entry in role.entries:
            answer = profile.answer(entry.activity_id)
            if entry.share >= settings.grow_min_share and answer.skill is not None and answer.skill <= 2:
                partner = _pick(colleagues, entry.activity_id, "strong_at")
                if partner:
                    out.append(
                        _suggest(
                            entry.activity_id, "grow", partner, templates["grow_with_colleague"], activities
                        )
                    )
    return out


def _suggest(
    activity_id: str, kind: str, partner: Colleague | None, template: str, activities
) -> RelationalSuggestion:
    name = partner.name if partner else None
    text = template.format(activity=activities.short(activity_id), colleague=name or "")
    return RelationalSuggestion(activity_id, kind, name, text)


def _cognitive(
    draining: list[str], after: dict[str, float], activities: ActivityCatalogue, settings: CraftingSettings
) -> list[CognitivePrompt]:
    """A framing for each draining activity that stays in the week (the necessary part of it)."""
    prompts = []
    for a in draining:
        if after.get(a, 0.0) <= 0:
            continue
        template = settings.cognitive.get(a, settings.cognitive["default"])
        prompts.append(CognitivePrompt(a, template.format(activity=activities.short(a)), COGNITIVE_SOURCES))
    return prompts
