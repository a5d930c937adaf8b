"""Who gets the spotlight and who does the thankless work: shares, Gini, and who is next.

Research behind it (see data/dashboard.yaml, fairness.research): low-promotability tasks fall unevenly
when managers ask for volunteers; rotating them, and rotating visible work, spreads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pathcraft.errors import InputError
from pathcraft.growth.defaults import threshold
from pathcraft.growth.figures import Ratio, Threshold
from pathcraft.workload import inequality

SPOTLIGHT_KINDS = ("external_talk", "blog_post", "customer_demo", "internal_demo", "release_credit")
LOW_PROMOTABILITY_KINDS = (
    "note_taking",
    "scheduling",
    "interview_loop",
    "onboarding_buddy",
    "incident_paperwork",
)
HOW_ASSIGNED = ("asked", "volunteered", "rotation")


@dataclass(frozen=True)
class Contribution:
    """One person's part in a spotlight event, in their own line."""

    person: str
    what: str = ""


@dataclass(frozen=True)
class SpotlightEvent:
    kind: str
    title: str
    on: date
    contributors: tuple[Contribution, ...]

    def __post_init__(self) -> None:
        if self.kind not in SPOTLIGHT_KINDS:
            raise InputError(
                f"unknown spotlight kind {self.kind!r}; expected one of {', '.join(SPOTLIGHT_KINDS)}"
            )
        if not self.contributors:
            raise InputError(f"spotlight {self.title!r} needs at least one contributor")


@dataclass(frozen=True)
class LowPromotabilityTask:
    kind: str
    on: date
    person: str
    how: str
    hours: float

    def __post_init__(self) -> None:
        if self.kind not in LOW_PROMOTABILITY_KINDS:
            raise InputError(
                f"unknown low-promotability task {self.kind!r}; expected one of {', '.join(LOW_PROMOTABILITY_KINDS)}"
            )
        if self.how not in HOW_ASSIGNED:
            raise InputError(f"unknown assignment {self.how!r}; expected asked, volunteered or rotation")
        if not self.hours >= 0:
            raise InputError(f"hours must be 0 or more, got {self.hours!r}")


def gini(values: Sequence[float]) -> float:
    """Gini coefficient, as the workload capability computes it; an empty team is an error here."""
    if not values:
        raise InputError("Gini needs at least one value")
    return inequality.gini(values)


def normalised_gini(values: Sequence[float]) -> float:
    """G* = G · n / (n − 1): reaches 1 when one person has everything, whatever the team size."""
    return inequality.normalised_gini(values)


@dataclass(frozen=True)
class Distribution:
    """How one kind of work is spread across a team, with every figure's parts."""

    shares: dict[str, Ratio]  # person -> their amount / team total
    fair_share: Ratio  # 1 / team size
    top_people: tuple[str, ...]
    top_share: Ratio
    top_over_fair: float | None
    people_with_none: tuple[str, ...]
    events: int
    events_needed: int
    enough_data: bool
    gini: float | None
    normalised_gini: float | None
    threshold: Threshold
    flagged: bool
    not_in_team: tuple[str, ...]
    note: str

    def to_dict(self) -> dict:
        return {
            "shares": {p: r.to_dict() for p, r in self.shares.items()},
            "fair_share": self.fair_share.to_dict(),
            "top_people": list(self.top_people),
            "top_share": self.top_share.to_dict(),
            "top_over_fair": None if self.top_over_fair is None else round(self.top_over_fair, 2),
            "people_with_none": list(self.people_with_none),
            "events": self.events,
            "events_needed": self.events_needed,
            "enough_data": self.enough_data,
            "gini": None if self.gini is None else round(self.gini, 4),
            "normalised_gini": None if self.normalised_gini is None else round(self.normalised_gini, 4),
            "threshold": self.threshold.to_dict(),
            "flagged": self.flagged,
            "not_in_team": list(self.not_in_team),
            "note": self.note,
        }


