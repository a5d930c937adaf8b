"""Readiness for a target position from a self-assessment against its criteria.

The target may be any level of any track, not only the next step. The rule (thresholds in
data/readiness.yaml, our own estimates) asks for breadth rather than a high total:

1. every competency area has at least `area_min_met_share` of its criteria met;
2. no area has more than `area_max_not_yet_share` of its criteria not yet started;
3. across the level, at least `overall_min_met_share` of the criteria are met;
4. with `evidence_required`, a "met" or "exceeds" without an evidence note counts as "partly".

Criteria nobody rated count as "not yet" and are listed as not assessed. The verdict is "ready"
when all rules hold, "close" when every area is at least half met (rule 1) but another rule
fails, and "not yet" otherwise. Every gap is listed in words.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from pathcraft.errors import InputError
from pathcraft.paths.frameworks.model import Framework, Position

RATINGS = ("not_yet", "partly", "met", "exceeds")
LABELS = {"not_yet": "not yet", "partly": "partly", "met": "met", "exceeds": "exceeds"}


@dataclass(frozen=True)
class Rules:
    area_min_met_share: float
    area_max_not_yet_share: float
    overall_min_met_share: float
    evidence_required: bool


@cache
def default_rules() -> Rules:
    """Thresholds from data/readiness.yaml (validated on load)."""
    text = resources.files("pathcraft.paths.frameworks.data").joinpath("readiness.yaml").read_text()
    data = yaml.safe_load(text)
    if [r["id"] for r in data["ratings"]] != list(RATINGS):
        raise InputError("readiness.yaml: ratings must be not_yet, partly, met, exceeds in that order")
    values = {name: entry["value"] for name, entry in data["thresholds"].items()}
    for name in ("area_min_met_share", "area_max_not_yet_share", "overall_min_met_share"):
        if not 0 <= values[name] <= 1:
            raise InputError(f"readiness.yaml: {name} must be a share between 0 and 1")
    return Rules(**values)


@dataclass
class Rating:
    """A person's own rating of one criterion, with the evidence behind it."""

    rating: str
    evidence: str = ""


@dataclass
class Assessment:
    """A self-assessment against the criteria of a target position (criterion id -> rating)."""

    target: Position
    ratings: dict[str, Rating] = field(default_factory=dict)
    current: Position | None = None


def parse_assessment(data: Any, source: str = "assessment") -> Assessment:
    """Read {target: track/level, current: …, ratings: {criterion id: rating | {rating, evidence}}}."""
    if not isinstance(data, dict):
        raise InputError(f"{source}: an assessment is a mapping with target and ratings")
    try:
        target = Position.parse(data.get("target"))
        current = Position.parse(data["current"]) if data.get("current") else None
    except InputError as exc:
        raise InputError(f"{source}: {exc}") from None
    ratings = {}
    for criterion_id, raw in (data.get("ratings") or {}).items():
        entry = raw if isinstance(raw, dict) else {"rating": raw}
        value = str(entry.get("rating", "")).strip().replace(" ", "_")
        if value not in RATINGS:
            raise InputError(
                f"{source}: rating of {criterion_id!r} must be one of {', '.join(LABELS.values())}, got {entry.get('rating')!r}"
            )
        ratings[str(criterion_id)] = Rating(value, str(entry.get("evidence") or "").strip())
    return Assessment(target, ratings, current)


@dataclass
class Gap:
    """A criterion of the target that does not count as met yet, and why."""

    area: str
    criterion: str
    text: str
    rating: str  # the rating as counted (after the evidence rule)
    reason: str  # "not assessed", "not yet", "partly", "met without evidence", "exceeds without evidence"

    def sentence(self) -> str:
        text = self.text.strip().replace("\n", " ")
        return f"“{text}” — {self.reason}."


@dataclass
class AreaReadiness:
    area: str
    name: str
    total: int
    met: int
    not_yet: int
    passes: bool
    problems: list[str] = field(default_factory=list)


@dataclass
class Step:
    """One move on a route between positions."""

    source: Position
    target: Position
    kind: str  # "up", "down" (same track) or "bridge"
    note: str = ""


