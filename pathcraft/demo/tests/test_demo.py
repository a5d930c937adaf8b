"""The demo organisation: deterministic, and shaped as the brief needs it."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter

import pytest

from pathcraft.demo.organisation import generate


def test_same_seed_same_organisation_other_seed_other_people():
    assert generate(1) == generate(1)
    assert [p.name for p in generate(1).people] != [p.name for p in generate(2).people]


def test_shape():
    org = generate()
    assert 55 <= len(org.people) <= 70
    assert len({p.email for p in org.people}) == len(org.people)
    counts = Counter(p.manager for p in org.people if p.manager)
    assert counts.most_common(1)[0][1] == 13
    by_key = {p.key: p for p in org.people}

    def depth(p):
        return 0 if p.manager is None else 1 + depth(by_key[p.manager])

    assert max(depth(p) for p in org.people) >= 3
    assert len({p.title for p in org.people}) >= 8
    assert {p.login for p in org.people if p.login} == {"engineer", "manager"}


def test_one_team_spans_9_to_16_hours():
    org = generate()
    when = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
    offsets = [when.astimezone(zoneinfo.ZoneInfo(p.timezone)).utcoffset().total_seconds() / 3600
               for p in org.people if p.team == "edge"]  # fmt: skip
    spans = sorted({abs(a - b) for a in offsets for b in offsets if a != b})
    assert max(spans) == 16 and 9 in spans


@pytest.mark.django_db
def test_loads_into_the_database():
    from pathcraft.demo.load import load_demo
    from pathcraft.people.models import Person

    logins = load_demo()
    assert set(logins) == {"engineer", "manager", "admin"}
    sam = Person.objects.get(email=logins["manager"])
    assert sam.reports.count() == 13 and sam.user.check_password("pathcraft-demo")
    with pytest.raises(Exception, match="already holds an organisation"):
        load_demo()
