"""Data for a sample of the large demo's generated teams, of the same kinds the small demo has.

Every SAMPLE_EVERY-th generated team answers the three burnout pulses (so team health has figures to show far
from Northwind's original teams) and its members save a career profile (so the paths roll-ups have something to
aggregate). Northwind's original ~60 people keep the small demo's full data set.
"""

from __future__ import annotations

import datetime as dt
import random

from pathcraft.paths import actions as path_actions
from pathcraft.paths.demo import ANCHOR, PROFILES, _profile
from pathcraft.people.models import Person, Team
from pathcraft.workload import actions as workload_actions
from pathcraft.workload.demo import PULSES, _answers

SAMPLE_EVERY = 8


def load_sample(org, rng: random.Random, progress=None) -> int:
    """Burnout answers and profiles for every SAMPLE_EVERY-th generated team; returns how many people."""
    teams = [
        t
        for t in Team.objects.filter(organisation=org, slug__startswith="team-")
        if _number(t) % SAMPLE_EVERY == 0
    ]
    members: dict[int, list[Person]] = {t.pk: [] for t in teams}
    for person in Person.objects.filter(team__in=teams).order_by("pk"):
        members[person.team_id].append(person)
    specs = list(PROFILES.values())
    count = 0
    for i, team in enumerate(teams):
        base = rng.uniform(25, 65)  # each team its own level: some teams are more tired than others
        for person in members[team.pk]:
            for p_index, day in enumerate(PULSES):
                level = base + 5 * p_index + rng.uniform(-10, 10)
                workload_actions.submit_burnout(person, _answers(level, rng), day)
            spec = specs[(person.pk + i) % len(specs)]
            profile = _profile(spec, person.name, jitter=random.Random(person.pk))
            path_actions.save_profile(person, profile, source="demo", taken_on=ANCHOR - dt.timedelta(days=14))
            count += 1
        if progress and i % 10 == 9:
            progress(f"sample data: {i + 1} of {len(teams)} teams")
    return count


def _number(team: Team) -> int:
    tail = team.slug.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0
