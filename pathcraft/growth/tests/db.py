"""Database fixtures for the growth app: the people factories' small organisation plus 1:1s."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pathcraft.growth import actions
from pathcraft.people.tests.factories import PASSWORD, small_org


def login(client, person):
    assert client.login(username=person.email, password=PASSWORD)
    return client


def make_pair(manager, report, weeks_ago: int = 8, **kwargs):
    """A weekly 1:1 that started `weeks_ago` weeks ago, on tomorrow's weekday (so the next one is ahead)."""
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    return actions.create_relationship(
        manager, report, started_on=today - dt.timedelta(weeks=weeks_ago), weekday=tomorrow.weekday(),
        at=dt.time(10, 0), tz="UTC", **kwargs,
    )  # fmt: skip


@pytest.fixture
def org(db):
    people = small_org()
    people["rel"] = make_pair(people["lead"], people["dev"])
    people["rel2"] = make_pair(people["lead"], people["dev2"])
    return people
