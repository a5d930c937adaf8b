"""Copenhagen Burnout Inventory: scoring, bands, a person's trend, and anonymous aggregates for managers.

Pure engine. The items, answers, scoring and cut-offs live in data/cbi.yaml with their sources. A manager only ever
sees `aggregate_scores` of at least k answers, and `check_groups` refuses any set of groups (filters, comparisons,
pulses) from which a group smaller than k could be read off, directly or by difference.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from pathcraft.errors import InputError

DATA_FILE = Path(__file__).parent / "data" / "cbi.yaml"


class AnonymityError(InputError):
    """A view would show, or let someone work out, fewer than k people's answers."""


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    score: int


@dataclass(frozen=True)
class Item:
    id: str
    scale: str
    text: str  # the wording shown (for the client scale: "clients" read as the people you serve at work)
    published_text: str
    response_set: str
    reverse: bool = False


@dataclass(frozen=True)
class Scale:
    key: str
    label: str
    definition: str
    items: tuple[Item, ...]
    min_answered: int
    optional: bool = False


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    min: int


@dataclass(frozen=True)
class Inventory:
    scales: dict[str, Scale]
    response_sets: dict[str, tuple[Option, ...]]
    bands: tuple[Band, ...]
    moderate_or_higher: int
    band_source: str
    band_caveat: str
    rise_points: float
    default_k: int
    minimum_k: int
    source: str

    @property
    def items(self) -> list[Item]:
        return [item for scale in self.scales.values() for item in scale.items]

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise InputError(f"unknown CBI item {item_id!r}")


@cache
def inventory() -> Inventory:
    """The inventory from data/cbi.yaml, loaded once and checked (19 items: 6 + 7 + 6, one reversed)."""
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    sets = {
        name: tuple(Option(o["key"], o["label"], int(o["score"])) for o in options)
        for name, options in raw["response_sets"].items()
    }
    reading = raw["scales"]["client"]["reading_of_clients"]
    scales = {}
    for key, s in raw["scales"].items():
        items = tuple(
            Item(
                id=i["id"],
                scale=key,
                text=i["text"].replace("clients", reading) if key == "client" else i["text"],
                published_text=i["text"],
                response_set=i["response_set"],
                reverse=bool(i.get("reverse", False)),
            )
            for i in s["items"]
        )
        scales[key] = Scale(
            key, s["label"], s["definition"], items, int(s["min_answered"]), bool(s.get("optional"))
        )
    inv = Inventory(
        scales=scales,
        response_sets=sets,
        bands=tuple(Band(b["key"], b["label"], int(b["min"])) for b in raw["bands"]["levels"]),
        moderate_or_higher=int(raw["bands"]["moderate_or_higher"]),
        band_source=raw["bands"]["source"],
        band_caveat=raw["bands"]["caveat"],
        rise_points=float(raw["trend"]["rise_points"]["value"]),
        default_k=int(raw["anonymity"]["default_k"]["value"]),
        minimum_k=int(raw["anonymity"]["minimum_k"]["value"]),
        source=raw["instrument"]["source"],
    )
    counts = [len(s.items) for s in scales.values()]
    if counts != [6, 7, 6] or sum(i.reverse for i in inv.items) != 1:
        raise ValueError(f"{DATA_FILE.name}: expected 6+7+6 items with one reversed, found {counts}")
    return inv


# --- one person's answers --------------------------------------------------------------------------------------

Answer = str | int | None


@dataclass(frozen=True)
class ScaleScore:
    scale: str
    score: float | None  # None: too few answers (the authors' "non-responder")
    answered: int
    required: int
    band: Band | None

    @property
    def moderate_or_higher(self) -> bool:
        return self.score is not None and self.score >= inventory().moderate_or_higher


def item_score(item: Item | str, answer: Answer) -> int | None:
    """Score one answer: an option key ('often'), its label ('Often') or its raw score (75). None = not answered."""
    inv = inventory()
    item = inv.item(item) if isinstance(item, str) else item
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return None
    options = inv.response_sets[item.response_set]
    raw = None
    if isinstance(answer, bool):
        raw = None
    elif isinstance(answer, int):
        raw = answer if answer in {o.score for o in options} else None
    elif isinstance(answer, str):
        wanted = answer.strip().lower()
        raw = next((o.score for o in options if wanted in (o.key, o.label.lower())), None)
    if raw is None:
        allowed = ", ".join(o.key for o in options)
        raise InputError(
            f"{item.id}: {answer!r} is not an answer to this question (expected one of: {allowed})"
        )
    return 100 - raw if item.reverse else raw


def score_answers(answers: Mapping[str, Answer]) -> dict[str, ScaleScore]:
    """Each scale's score (mean of answered items) for one respondent; unknown item ids are refused."""
    inv = inventory()
    known = {i.id for i in inv.items}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise InputError(f"unknown CBI item(s): {', '.join(unknown)}")
    out = {}
    for key, scale in inv.scales.items():
        scores = [s for s in (item_score(i, answers.get(i.id)) for i in scale.items) if s is not None]
        score = sum(scores) / len(scores) if len(scores) >= scale.min_answered else None
        out[key] = ScaleScore(key, score, len(scores), scale.min_answered, band_of(score))
    return out


def band_of(score: float | None) -> Band | None:
    """The conventional band of a scale score (see data/cbi.yaml for the source and the caveat)."""
    if score is None:
        return None
    _check_score(score)
    return [b for b in inventory().bands if score >= b.min][-1]


