"""Role fit: how a role's typical week meets a person's skills and energy, explained in words.

Pure: no Django. Definitions (docs/paths-fit.md has the long form):

* energy fit  = 100 * sum over the role's activities of share * (energy + 2) / 4   (energy in -2..+2)
* skill fit   = 100 * sum over the role's activities of share * (skill - 1) / 4    (skill in 1..5)
* score       = w * energy fit + (1 - w) * skill fit, w = `energy_weight` from roles.yaml

Unrated answers count as `unknown_energy` (neutral) and `unknown_skill` (3 of 5). Because every
term is linear with a non-negative weight, the scores stay within 0..100, never fall when an
energy or skill rises (monotone), and one step on one answer moves a role's energy or skill fit
by exactly 25 * share points and its score by at most that (Lipschitz bound, see `step_bound`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from pathcraft.paths.activities import ActivityCatalogue, join_words, load_activities
from pathcraft.paths.profile import ENERGY_MAX, ENERGY_MIN, SKILL_MAX, SKILL_MIN, Profile
from pathcraft.paths.roles import FitSettings, Role, RoleCatalogue, load_roles
from pathcraft.paths.strengths import StrengthSettings, load_strength_settings

POINTS_PER_STEP = 100.0 / 4  # one step on a 5-point scale is a quarter of its range
MAX_NAMED = 4  # activities named in one sentence before "and N more"


@dataclass(frozen=True)
class ActivityShare:
    """An activity of a role's week, with the person's answer for it."""

    activity_id: str
    name: str
    share: float  # of the role's week
    skill: int | None
    energy: int | None


@dataclass(frozen=True)
class RoleFit:
    role_id: str
    role_name: str
    score: float  # 0-100, combined
    energy_fit: float  # 0-100
    skill_fit: float  # 0-100
    drain_share: float  # share of the role's week on activities the person rates as draining
    draining: tuple[ActivityShare, ...]  # those above drain_min_share, biggest first
    energise_share: float
    energising: tuple[ActivityShare, ...]
    grow: tuple[ActivityShare, ...]  # big share, low skill: skills to grow
    unrated_share: float
    unrated: tuple[ActivityShare, ...]
    new_work_share: float  # share of the role's week beyond what the person does now
    explanation: tuple[str, ...]
    rank: int = 0


def step_bound(role: Role, activity_id: str) -> float:
    """Most points any score of `role` can move when one answer for `activity_id` moves one step."""
    return POINTS_PER_STEP * role.share(activity_id)


def fit_role(
    profile: Profile,
    role: Role,
    activities: ActivityCatalogue | None = None,
    settings: FitSettings | None = None,
    strength_settings: StrengthSettings | None = None,
) -> RoleFit:
    """Score one role for one profile and explain the result."""
    activities = activities or load_activities()
    settings = settings or FitSettings()
    thresholds = strength_settings or load_strength_settings()
    energy_total = skill_total = 0.0
    draining, energising, grow, unrated = [], [], [], []
    drain_share = energise_share = unrated_share = new_work = 0.0
    total_hours = profile.total_hours
    for entry in role.entries:
        answer = profile.answer(entry.activity_id)
        energy = answer.energy if answer.energy is not None else settings.unknown_energy
        skill = answer.skill if answer.skill is not None else settings.unknown_skill
        energy_total += entry.share * (energy - ENERGY_MIN) / (ENERGY_MAX - ENERGY_MIN)
        skill_total += entry.share * (skill - SKILL_MIN) / (SKILL_MAX - SKILL_MIN)
        item = ActivityShare(
            entry.activity_id, activities[entry.activity_id].name, entry.share, answer.skill, answer.energy
        )
        if answer.energy is not None and answer.energy <= thresholds.draining_energy:
            drain_share += entry.share
            if entry.share >= settings.drain_min_share:
                draining.append(item)
        if answer.energy is not None and answer.energy >= thresholds.energising_energy:
            energise_share += entry.share
            if entry.share >= settings.energise_min_share:
                energising.append(item)
        if (
            answer.skill is not None
            and answer.skill < settings.grow_skill_below
            and entry.share >= settings.grow_min_share
        ):
            grow.append(item)
        if answer.energy is None or answer.skill is None:
            unrated_share += entry.share
            unrated.append(item)
        current_share = answer.hours / total_hours if total_hours > 0 else 0.0
        new_work += max(0.0, entry.share - current_share)
    energy_fit = 100.0 * energy_total
    skill_fit = 100.0 * skill_total
    score = settings.energy_weight * energy_fit + (1 - settings.energy_weight) * skill_fit
    fit = RoleFit(
        role_id=role.id,
        role_name=role.name,
        score=_clamp(score),
        energy_fit=_clamp(energy_fit),
        skill_fit=_clamp(skill_fit),
        drain_share=drain_share,
        draining=tuple(draining),
        energise_share=energise_share,
        energising=tuple(energising),
        grow=tuple(grow),
        unrated_share=unrated_share,
        unrated=tuple(unrated),
        new_work_share=new_work,
        explanation=(),
    )
    return _with_explanation(fit, role, activities, settings)


def rank_roles(
    profile: Profile,
    roles: RoleCatalogue | Iterable[Role] | None = None,
    activities: ActivityCatalogue | None = None,
    settings: FitSettings | None = None,
) -> list[RoleFit]:
    """Every role scored and ranked, best first; ties broken by role id so the order is stable."""
    roles = roles if roles is not None else load_roles()
    if settings is None:
        settings = roles.settings if isinstance(roles, RoleCatalogue) else FitSettings()
    activities = activities or load_activities()
    thresholds = load_strength_settings()
    fits = [fit_role(profile, role, activities, settings, thresholds) for role in roles]
    fits.sort(key=lambda f: (-round(f.score, 9), f.role_id))
    return [_ranked(f, i + 1) for i, f in enumerate(fits)]


def _ranked(fit: RoleFit, rank: int) -> RoleFit:
    return replace(fit, rank=rank)


def _clamp(value: float) -> float:
    # Shares sum to 1 within rounding, so a perfect answer can land a hair above 100.
    return min(100.0, max(0.0, value))


def _pct(share: float) -> str:
    return f"{round(share * 100):d}%"


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def _with_explanation(
    fit: RoleFit, role: Role, activities: ActivityCatalogue, settings: FitSettings
) -> RoleFit:
    who = role.article
    sentences = []
    top = role.entries[:3]
    sentences.append(
        f"The biggest parts of {who}'s week are "
        + join_words([f"{activities.short(e.activity_id)} ({_pct(e.share)})" for e in top])
        + "."
    )
    if fit.draining:
        share = sum(a.share for a in fit.draining)
        names = activities.phrase([a.activity_id for a in fit.draining])
        sentences.append(
            _sentence_start(
                f"{who} spends about {_pct(share)} of the week on {names}, which you rate as draining."
            )
        )
    else:
        sentences.append("Nothing that takes a real part of this week is something you rate as draining.")
    if fit.energising:
        share = sum(a.share for a in fit.energising)
        names = activities.phrase([a.activity_id for a in fit.energising])
        verb = "energises" if len(fit.energising) == 1 else "energise"
        sentences.append(f"About {_pct(share)} of the week goes to {names}, which {verb} you.")
    if fit.grow:
        parts = [
            f"{activities.short(a.activity_id)} ({_pct(a.share)} of the week, your skill {a.skill} of 5)"
            for a in fit.grow
        ]
        sentences.append(f"To do it well you would grow in {join_words(parts)}.")
    if fit.unrated:
        shown = sorted(fit.unrated, key=lambda a: -a.share)[:MAX_NAMED]
        names = [activities.short(a.activity_id) for a in shown]
        if len(fit.unrated) > len(shown):
            names.append(f"{len(fit.unrated) - len(shown)} more")
        names = join_words(names)
        sentences.append(
            f"You did not fully rate {names} ({_pct(fit.unrated_share)} of this week); "
            f"a missing energy counts as neutral and a missing skill as {settings.unknown_skill} of 5."
        )
    if fit.new_work_share >= 0.10:
        sentences.append(
            f"About {_pct(fit.new_work_share)} of this week would be work you do not do now, or more of it than now."
        )
    return replace(fit, explanation=tuple(sentences))


def fit_to_dict(fit: RoleFit) -> dict:
    """JSON-ready form of a RoleFit (stable keys; numbers rounded for display)."""

    def items(values: tuple[ActivityShare, ...]) -> list[dict]:
        return [
            {
                "activity": a.activity_id,
                "name": a.name,
                "share": round(a.share, 3),
                "skill": a.skill,
                "energy": a.energy,
            }
            for a in values
        ]

    return {
        "rank": fit.rank,
        "role": fit.role_id,
        "name": fit.role_name,
        "score": round(fit.score, 1),
        "energy_fit": round(fit.energy_fit, 1),
        "skill_fit": round(fit.skill_fit, 1),
        "drain_share": round(fit.drain_share, 3),
        "draining": items(fit.draining),
        "energise_share": round(fit.energise_share, 3),
        "energising": items(fit.energising),
        "grow": items(fit.grow),
        "unrated_share": round(fit.unrated_share, 3),
        "unrated": items(fit.unrated),
        "new_work_share": round(fit.new_work_share, 3),
        "explanation": list(fit.explanation),
    }
