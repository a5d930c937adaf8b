"""Test helpers: .ics exports built with icalendar, CBI answers at a level, small teams with answers."""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

from pathcraft.workload import actions, cbi
from pathcraft.workload.demo import _Calendar

MONDAY = dt.date(2026, 3, 2)


def someone(email: str, name: str | None = None):
    return SimpleNamespace(pk=abs(hash(email)) % 10000, email=email, name=name or email.split("@")[0])


def busy_ics(owner_email: str, weeks: int = 4, title: str = "Weekly status update", people: int = 9) -> bytes:
    """Each week: a 2-hour status meeting of `people` (an async candidate), daily 3 h of meetings, late calls."""
    owner = someone(owner_email)
    others = [someone(f"p{i}@x.test") for i in range(people - 1)]
    c = _Calendar(owner, "Europe/London")
    until = dt.datetime.combine(MONDAY + dt.timedelta(weeks=weeks, days=-2), dt.time(0), tzinfo=dt.UTC)
    c.add(title, MONDAY, dt.time(9, 0), 120, [owner, *others], until)
    for d in range(5):
        c.add("Pairing", MONDAY + dt.timedelta(days=d), dt.time(11, 0), 60, [owner, others[0]], until)
        c.add("Design sync", MONDAY + dt.timedelta(days=d), dt.time(13, 0), 60, [owner, others[1]], until)
        c.add("Late call", MONDAY + dt.timedelta(days=d), dt.time(20, 0), 90, [owner, others[2]], until)
    return c.to_ics()


def answers_at(level: float, seed: int = 1) -> dict[str, str]:
    rng = random.Random(seed)
    inv = cbi.inventory()
    out = {}
    for item in inv.items:
        target = min(100, max(0, level + rng.choice([-10, 0, 10])))
        target = 100 - target if item.reverse else target
        out[item.id] = min(inv.response_sets[item.response_set], key=lambda o: abs(o.score - target)).key
    return out


def answer(people, level: float, day: dt.date = dt.date(2026, 1, 15)):
    for i, person in enumerate(people):
        actions.submit_burnout(person, answers_at(level, seed=i), day)
