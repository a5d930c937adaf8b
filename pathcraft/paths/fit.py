"""Role fit: how a role's typical week meets a person's skills and energy, explained in words.

Pure: no Django. Definitions (docs/paths-fit.md has the long form):

* an answer's value v: energy / 2 (-1 drains .. +1 energises), (skill - 3) / 2 (-1 new to it .. +1 expert)
* energy fit  = 50 + 50 * sum(share * v) / sum(weight * share) over the role's activities, where a rated
  activity weighs 1 and an unrated one `unrated_weight` (0.5) at the value of `unknown_energy` (neutral)
* skill fit   = the same with skills (`unknown_skill`, 3 of 5, for unrated ones)
* score       = w * energy fit + (1 - w) * skill fit, w = `energy_weight` from roles.yaml

With `unrated_weight` 1 this is the plain share-weighted mean over the whole week; below 1 the score
leans on the part of the role's week the person did rate, so roles are not pulled to the middle by
what is unrated, and the unrated part shows as an uncertainty band instead (`low`..`high`: how far
the score could move if each unrated answer were one step either side of its default, independently). Scores stay within 0..100, never
fall when an energy or skill rises (monotone), and one step on one answer moves a sub-score by at most
`step_bound(role, activity)` points (under 15 for every role in the catalogue).
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
    low: float = 0.0  # score minus what unrated answers one step off their defaults could move it
    high: float = 100.0  # score plus that
    contributions: tuple[tuple[str, float], ...] = ()  # (activity, points of score above 50), exact
    tied_with: tuple[str, ...] = ()  # role ids effectively tied with this one (see `tied`)

    @property
    def uncertainty(self) -> float:
        return max(self.high - self.score, self.score - self.low)


def step_bound(role: Role, activity_id: str, settings: FitSettings | None = None) -> float:
    """Most points any score of `role` can move when one answer for `activity_id` moves one step.

    One step is half a unit of v; it moves a sub-score by 50 * 0.5 * share / (the weighted total), and the
    weighted total is smallest when only this activity is rated: share + unrated_weight * (rest of the week)."""
    settings = settings or FitSettings()
    share = role.share(activity_id)
    if share == 0:
        return 0.0
    total = sum(e.share for e in role.entries)
    k = settings.unrated_weight
    return POINTS_PER_STEP * share / (share + k * (total - share))


ENERGY_MID, ENERGY_HALF = (ENERGY_MAX + ENERGY_MIN) / 2, (ENERGY_MAX - ENERGY_MIN) / 2
SKILL_MID, SKILL_HALF = (SKILL_MAX + SKILL_MIN) / 2, (SKILL_MAX - SKILL_MIN) / 2
STEP = 1.0  # the band: one answer step either side of the default


class _Mean:
    """Weighted mean of answer values over a role's week; rated answers weigh 1, unrated `unrated_weight`."""

    def __init__(self, unrated_weight: float):
        self.k = unrated_weight
        self.sum = self.weight = 0.0
        self.total = 0.0
        self.terms: dict[str, float] = {}

    def add(self, activity_id: str, share: float, value: float | None, default: float) -> None:
        self.total += share
        if value is None:
            self.sum += self.k * share * default
            self.weight += self.k * share
            self.terms[activity_id] = self.k * share * default
        else:
            self.sum += share * value
            self.weight += share
            self.terms[activity_id] = share * value

    def fit(self) -> float:
        return 50.0 + 50.0 * self.sum / self.weight if self.weight > 0 else 50.0

    def points(self) -> dict[str, float]:
        """Each activity's part of fit() - 50 (they add up to it exactly)."""
        return {a: 50.0 * t / self.weight for a, t in self.terms.items()} if self.weight > 0 else {}


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
    energy_mean, skill_mean = _Mean(settings.unrated_weight), _Mean(settings.unrated_weight)
    unknown_energy = (settings.unknown_energy - ENERGY_MID) / ENERGY_HALF
    unknown_skill = (settings.unknown_skill - SKILL_MID) / SKILL_HALF
    draining, energising, grow, unrated = [], [], [], []
    drain_share = energise_share = unrated_share = new_work = 0.0
    total_hours = profile.total_hours
    for entry in role.entries:
        answer = profile.answer(entry.activity_id)
        energy_mean.add(
            entry.activity_id,
            entry.share,
            None if answer.energy is None else (answer.energy - ENERGY_MID) / ENERGY_HALF,
            unknown_energy,
        )
        skill_mean.add(
            entry.activity_id,
            entry.share,
            None if answer.skill is None else (answer.skill - SKILL_MID) / SKILL_HALF,
            unknown_skill,
        )
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
    w = settings.energy_weight
    energy_fit, skill_fit = energy_mean.fit(), skill_mean.fit()
    score = w * energy_fit + (1 - w) * skill_fit
    # The band: each unrated answer one step either side of its default, independently (root sum of squares
    # of what each would move the score, counted at its full share as once it is rated).
    spread = 0.0
    for entry in role.entries:
        answer = profile.answer(entry.activity_id)
        unsure = w * (answer.energy is None) / ENERGY_HALF + (1 - w) * (answer.skill is None) / SKILL_HALF
        spread += (50.0 * STEP * entry.share * unsure) ** 2
    low, high = score - spread**0.5, score + spread**0.5
    energy_points, skill_points = energy_mean.points(), skill_mean.points()
    contributions = tuple(
        (
            e.activity_id,
            w * energy_points.get(e.activity_id, 0.0) + (1 - w) * skill_points.get(e.activity_id, 0.0),
        )
        for e in role.entries
    )
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
        low=_clamp(low),
        high=_clamp(high),
        contributions=contributions,
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
    articles = {r.id: r.article for r in roles}
    ranked = []
    for i, f in enumerate(fits):
        ties = tuple(o.role_id for o in fits if o is not f and tied(f, o))
        ranked.append(_with_tie_sentence(replace(f, rank=i + 1, tied_with=ties), fits, articles))
    return ranked


