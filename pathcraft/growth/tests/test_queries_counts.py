"""The 1:1s index, the relationships API and the manager dashboard cost a fixed number of queries, whatever the
number of reports (they used to run a handful per report: 58 queries for the demo's 13 reports on the index,
221 on the dashboard)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pathcraft.growth import actions, queries
from pathcraft.growth.access import FULL_ROLES, role_in
from pathcraft.growth.models import CheckIn, Discussion, Relationship
from pathcraft.growth.tests.db import login, make_pair
from pathcraft.people.tests.factories import make_org, make_person, small_org

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def team(size: int, slug: str):
    """A manager (with a manager above) and `size` reports, each with a 1:1 and some history of every kind."""
    org = make_org(slug)
    boss = make_person(org, "Boss " + slug)
    manager = make_person(org, "Manager " + slug, manager=boss)
    reports = [make_person(org, f"Report {slug} {i:02}", manager=manager, account=False) for i in range(size)]
    for i, report in enumerate(reports):
        rel = make_pair(manager, report)
        actions.add_agenda_item(rel, report, f"point {i}", "grow")
        actions.add_action_item(rel, manager, report, f"action {i}", TODAY - dt.timedelta(days=1))
        Discussion.objects.create(relationship=rel, question="vision", on=TODAY - dt.timedelta(days=20))
        CheckIn.objects.create(relationship=rel, on=TODAY - dt.timedelta(days=2), mood=3)
        actions.add_low_promotability_task(manager, "note_taking", TODAY, report, "asked", 1)
    for i in range(0, size, 2):
        actions.add_spotlight(manager, "internal_demo", f"demo {i}", TODAY, [(reports[i], "showed it")])
    actions.record_leave(reports[0], TODAY + dt.timedelta(days=30), TODAY + dt.timedelta(days=31))
    return manager


def queries_of(client, url: str) -> tuple[int, int]:
    """(first request, second request): the first may plan occurrences ahead, the second only reads."""
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    return counts[0], counts[1]


@pytest.mark.parametrize("page", ["growth:index", "growth:dashboard", "/api/growth/relationships"])
def test_queries_do_not_grow_with_the_number_of_reports(client, page):
    url = page if page.startswith("/") else reverse(page)
    small, large = team(3, "small"), team(13, "large")
    login(client, small)
    small_counts = queries_of(client, url)
    client.logout()
    login(client, large)
    large_counts = queries_of(client, url)
    assert large_counts[1] == small_counts[1], (small_counts, large_counts)
    assert large_counts[0] == small_counts[0], (small_counts, large_counts)
    assert large_counts[1] <= 25  # a fixed budget: sessions, the viewer, the rows of each kind, once


def test_the_dashboard_still_shows_every_reports_figures(client):
    manager = team(13, "figures")
    html = login(client, manager).get(reverse("growth:dashboard")).content.decode()
    assert html.count('<th scope="row"><a href="/growth/1on1/') == 13
    # Each report's own overdue action item is in their row; the team's spotlight and task counts are whole.
    for i in range(13):
        assert f"Report figures {i:02}: 1/1 (1.00)" in html
    assert "7 contributions in the window" in html and "13 tasks in the window" in html


def test_the_relationships_api_lists_every_report(client):
    manager = team(13, "api")
    data = login(client, manager).get("/api/growth/relationships").json()["items"]
    assert len(data) == 13


def test_relationships_for_is_exactly_the_relationships_with_a_full_role():
    """The fast query agrees with `access.role_in` one relationship at a time, for every kind of viewer:
    report, manager, mentor, skip-level, former manager, a manager no longer in charge, stranger, admin."""
    o = small_org()
    current = make_pair(o["lead"], o["dev"])
    make_pair(o["lead"], o["dev2"])
    make_pair(o["boss"], o["lead"])
    make_pair(o["lead2"], o["other"])
    make_pair(o["lead2"], o["dev"], kind=Relationship.MENTOR)
    ended = make_pair(o["boss"], o["dev2"], kind=Relationship.MENTOR)
    ended.ended_on = TODAY - dt.timedelta(days=1)
    ended.save(update_fields=["ended_on"])
    o["other"].manager = o["boss"]  # moved without the 1:1 being ended: lead2 is no longer in charge
    o["other"].save(update_fields=["manager"])
    viewers = [o[k].user for k in ("boss", "lead", "dev", "dev2", "lead2", "other", "stranger")] + [
        o["admin"]
    ]
    everything = list(Relationship.objects.select_related("manager", "report"))
    for user in viewers:
        expected = {r.pk for r in everything if role_in(user, r) in FULL_ROLES}
        assert {r.pk for r in queries.relationships_for(user)} == expected, user
    assert current.pk in {r.pk for r in queries.relationships_for(o["dev"].user)}
    assert {r.pk for r in queries.relationships_for(o["lead2"].user)} == {
        r.pk for r in everything if r.kind == Relationship.MENTOR and r.is_active
    }
