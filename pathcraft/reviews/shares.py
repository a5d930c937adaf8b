"""Who gives a team's reviews: shares, the Gini coefficient, "two people give 71% of the reviews", the weekly
trend, who stays far above an equal share, review turnaround, and review hours for the profile week.

Pure: no Django. Reviews arrive already attributed to people (the app maps identities through the alias table);
a person is any hashable id. The inequality figures are the workload app's engine, the same as for escalations.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from pathcraft.reviews.defaults import Defaults, load_defaults
from pathcraft.workload.inequality import Spread, spread

WORDS = (
    "no",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
)


@dataclass(frozen=True)
class Review:
    """One counted review: REVIEWER (a person id, or None for someone outside the organisation) reviewed AUTHOR's
    change (None: not a person of the organisation) in the week starting WEEK (a Monday)."""

    reviewer: Hashable | None
    author: Hashable | None
    week: date
    modules: tuple[str, ...] = ()
    turnaround_seconds: float | None = None
    outside_hours: bool | None = None  # None: the reviewer's hours or the review's time are unknown


def week_of(moment: datetime) -> date:
    """The Monday of MOMENT's week in its own offset."""
    day = moment.date()
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Concentration:
    """The fewest people who together give at least `line` of the reviews."""

    people: tuple[Hashable, ...]
    share: float
    line: float

    def sentence(self, names: Sequence[str] | None = None) -> str:
        count = len(self.people)
        if count == 0:
            return "Nobody on the team has given a review yet."
        word = WORDS[count] if count < len(WORDS) else str(count)
        who = f"{word} {'person' if count == 1 else 'people'}"
        if names and len(names) == count:
            listed = names[0] if count == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            who += f" ({listed})"
        who += " gives" if count == 1 else " give"
        return f"{who} {round(100 * self.share)}% of the reviews."


@dataclass(frozen=True)
class Sustained:
    """A person above `over_fair` times an equal share in `hits` of the last `seen` weeks."""

    person: Hashable
    hits: tuple[tuple[date, int, int], ...]  # (week, their reviews, the team's reviews)
    seen: int
    needed: int
    over_fair: float
    share: float  # over the weeks seen
    fair_share: float


@dataclass
class TeamLoad:
    members: list[Hashable]
    given: dict[Hashable, int]
    received: dict[Hashable, int]
    total: int  # reviews given by members
    outside_team: int  # reviews of the team's changes given by others (other teams, former contributors)
    shares: dict[Hashable, float]
    fair_share: float
    spread: Spread
    concentration: Concentration
    above_fair: list[Hashable]  # members over `over_fair` times an equal share of the whole period
    sustained: dict[Hashable, Sustained]
    weeks: list[date]  # the trend's weeks, oldest first
    weekly_total: list[int]
    weekly: dict[Hashable, list[int]]
    first_week: date | None
    last_week: date | None
    over_fair: float = 2.0
    modules: dict[Hashable, Counter] = field(default_factory=dict)


def concentration(given: dict[Hashable, int], line: float) -> Concentration:
    total = sum(given.values())
    if not total:
        return Concentration((), 0.0, line)
    ranked = sorted(given.items(), key=lambda kv: (-kv[1], str(kv[0])))
    picked, running = [], 0
    for person, count in ranked:
        picked.append(person)
        running += count
        if running / total >= line:
            break
    return Concentration(tuple(picked), running / total, line)


def counted(reviews: Iterable[Review]) -> list[Review]:
    """Self-reviews (the same person under two identities) do not count."""
    return [r for r in reviews if r.reviewer is None or r.reviewer != r.author]


def module_reviewers(reviews: Iterable[Review]) -> dict[str, Counter]:
    """Module -> reviewer -> their reviews of changes touching it: who knows a module by reviewing it (reviewers
    outside the organisation and self-reviews left out). The CLI's --modules and "what if X leaves" both read it."""
    found: dict[str, Counter] = {}
    for r in counted(reviews):
        if r.reviewer is None:
            continue
        for module in r.modules:
            found.setdefault(module, Counter())[r.reviewer] += 1
    return found