def tied(a: RoleFit, b: RoleFit) -> bool:
    """Effectively tied: equal as shown (within half a point), or either score lies inside the other's band
    of what the unrated activities could make it."""
    return (
        abs(a.score - b.score) < 0.5
        or (b.low - 1e-9 <= a.score <= b.high + 1e-9 and b.high - b.low > 1e-9)
        or (a.low - 1e-9 <= b.score <= a.high + 1e-9 and a.high - a.low > 1e-9)
    )


def _with_tie_sentence(fit: RoleFit, fits: list[RoleFit], articles: dict[str, str]) -> RoleFit:
    if not fit.tied_with:
        return fit
    names = [articles.get(r, r) for r in fit.tied_with[:MAX_NAMED]]
    if len(fit.tied_with) > MAX_NAMED:
        names.append(f"{len(fit.tied_with) - MAX_NAMED} more")
    if fit.high - fit.low > 1e-9:
        sentence = (
            f"Effectively tied with {join_words(names)}: what you have not rated ({_pct(fit.unrated_share)} of this "
            f"week) could put this score anywhere from {fit.low:.0f} to {fit.high:.0f}; rate it, or compare the two, "
            "to see what tips the balance."
        )
    else:
        sentence = f"Tied with {join_words(names)}: the scores differ by less than half a point."
    return replace(fit, explanation=(*fit.explanation, sentence))


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
        "low": round(fit.low, 1),
        "high": round(fit.high, 1),
        "tied_with": list(fit.tied_with),
        "explanation": list(fit.explanation),
    }


@dataclass(frozen=True)
class Tip:
    """One activity's part in the difference between two roles' scores (points > 0 favour the first)."""

    activity_id: str
    share_a: float
    share_b: float
    points: float
    skill: int | None
    energy: int | None


@dataclass(frozen=True)
class Comparison:
    a: RoleFit
    b: RoleFit
    tied: bool
    tips: tuple[Tip, ...]  # rated activities, biggest part of the difference first
    unrated: tuple[Tip, ...]  # unrated activities whose shares differ by a real part of a week
    sentences: tuple[str, ...]


_ENERGY_WORDS = {-2: "drains you", -1: "drains you a little", 0: "neutral for you", 1: "energises you a little",
                 2: "energises you"}  # fmt: skip
MAX_TIPS = 3  # activities named on each side of the balance


