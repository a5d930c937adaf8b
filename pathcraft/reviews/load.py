"""Review load from review events: who reviews how much, per person and ISO week, team shares and Gini, and who
reviewed which modules. Pure: no Django, no git.

Team shares, Gini, "N people give X%" and module reviewers are pathcraft.reviews.shares's, the figures the pages
show: events become its Review rows (`as_reviews`). Identities go through the code engine's .mailmap, alias and bot handling (pathcraft.code.identities), so a person
is the same developer in the truck factor and in the review load. A review is one reviewer on one change: the same
person under two emails, or as both Reviewed-by and Tested-by, is one review of that change. Reviews of one's own
change and reviews by bots count for nobody.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import tzinfo

from pathcraft.code.defaults import load_defaults
from pathcraft.code.history import IdentityStats, identity_key
from pathcraft.code.identities import IdentityMap, Mailmap, parse_mailmap, resolve_identities
from pathcraft.code.knowledge import module_of
from pathcraft.code.timing import WorkingHours
from pathcraft.reviews.events import Identity, ReviewEvent
from pathcraft.reviews.shares import Review, TeamLoad, module_reviewers, team_load, week_of


def _raw(identity: Identity) -> tuple[str, str]:
    """(name, email) as the identity engine sees it; a forge login without an email is a name."""
    return (identity.name or identity.login, identity.email)


@dataclass
class Reviewers:
    """Every identity of a set of events, resolved into developers (None: a bot)."""

    identities: IdentityMap
    index: dict[tuple[str, str], int]

    def developer(self, identity: Identity) -> int | None:
        return self.identities.owner[self.index[_raw(identity)]]

    def key(self, developer: int) -> str:
        return self.identities.developers[developer].key

    def name(self, developer: int) -> str:
        return self.identities.developers[developer].name


def resolve_reviewers(
    events: Iterable[ReviewEvent],
    mailmap: str | Mailmap = "",
    bot_patterns: Iterable[str] | None = None,
    aliases: Mapping[str, Iterable[str]] | None = None,
    extra: Iterable[Identity] = (),
) -> Reviewers:
    """Reviewers and authors of EVENTS (and EXTRA identities, e.g. a repository's committers) as developers."""
    if bot_patterns is None:
        bot_patterns = load_defaults().bot_patterns
    if isinstance(mailmap, str):
        mailmap = parse_mailmap(mailmap)
    stats: list[IdentityStats] = []
    index: dict[tuple[str, str], int] = {}

    def see(identity: Identity) -> None:
        raw = _raw(identity)
        found = index.get(raw)
        if found is None:
            found = index[raw] = len(stats)
            name, email = raw
            stats.append(
                IdentityStats(key=identity_key(name, email), email=email.strip().lower(), names={name: 0})
            )
        entry = stats[found]
        entry.commits += 1  # the most used identity gives a merged developer its key
        entry.names[raw[0]] += 1

    for event in events:
        see(event.reviewer)
        see(event.author)
    for identity in extra:
        see(identity)
    return Reviewers(resolve_identities(stats, bot_patterns, aliases, mailmap), index)


def reviews_by_developer(
    events: Iterable[ReviewEvent],
    reviewers: Reviewers,
    kinds: Iterable[str] | None = None,
    exclude_self: bool = True,
) -> dict[int, set[str]]:
    """Developer -> the changes they reviewed (of KINDS; all kinds when None)."""
    wanted = set(kinds) if kinds is not None else None
    found: dict[int, set[str]] = {}
    developer = reviewers.developer
    for event in events:
        if wanted is not None and event.kind not in wanted:
            continue
        who = developer(event.reviewer)
        if who is None:
            continue
        if exclude_self and who == developer(event.author):
            continue
        found.setdefault(who, set()).add(event.change_id)
    return found


def review_counts(
    events: Iterable[ReviewEvent],
    reviewers: Reviewers,
    kinds: Iterable[str] | None = None,
    exclude_self: bool = True,
) -> dict[str, int]:
    """Developer key -> number of changes reviewed, most first (ties by key)."""
    found = reviews_by_developer(events, reviewers, kinds, exclude_self)
    counts = {reviewers.key(dev): len(changes) for dev, changes in found.items()}
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def iso_week(event: ReviewEvent) -> str:
    year, week, _ = event.at.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class WeekLoad:
    """One person's review work in one ISO week."""

    person: str  # developer key
    name: str
    week: str  # e.g. 2024-W07
    given: int = 0  # changes they reviewed
    received: int = 0  # their changes reviewed by someone else
    people_reviewed: int = 0  # distinct authors they reviewed
    modules: list[str] = field(default_factory=list)  # modules of the changes they reviewed
    turnaround_hours_median: float | None = None  # request -> their review, where the request time is known
    out_of_hours: int = 0  # reviews given outside their working hours (their local time)

    def to_dict(self) -> dict:
        return {
            "person": self.person,
            "name": self.name,
            "week": self.week,
            "given": self.given,
            "received": self.received,
            "people_reviewed": self.people_reviewed,
            "modules": self.modules,
            "turnaround_hours_median": self.turnaround_hours_median,
            "out_of_hours": self.out_of_hours,
        }


def default_working_hours() -> WorkingHours:
    defaults = load_defaults()
    days = tuple(d for d in range(7) if d not in defaults.weekend_days)
    return WorkingHours(defaults.work_start_hour, defaults.work_end_hour, days)


def weekly_load(
    events: Iterable[ReviewEvent],
    reviewers: Reviewers,
    module_depth: int = 1,
    working_hours: Mapping[str, WorkingHours] | None = None,
    zones: Mapping[str, tzinfo] | None = None,
    exclude_self: bool = True,
) -> list[WeekLoad]:
    """Per developer and ISO week of the review (sorted by week, then person).

    WORKING_HOURS and ZONES are keyed by developer key; without them the default office hours and the event's
    own UTC offset (a git trailer carries the committer's) are used."""
    working_hours = working_hours or {}
    zones = zones or {}
    office = default_working_hours()
    developer = reviewers.developer
    given: dict[tuple[int, str], dict[str, ReviewEvent]] = {}
    received: dict[tuple[int, str], set[str]] = {}
    for event in events:
        who = developer(event.reviewer)
        author = developer(event.author)
        if who is None or (exclude_self and who == author):
            continue
        week = iso_week(event)
        changes = given.setdefault((who, week), {})
        first = changes.get(event.change_id)
        if first is None or event.at < first.at:  # a change reviewed twice counts once, at its first review
            changes[event.change_id] = event
        if author is not None:
            received.setdefault((author, week), set()).add(event.change_id)
    rows = []
    for who, week in sorted(given.keys() | received.keys(), key=lambda k: (k[1], reviewers.key(k[0]))):
        key = reviewers.key(who)
        row = WeekLoad(person=key, name=reviewers.name(who), week=week)
        reviewed = list(given.get((who, week), {}).values())
        row.given = len(reviewed)
        row.received = len(received.get((who, week), ()))
        authors = {developer(e.author) for e in reviewed}
        row.people_reviewed = len(authors - {None})
        row.modules = sorted({module_of(p, module_depth) for e in reviewed for p in e.paths})
        waits = [e.turnaround_seconds / 3600 for e in reviewed if e.turnaround_seconds is not None]
        row.turnaround_hours_median = round(statistics.median(waits), 2) if waits else None
        hours = working_hours.get(key, office)
        zone = zones.get(key)
        for e in reviewed:
            local = e.at.astimezone(zone) if zone is not None else e.at
            if not hours.contains(local.weekday(), local.hour):
                row.out_of_hours += 1
        rows.append(row)
    return rows


def as_reviews(
    events: Iterable[ReviewEvent], reviewers: Reviewers, module_depth: int = 1, exclude_self: bool = True
) -> list[Review]:
    """EVENTS as the shared figures count them (pathcraft.reviews.shares, the same as the pages): one Review per
    reviewer and change, at its first review, with developer keys as people (a bot author: None). Bots' reviews
    count for nobody. Without EXCLUDE_SELF a review of one's own change is kept as given, to nobody (author None)."""
    developer = reviewers.developer
    first: dict[tuple[int, str], ReviewEvent] = {}
    for event in events:
        who = developer(event.reviewer)
        if who is None or (exclude_self and who == developer(event.author)):
            continue
        seen = first.get((who, event.change_id))
        if seen is None or event.at < seen.at:
            first[(who, event.change_id)] = event
    found = []
    for (who, _change), event in first.items():
        author = developer(event.author)
        found.append(
            Review(
                reviewer=reviewers.key(who),
                author=reviewers.key(author) if author is not None and author != who else None,
                week=week_of(event.at),
                modules=tuple(sorted({module_of(p, module_depth) for p in event.paths})),
                turnaround_seconds=event.turnaround_seconds,
            )
        )
    return found


def team_to_dict(load: TeamLoad, names: Mapping[str, str] | None = None) -> dict:
    """The CLI's `team` object from the shared team load: counts most first, shares, the inequality engine's
    spread and "N people give X% of the reviews" (NAMES label them)."""
    s = load.spread
    names = names or {}
    counts = dict(sorted(load.given.items(), key=lambda kv: (-kv[1], kv[0])))
    c = load.concentration
    return {
        "counts": counts,
        "shares": {p: round(load.shares[p], 4) for p in counts},
        "total": load.total,
        "gini": s.gini,
        "normalised_gini": s.normalised_gini,
        "enough_data": s.enough_data,
        "reason": s.reason,
        "top": s.top,
        "top_share": s.top_share,
        "top_over_fair": s.top_over_fair,
        "above_alert_line": s.above_alert_line,
        "concentration_people": list(c.people),
        "concentration_share": round(c.share, 4),
        "summary": c.sentence([names.get(p, p) for p in c.people]),
    }


def review_knowledge(
    events: Iterable[ReviewEvent], reviewers: Reviewers, module_depth: int = 1, exclude_self: bool = True
) -> dict[str, dict[str, int]]:
    """Module -> reviewer key -> changes they reviewed there (most first): who knows a module by reviewing it."""
    found = module_reviewers(as_reviews(events, reviewers, module_depth, exclude_self))
    return {
        module: dict(sorted(per.items(), key=lambda kv: (-kv[1], kv[0])))
        for module, per in sorted(found.items())
    }


def load_to_dict(
    events: list[ReviewEvent],
    reviewers: Reviewers,
    members: Iterable[str] | None = None,
    module_depth: int = 1,
    exclude_self: bool = True,
    modules: bool = False,
) -> dict:
    """The review load as JSON-able data (the CLI's --json): people with reviews given and received, their share
    and reviews by kind, the team's spread over MEMBERS (default: everyone who gave a review), and with MODULES the
    reviewers per module. The team figures are the pages' own (shares.team_load)."""
    reviews = as_reviews(events, reviewers, module_depth, exclude_self)
    given = Counter(r.reviewer for r in reviews)
    received: dict[str, set[str]] = {}  # changes, whoever many reviewed them
    by_kind: dict[str, dict[str, set[str]]] = {}
    developer = reviewers.developer
    names = {}
    for event in events:
        who, author = developer(event.reviewer), developer(event.author)
        for dev in (who, author):
            if dev is not None:
                names.setdefault(reviewers.key(dev), reviewers.name(dev))
        if who is None or (exclude_self and who == author):
            continue
        by_kind.setdefault(reviewers.key(who), {}).setdefault(event.kind, set()).add(event.change_id)
        if author is not None and author != who:
            received.setdefault(reviewers.key(author), set()).add(event.change_id)
    team = team_load(reviews, sorted(given) if members is None else list(members))
    people = []
    for key in sorted(given.keys() | received.keys(), key=lambda k: (-given.get(k, 0), k)):
        people.append(
            {
                "person": key,
                "name": names.get(key, key),
                "given": given.get(key, 0),
                "share": round(team.shares.get(key, 0.0), 4),
                "received": len(received.get(key, ())),
                "by_kind": {kind: len(c) for kind, c in sorted(by_kind.get(key, {}).items())},
            }
        )
    data = {"events": len(events), "people": people, "team": team_to_dict(team, names)}
    if modules:
        data["modules"] = review_knowledge(events, reviewers, module_depth, exclude_self)
    return data