def team_load(
    reviews: Iterable[Review], members: Sequence[Hashable], defaults: Defaults | None = None
) -> TeamLoad:
    """The team's review load over every review given by a member or of a member's change."""
    d = defaults or load_defaults()
    members = list(dict.fromkeys(members))
    team = set(members)
    given = dict.fromkeys(members, 0)
    received = dict.fromkeys(members, 0)
    modules: dict[Hashable, Counter] = {m: Counter() for m in members}
    per_week: dict[date, Counter] = {}
    outside = 0
    for r in counted(reviews):
        if r.author in team:
            received[r.author] += 1
            if r.reviewer not in team:
                outside += 1
        if r.reviewer in team:
            given[r.reviewer] += 1
            modules[r.reviewer].update(r.modules)
            per_week.setdefault(r.week, Counter())[r.reviewer] += 1
    total = sum(given.values())
    fair = 1 / len(members) if members else 0.0
    shares = {m: (given[m] / total if total else 0.0) for m in members}
    keys = {m: str(m) for m in members}
    spread_of = spread({keys[m]: given[m] for m in members})
    if spread_of.top is not None:  # the engine names the busiest by key: give the caller's id back
        back = {v: k for k, v in keys.items()}
        spread_of = Spread(**{**spread_of.__dict__, "top": back[spread_of.top]})
    above = [m for m in members if total and fair and shares[m] >= d.over_fair * fair]
    active = sorted(per_week)
    weeks = active[-d.trend_weeks :]
    sustained = {}
    for m in members:
        found = sustained_above(per_week, m, len(members), d)
        if found is not None:
            sustained[m] = found
    return TeamLoad(
        members=members,
        given=given,
        received=received,
        total=total,
        outside_team=outside,
        shares=shares,
        fair_share=fair,
        spread=spread_of,
        concentration=concentration(given, d.concentration_share),
        above_fair=sorted(above, key=lambda m: -given[m]),
        sustained=sustained,
        weeks=weeks,
        weekly_total=[sum(per_week[w].values()) for w in weeks],
        weekly={m: [per_week[w][m] for w in weeks] for m in members},
        first_week=active[0] if active else None,
        last_week=active[-1] if active else None,
        over_fair=d.over_fair,
        modules=modules,
    )


def sustained_above(per_week: dict[date, Counter], person: Hashable, team_size: int,
                    defaults: Defaults | None = None) -> Sustained | None:  # fmt: skip
    """PERSON above over_fair x an equal share in at least min_weeks of the last window_weeks weeks in which the
    team gave at least min_team_reviews_per_week reviews."""
    d = defaults or load_defaults()
    if team_size < 2:
        return None
    fair = 1 / team_size
    weeks = [w for w in sorted(per_week) if sum(per_week[w].values()) >= d.min_team_reviews_per_week]
    recent = weeks[-d.window_weeks :]
    if len(recent) < d.min_weeks:
        return None
    hits = []
    mine = theirs = 0
    for w in recent:
        total = sum(per_week[w].values())
        count = per_week[w][person]
        mine, theirs = mine + count, theirs + total
        if count / total >= d.over_fair * fair:
            hits.append((w, count, total))
    if len(hits) < d.min_weeks:
        return None
    return Sustained(person, tuple(hits), len(recent), d.min_weeks, d.over_fair, mine / theirs, fair)


@dataclass(frozen=True)
class Turnaround:
    """Hours from review request to review, over the reviews that carry a request time."""

    reviews: int
    median_hours: float | None
    p90_hours: float | None


def turnaround(reviews: Iterable[Review]) -> Turnaround:
    hours = sorted(r.turnaround_seconds / 3600 for r in reviews if r.turnaround_seconds is not None)
    if not hours:
        return Turnaround(0, None, None)
    p90 = hours[max(0, math.ceil(0.9 * len(hours)) - 1)]  # nearest rank
    return Turnaround(len(hours), round(statistics.median(hours), 1), round(p90, 1))


@dataclass(frozen=True)
class WeekEstimate:
    """Review hours a week, estimated from the person's review count over their last active weeks."""

    hours: float
    reviews: int
    weeks: int
    minutes_per_review: int


def review_hours(per_week: dict[date, int], defaults: Defaults | None = None) -> WeekEstimate | None:
    """Average over the last `estimate_weeks` calendar weeks up to the person's last review (weeks without a review
    count as 0), times minutes_per_review."""
    d = defaults or load_defaults()
    if not per_week:
        return None
    last = max(per_week)
    weeks = [last - timedelta(weeks=n) for n in range(d.estimate_weeks)]
    reviews = sum(per_week.get(w, 0) for w in weeks)
    hours = reviews * d.minutes_per_review / 60 / d.estimate_weeks
    return WeekEstimate(round(hours * 2) / 2, reviews, d.estimate_weeks, d.minutes_per_review)


def suggest_week(estimate: WeekEstimate | None, profile_hours: float | None,
                 defaults: Defaults | None = None) -> float | None:  # fmt: skip
    """The hours to suggest for code review in the profile week, or None: only from suggest_min_hours, and only
    when the profile says something at least suggest_min_difference away (or nothing)."""
    d = defaults or load_defaults()
    if estimate is None or estimate.hours < d.suggest_min_hours:
        return None
    if profile_hours is not None and abs(profile_hours - estimate.hours) < d.suggest_min_difference:
        return None
    return estimate.hours