def distribution(
    amounts: Mapping[str, float],
    team: Sequence[str],
    events: int,
    min_events_per_person: float | None = None,
) -> Distribution:
    """Shares and inequality of `amounts` (events or hours per person) across `team`.

    Gini is computed only with at least `min_events_per_person` × team size events in the window;
    otherwise the figures are shown without it and the note says "not enough data".
    """
    people = sorted(set(team))
    if len(people) < 2:
        raise InputError("a fair-share comparison needs a team of at least two people")
    minimum = (
        threshold("fairness.min_events_per_person").value
        if min_events_per_person is None
        else min_events_per_person
    )
    alert = threshold("fairness.gini_alert")
    outside = tuple(sorted(p for p in amounts if p not in set(people) and amounts[p]))
    values = [float(amounts.get(p, 0)) for p in people]
    if any(v < 0 for v in values):
        raise InputError("amounts must be 0 or more")
    total = sum(values)
    n = len(people)
    shares = {p: Ratio(v, total) for p, v in zip(people, values, strict=True)}
    top = max(values)
    top_people = tuple(p for p, v in zip(people, values, strict=True) if v == top and top > 0)
    top_share = Ratio(top, total)
    fair = Ratio(1, n)
    top_over_fair = None if top_share.value is None else top_share.value / fair.value
    needed = int(-(-minimum * n // 1))  # ceiling
    enough = events >= needed and total > 0
    g = g_star = None
    if enough:
        g, g_star = gini(values), normalised_gini(values)
        note = alert.caveat
    else:
        note = f"not enough data: {events} events for {n} people; the Gini needs at least {needed}"
    flagged = g_star is not None and g_star > alert.value
    none = tuple(p for p, v in zip(people, values, strict=True) if v == 0)
    return Distribution(
        shares, fair, top_people, top_share, top_over_fair, none, events, needed, enough, g, g_star, alert, flagged,
        outside, note,
    )  # fmt: skip


def _window(today: date, window_days: int | None) -> date:
    days = int(threshold("fairness.window_days").value) if window_days is None else window_days
    return today - timedelta(days=days)


def spotlight_distribution(
    events: Iterable[SpotlightEvent], team: Sequence[str], today: date, window_days: int | None = None
) -> Distribution:
    """Spotlight events per person (each contributor counts once per event) in the window."""
    since = _window(today, window_days)
    counts: dict[str, float] = {}
    total = 0
    for event in events:
        if since <= event.on <= today:
            for person in {c.person for c in event.contributors}:
                counts[person] = counts.get(person, 0) + 1
                total += 1
    return distribution(counts, team, total)


def low_promotability_distribution(
    tasks: Iterable[LowPromotabilityTask], team: Sequence[str], today: date, window_days: int | None = None
) -> Distribution:
    """Low-promotability hours per person in the window; "enough data" counts tasks."""
    since = _window(today, window_days)
    hours: dict[str, float] = {}
    count = 0
    for task in tasks:
        if since <= task.on <= today:
            hours[task.person] = hours.get(task.person, 0) + task.hours
            count += 1
    return distribution(hours, team, count)


@dataclass(frozen=True)
class NextPerson:
    """Who is due next, with the figures that decided it (no ranking of the rest is shown)."""

    person: str
    reason: str


def next_for_spotlight(
    events: Iterable[SpotlightEvent], team: Sequence[str], today: date, window_days: int | None = None
) -> NextPerson:
    """Fewest spotlights in the window; ties: longest since their last one (never first), then name."""
    if not team:
        raise InputError("no team members to choose from")
    since = _window(today, window_days)
    count = dict.fromkeys(team, 0)
    last: dict[str, date] = {}
    for event in events:
        for person in {c.person for c in event.contributors}:
            if person not in count or event.on > today:
                continue
            if event.on >= since:
                count[person] += 1
            last[person] = max(event.on, last.get(person, event.on))
    person = min(sorted(count), key=lambda p: (count[p], last.get(p, date.min)))
    when = f"last one on {last[person]}" if person in last else "no spotlight on record"
    return NextPerson(person, f"{count[person]} spotlight(s) in the window, {when}")


def next_in_rotation(
    tasks: Iterable[LowPromotabilityTask], team: Sequence[str], today: date, window_days: int | None = None
) -> NextPerson:
    """The person with the fewest low-promotability hours in the window; ties: longest since last, then name."""
    if not team:
        raise InputError("no team members to choose from")
    since = _window(today, window_days)
    hours = dict.fromkeys(team, 0.0)
    last: dict[str, date] = {}
    for task in tasks:
        if task.person not in hours or task.on > today:
            continue
        if task.on >= since:
            hours[task.person] += task.hours
        last[task.person] = max(task.on, last.get(task.person, task.on))
    person = min(sorted(hours), key=lambda p: (hours[p], last.get(p, date.min)))
    return NextPerson(person, f"{hours[person]:g} h of low-promotability work in the window")
