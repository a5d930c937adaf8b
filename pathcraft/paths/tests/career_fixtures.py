"""Shared setup for the career page and API tests: the small organisation plus profiles."""

from __future__ import annotations

import datetime as dt

from pathcraft.paths import actions
from pathcraft.paths.profile import parse_profile_data
from pathcraft.people.permissions import set_share
from pathcraft.people.tests.factories import PASSWORD, small_org

PROFILE = {
    "activities": {
        "coding": {"hours": 20, "skill": 5, "energy": 2},
        "design": {"hours": 5, "skill": 4, "energy": 2},
        "meetings": {"hours": 10, "skill": 3, "energy": -2},
        "people_management": {"hours": 5, "skill": 2, "energy": -2},
    },
    "current_role": "senior_engineer",
}


def career_org():
    """small_org (boss -> lead -> dev, dev2; lead2 -> other; stranger; admin) with dev's profile."""
    org = small_org()
    actions.save_profile(org["dev"], parse_profile_data(PROFILE), taken_on=dt.date(2026, 1, 5))
    return org


def share(person, relation="manager"):
    set_share(person, "career", relation, True)


def login(client, person):
    assert client.login(username=person.email, password=PASSWORD)
    return client
