"""Stored review events as people: each identity matched through the code app's rules (the alias table, people's
own emails, confirmed matches), each review placed in a week and in the modules it touched, and whether it was
given inside the reviewer's working hours. A fixed number of queries, whatever the number of people or events."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q

from pathcraft.code.defaults import load_defaults as code_defaults
from pathcraft.code.knowledge import module_of
from pathcraft.code.matching import Rules
from pathcraft.people.models import Person
from pathcraft.reviews.models import ReviewRecord
from pathcraft.reviews.shares import Review, week_of

FIELDS = ("repository_id", "reviewer_key", "reviewer_name", "reviewer_email", "author_key", "author_name",
          "author_email", "at", "requested_at", "paths", "change_id")  # fmt: skip


class People:
    """Identity -> person of one organisation (None: not a person, or only a same-name proposal)."""

    def __init__(self, organisation_id: int):
        self.rules = Rules(organisation_id)
        self.people = self.rules.people
        self._cache: dict[str, Person | None] = {}
        self._zones: dict[str, zoneinfo.ZoneInfo] = {}

    def __call__(self, key: str, name: str, email: str) -> Person | None:
        if key not in self._cache:
            names = [name] if name else []
            if key.startswith("login:"):  # a forge login: a lead can add it to the alias table as a name
                names.append(key.removeprefix("login:"))
            dev = {"key": email or key, "emails": [email] if email else [], "names": names}
            self._cache[key] = self.rules.match(dev).person
        return self._cache[key]

    def outside_hours(self, person: Person, moment: datetime) -> bool:
        zone = self._zones.get(person.timezone)
        if zone is None:
            try:
                zone = self._zones[person.timezone] = zoneinfo.ZoneInfo(person.timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = self._zones[person.timezone] = zoneinfo.ZoneInfo("UTC")
        local = moment.astimezone(zone)
        if str(local.isoweekday()) not in person.work_days:
            return True
        start, end, now = person.work_start, person.work_end, local.time()
        inside = start <= now < end if start < end else (now >= start or now < end)
        return not inside


def modules_of(paths: Iterable[str], depth: int) -> tuple[str, ...]:
    return tuple(sorted({module_of(p, depth) for p in paths}))


def identity_keys_of(rows, people: People, wanted: set[int]) -> set[str]:
    """The identity keys (reviewers' and authors') of ROWS that are one of the WANTED people: two queries over the
    distinct identities, far fewer than the events."""
    keys = set()
    for prefix in ("reviewer", "author"):
        triples = rows.values_list(f"{prefix}_key", f"{prefix}_name", f"{prefix}_email").distinct()
        for key, name, email in triples.order_by():
            person = people(key, name, email)
            if person is not None and person.pk in wanted:
                keys.add(key)
    return keys


def organisation_reviews(organisation_id: int, people: People | None = None, repositories=None,
                         hours: bool = False, involving: Iterable[int] | None = None,
                         ) -> tuple[list[Review], People]:  # fmt: skip
    """Every stored review of the organisation's repositories (or of REPOSITORIES, ids) as Review rows with people's
    ids; whether each was given outside the reviewer's working hours only with HOURS (a time-zone conversion per
    review). INVOLVING (person ids): only the reviews given by one of them or of one of their changes, found by
    their identities first, so a team's page reads its own reviews and not the whole organisation's. At most three
    queries for the events, three for the matching rules."""
    people = people or People(organisation_id)
    depth = code_defaults().module_depth
    modules: dict[tuple, tuple[str, ...]] = {}  # the same files are changed again and again
    weeks: dict = {}
    rows = ReviewRecord.objects.filter(repository__team__organisation_id=organisation_id)
    if repositories is not None:
        rows = rows.filter(repository__in=repositories)
    if involving is not None:
        keys = identity_keys_of(rows, people, set(involving))
        if not keys:
            return [], people
        rows = rows.filter(Q(reviewer_key__in=keys) | Q(author_key__in=keys))
    found = []
    # One review per reviewer and change, as the engine counts (load.as_reviews): Reviewed-by and Tested-by by one
    # person, or a person under two emails, on one change is one review. Rows come oldest first: the first is kept.
    seen: set[tuple] = set()
    for repo, rkey, rname, remail, akey, aname, aemail, at, requested, paths, change in rows.order_by(
        "at", "pk"
    ).values_list(*FIELDS):
        reviewer = people(rkey, rname, remail)
        mark = (repo, change, reviewer.pk if reviewer is not None else rkey)
        if mark in seen:
            continue
        seen.add(mark)
        author = people(akey, aname, aemail)
        key = tuple(paths or ())
        touched = modules.get(key)
        if touched is None:
            touched = modules[key] = modules_of(key, depth)
        day = at.date()
        week = weeks.get(day)
        if week is None:
            week = weeks[day] = week_of(at)
        found.append(
            Review(
                reviewer=reviewer.pk if reviewer is not None else None,
                author=author.pk if author is not None else None,
                week=week,
                modules=touched,
                turnaround_seconds=max(0.0, (at - requested).total_seconds()) if requested else None,
                outside_hours=people.outside_hours(reviewer, at) if hours and reviewer is not None else None,
            )
        )
    return found, people
