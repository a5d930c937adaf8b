"""The large demo organisation: the shape the scale issue asks for, from a fixed seed, loaded by bulk inserts."""

from __future__ import annotations

import zoneinfo
from collections import Counter

import pytest

from pathcraft.demo.large import generate_large, shape
from pathcraft.demo.organisation import generate


@pytest.mark.parametrize("size", [120, 800, 5000, 50_000])
def test_exactly_n_people_five_or_six_levels_spans_3_to_15(size):
    org = generate_large(size)
    found = shape(org)
    assert found.people == size
    assert found.depth in (5, 6) if size >= 800 else found.depth >= 5
    assert 3 <= found.min_span and found.max_span <= 15
    assert len({p.email for p in org.people}) == size
    assert all(p.manager is None for p in org.people if p.key == "ceo")
    assert sum(1 for p in org.people if p.manager is None) == 1  # one top: the CEO


def test_every_team_member_reports_to_the_team_lead_and_shares_a_real_zone():
    org = generate_large(5000)
    by_team = {}
    for p in org.people:
        if p.team:
            by_team.setdefault(p.team, []).append(p)
    assert 400 <= len(by_team) <= 700  # about one team per 8-12 people, like the 565 teams the issue measured
    for slug, people in by_team.items():
        zoneinfo.ZoneInfo(people[0].timezone)
        if slug.startswith("team-"):
            managers = {p.manager for p in people} - {p.key for p in people}
            assert len(managers) == 1, slug


def test_the_small_demo_is_whole_inside_under_a_ceo():
    small = generate()
    large = generate_large(2000)
    by_key = {p.key: p for p in large.people}
    for p in small.people:
        inside = by_key[p.key]
        assert (inside.name, inside.email, inside.team, inside.title) == (p.name, p.email, p.team, p.title)
        assert inside.manager == (p.manager or "ceo")
    assert {p.login for p in large.people if p.login} == {"engineer", "manager", "director", "ceo"}
    director = next(p for p in large.people if p.login == "director")
    below = Counter()
    for p in large.people:
        m = p.manager
        while m:
            below[m] += 1
            m = by_key[m].manager
    assert (
        below[director.key] > len(large.people) / 10
    )  # a director of a real organisation: a good share of it


def test_same_size_same_organisation():
    assert generate_large(900) == generate_large(900)
    assert [p.name for p in generate_large(900).people] != [p.name for p in generate_large(901).people]


def test_too_small_is_refused_with_the_floor():
    with pytest.raises(ValueError, match="at least"):
        generate_large(10)


@pytest.mark.django_db
def test_demo_size_loads_people_reporting_lines_and_sampled_data():
    from pathcraft.demo.load import load_demo
    from pathcraft.people.models import Person, Team
    from pathcraft.workload.models import BurnoutResponse

    logins = load_demo(size=400)
    assert Person.objects.count() == 400
    assert Person.objects.filter(manager__isnull=True).count() == 1
    ceo = Person.objects.get(email=logins["ceo"])
    assert ceo.user is not None and Person.objects.filter(manager=ceo).count() >= 2
    sam = Person.objects.get(email=logins["manager"])
    assert sam.reports.count() == 13 and sam.manager.manager.manager == ceo
    generated = Team.objects.filter(slug__startswith="team-")
    assert generated.exists() and all(t.lead_id for t in generated)
    sampled = BurnoutResponse.objects.filter(person__team__slug__startswith="team-")
    assert sampled.exists()  # teams far from Northwind's have pulse answers too