def _check_score(score: object) -> float:
    if (
        isinstance(score, bool)
        or not isinstance(score, int | float)
        or math.isnan(score)
        or not 0 <= score <= 100
    ):
        raise InputError(f"a CBI scale score lies between 0 and 100, not {score!r}")
    return float(score)


# --- a person's trend over pulses -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    scale: str
    points: tuple[tuple[date, float], ...]
    change: float | None  # last minus first
    direction: str  # rising | falling | steady | not enough pulses
    latest: float | None

    @property
    def rising(self) -> bool:
        return self.direction == "rising"


def trend(pulses: Sequence[tuple[date, Mapping[str, float | None]]], scale: str) -> Trend:
    """How one scale moved across a person's own pulses (date, {scale: score}); missing scores are skipped."""
    if scale not in inventory().scales:
        raise InputError(f"unknown CBI scale {scale!r}")
    points = tuple(sorted((d, _check_score(s[scale])) for d, s in pulses if s.get(scale) is not None))
    if len(points) < 2:
        latest = points[-1][1] if points else None
        return Trend(scale, points, None, "not enough pulses", latest)
    change = points[-1][1] - points[0][1]
    threshold = inventory().rise_points
    direction = "rising" if change >= threshold else "falling" if change <= -threshold else "steady"
    return Trend(scale, points, round(change, 1), direction, points[-1][1])


# --- anonymous aggregates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Aggregate:
    shown: bool
    k: int
    n: int | None  # None when hidden: even the exact count of a small group is not shown
    mean: float | None
    share_moderate_or_higher: float | None
    distribution: dict[str, int] | None  # band key -> number of answers
    reason: str = ""


def check_k(k: object) -> int:
    """k as an int no lower than the floor (3); anything else is a clear error."""
    floor = inventory().minimum_k
    if isinstance(k, bool) or not isinstance(k, int):
        raise AnonymityError(f"the anonymity threshold k must be a whole number, not {k!r}")
    if k < floor:
        raise AnonymityError(
            f"the anonymity threshold k must be at least {floor}; {k} would expose individuals"
        )
    return k


def aggregate_scores(scores: Sequence[float | None], k: int | None = None) -> Aggregate:
    """Mean and band distribution of one scale over respondents (one score per respondent), only when n >= k."""
    k = check_k(inventory().default_k if k is None else k)
    values = [_check_score(s) for s in scores if s is not None]
    if len(values) < k:
        return Aggregate(False, k, None, None, None, None, f"shown from {k} answers; fewer have been given")
    distribution = {b.key: 0 for b in inventory().bands}
    for v in values:
        distribution[band_of(v).key] += 1
    line = inventory().moderate_or_higher
    return Aggregate(
        shown=True,
        k=k,
        n=len(values),
        mean=round(sum(values) / len(values), 1),
        share_moderate_or_higher=round(sum(v >= line for v in values) / len(values), 3),
        distribution=distribution,
    )


def check_groups(
    groups: Mapping[str, Collection[Hashable]],
    k: int | None = None,
    population: Collection[Hashable] | None = None,
) -> None:
    """Refuse a set of groups if any group could be read off below k, directly or by difference.

    Shown together, the groups' results let anyone add and subtract them; what can be isolated is exactly the
    cells of the Venn partition of the population by the groups (a subgroup and its complement, B minus A, A and
    B, ...). So every non-empty cell must hold at least k people. Pass the population (e.g. the whole team) when
    its total is also shown; by default it is the union of the groups. Messages name groups, never people.
    """
    k = check_k(inventory().default_k if k is None else k)
    names = list(groups)
    members = {name: set(groups[name]) for name in names}
    everyone = set(population) if population is not None else set().union(*members.values())
    if population is not None:
        for name in names:
            if not members[name] <= everyone:
                raise AnonymityError(
                    f"group {name!r} holds people outside the population it is compared with"
                )
    if len(everyone) < k:
        raise AnonymityError(f"fewer than {k} people in total: nothing can be shown")
    for name in names:
        if 0 < len(members[name]) < k:
            raise AnonymityError(f"group {name!r} has fewer than {k} people")
    # Each person's cell is the groups they are in: collected from the groups' member lists, so the cost is the
    # number of memberships, not people × groups (400 teams × 6,000 respondents at 50,000 people).
    where: dict[Hashable, list[int]] = {}
    for i, name in enumerate(names):
        for person in members[name]:
            where.setdefault(person, []).append(i)
    by_indices: dict[tuple[int, ...], int] = {}
    for person in everyone:
        key = tuple(where.get(person, ()))
        by_indices[key] = by_indices.get(key, 0) + 1
    cells = {tuple(i in set(key) for i in range(len(names))): size for key, size in by_indices.items()}
    for signature, size in sorted(cells.items()):
        if size < k:
            raise AnonymityError(
                f"showing these groups together would let someone work out the answers of fewer than {k} people: "
                f"{_describe(names, signature)}"
            )


def _describe(names: list[str], signature: tuple[bool, ...]) -> str:
    inside = [repr(n) for n, yes in zip(names, signature, strict=True) if yes]
    outside = [repr(n) for n, yes in zip(names, signature, strict=True) if not yes]
    parts = []
    if inside:
        parts.append("in " + " and ".join(inside))
    if outside:
        parts.append("not in " + " or ".join(outside))
    return "the people " + ", ".join(parts)