def compare_roles(
    profile: Profile,
    role_a: str,
    role_b: str,
    roles: RoleCatalogue | None = None,
    activities: ActivityCatalogue | None = None,
) -> Comparison:
    """Two roles side by side: which activities tip the balance, and whether they are effectively tied."""
    roles = roles if roles is not None else load_roles()
    activities = activities or load_activities()
    fits = {f.role_id: f for f in rank_roles(profile, roles, activities)}
    a, b = fits[roles.get(role_a).id], fits[roles.get(role_b).id]
    points_a, points_b = dict(a.contributions), dict(b.contributions)
    share_a, share_b = roles.get(a.role_id).mix, roles.get(b.role_id).mix
    tips, unrated = [], []
    for activity_id in activities.ids:
        if activity_id not in share_a and activity_id not in share_b:
            continue
        answer = profile.answer(activity_id)
        tip = Tip(
            activity_id,
            share_a.get(activity_id, 0.0),
            share_b.get(activity_id, 0.0),
            points_a.get(activity_id, 0.0) - points_b.get(activity_id, 0.0),
            answer.skill,
            answer.energy,
        )
        if answer.energy is None or answer.skill is None:
            if abs(tip.share_a - tip.share_b) >= roles.settings.drain_min_share:
                unrated.append(tip)
        if answer.energy is not None or answer.skill is not None:
            # equal shares differ in points only through the two roles' weighting: not a reason to name
            if abs(tip.points) >= 0.05 and abs(tip.share_a - tip.share_b) >= 0.01:
                tips.append(tip)
    tips.sort(key=lambda t: (-abs(t.points), t.activity_id))
    unrated.sort(key=lambda t: (-abs(t.share_a - t.share_b), t.activity_id))
    is_tied = tied(a, b)
    sentences = [_verdict(a, b, is_tied)]
    for first, sign in ((a, 1), (b, -1)):
        side = [t for t in tips if t.points * sign > 0][:MAX_TIPS]
        if side:
            parts = [_tip_words(t, activities, sign) for t in side]
            sentences.append(f"Towards {roles.get(first.role_id).article}: {join_words(parts)}.")
    if unrated:
        parts = [
            f"{activities.short(t.activity_id)} ({_pct(t.share_a)} vs {_pct(t.share_b)} of the week)"
            for t in unrated[:MAX_NAMED]
        ]
        sentences.append(
            f"Not fully rated and different between the two: {join_words(parts)}; rating them could change the order."
        )
    return Comparison(a, b, is_tied, tuple(tips), tuple(unrated), tuple(sentences))


def _verdict(a: RoleFit, b: RoleFit, is_tied: bool) -> str:
    head = f"{a.role_name} {a.score:.0f}, {b.role_name} {b.score:.0f}"
    if is_tied:
        return f"{head}: effectively tied within what your unrated activities could change."
    better, worse = (a, b) if a.score >= b.score else (b, a)
    return f"{head}: {better.role_name} fits better by {better.score - worse.score:.0f} points."


def _tip_words(tip: Tip, activities: ActivityCatalogue, sign: int) -> str:
    more = "more time on" if (tip.share_a - tip.share_b) * sign > 0 else "less time on"
    feel = [] if tip.energy is None else [_ENERGY_WORDS[tip.energy]]
    if tip.skill is not None:
        feel.append(f"your skill {tip.skill} of 5")
    return (
        f"{more} {activities.short(tip.activity_id)} ({_pct(tip.share_a)} vs {_pct(tip.share_b)} of the week; "
        f"{', '.join(feel)}; {abs(tip.points):.1f} points)"
    )


def comparison_to_dict(comparison: Comparison) -> dict:
    def tips(values: tuple[Tip, ...]) -> list[dict]:
        return [
            {"activity": t.activity_id, "share_a": round(t.share_a, 3), "share_b": round(t.share_b, 3),
             "points": round(t.points, 2), "skill": t.skill, "energy": t.energy}
            for t in values
        ]  # fmt: skip

    return {
        "a": fit_to_dict(comparison.a),
        "b": fit_to_dict(comparison.b),
        "tied": comparison.tied,
        "tips": tips(comparison.tips),
        "unrated": tips(comparison.unrated),
        "sentences": list(comparison.sentences),
    }