@dataclass
class Readiness:
    target: Position
    title: str
    verdict: str  # "ready", "close", "not_yet"
    met: int
    total: int
    areas: list[AreaReadiness]
    gaps: list[Gap]
    strengths: list[str]
    rules_failed: list[str]
    route: list[Step] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.verdict == "ready"

    def summary(self) -> str:
        word = {"ready": "Ready", "close": "Close to ready", "not_yet": "Not yet ready"}[self.verdict]
        share = f"{self.met} of {self.total} criteria met" if self.total else "no criteria to meet"
        return f"{word} for {self.title} ({self.target}): {share}."

    def explain(self) -> list[str]:
        """The verdict, the rules that failed and every gap, as sentences."""
        lines = [self.summary(), *self.rules_failed]
        for area in self.areas:
            for gap in (g for g in self.gaps if g.area == area.area):
                lines.append(f"{area.name}: {gap.sentence()}")
        if self.strengths:
            lines.append("Rated beyond the level: " + "; ".join(self.strengths))
        return lines


def assess_readiness(
    framework: Framework, target: Position, assessment: Assessment, rules: Rules | None = None
) -> Readiness:
    """Readiness for `target` from a self-assessment; unknown criterion ids raise InputError."""
    rules = rules or default_rules()
    level = framework.require_level(target)
    known = {c.id for c in level.criteria()}
    unknown = sorted(set(assessment.ratings) - known)
    if unknown:
        raise InputError(
            f"ratings for criteria that {target} does not have: {', '.join(unknown[:5])}"
            + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        )
    areas, gaps, strengths = [], [], []
    met_total = total = 0
    for competency in level.competencies:
        area = framework.area(competency.area)
        name = area.name if area else competency.area
        met = not_yet = 0
        for criterion in competency.criteria:
            given = assessment.ratings.get(criterion.id)
            counted, reason = _count(given, rules)
            if counted in ("met", "exceeds"):
                met += 1
                if counted == "exceeds":
                    strengths.append(f"{name}: “{criterion.text.strip()}”")
            else:
                not_yet += counted == "not_yet"
                note = f" (evidence: {given.evidence})" if given and given.evidence else ""
                gaps.append(Gap(competency.area, criterion.id, criterion.text, counted, reason + note))
        count = len(competency.criteria)
        problems = []
        need = math.ceil(rules.area_min_met_share * count)
        if met < need:
            problems.append(f"{name}: {met} of {count} criteria met; at least {need} needed.")
        allowed = math.floor(rules.area_max_not_yet_share * count)
        if not_yet > allowed and not problems:  # said once: an area below half met says enough
            problems.append(
                f"{name}: {not_yet} of {count} criteria not yet started; at most {allowed} allowed."
            )
        passes = met >= need and not_yet <= allowed
        areas.append(AreaReadiness(competency.area, name, count, met, not_yet, passes, problems))
        met_total += met
        total += count
    rules_failed = [p for a in areas for p in a.problems]
    coverage_ok = all(a.met >= math.ceil(rules.area_min_met_share * a.total) for a in areas)
    need_total = math.ceil(rules.overall_min_met_share * total)
    if met_total < need_total:
        rules_failed.append(f"Overall: {met_total} of {total} criteria met; at least {need_total} needed.")
    verdict = "ready" if not rules_failed else "close" if coverage_ok else "not_yet"
    result = Readiness(target, level.title, verdict, met_total, total, areas, gaps, strengths, rules_failed)
    if assessment.current is not None:
        result.route = route(framework, assessment.current, target)
    return result


def _count(given: Rating | None, rules: Rules) -> tuple[str, str]:
    """The rating as the rule counts it, and the reason in words when it is not met."""
    if given is None:
        return "not_yet", "not assessed yet"
    if given.rating in ("met", "exceeds") and rules.evidence_required and not given.evidence:
        return "partly", f"rated {LABELS[given.rating]} but without an evidence note; add an example"
    return given.rating, f"rated {LABELS[given.rating]}"


def route(framework: Framework, start: Position, target: Position) -> list[Step]:
    """Fewest moves from start to target: level steps within a track, or bridges between tracks."""
    framework.require_level(start)
    framework.require_level(target)
    previous: dict[Position, Step | None] = {start: None}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        if here == target:
            break
        for step in _moves(framework, here):
            if step.target not in previous:
                previous[step.target] = step
                queue.append(step.target)
    if target not in previous:
        return []
    steps = []
    node = target
    while previous[node] is not None:
        step = previous[node]
        steps.append(step)
        node = step.source
    return steps[::-1]


def _moves(framework: Framework, here: Position) -> list[Step]:
    track = framework.track(here.track)
    ids = [lv.id for lv in track.levels]
    i = ids.index(here.level)
    moves = []
    if i + 1 < len(ids):
        moves.append(Step(here, Position(track.id, ids[i + 1]), "up"))
    if i > 0:
        moves.append(Step(here, Position(track.id, ids[i - 1]), "down"))
    moves += [Step(b.source, b.target, "bridge", b.note) for b in framework.bridges_from(here)]
    return moves
