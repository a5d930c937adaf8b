"""The organisation's workload page rolled up by subtree: branch rows from the shown team rows, drill-down."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pathcraft.people.models import Team
from pathcraft.people.tests.factories import PASSWORD, make_person, small_org
from pathcraft.workload import rollup
from pathcraft.workload.manager_load import assess_span

pytestmark = pytest.mark.django_db


def _org():
    """small_org (boss -> lead -> dev, dev2; boss -> lead2 -> other) with three led teams and a deeper line."""
    org = small_org()
    teams = {}
    for slug, lead in (("core", "lead"), ("edge", "lead2"), ("ops", "lead")):
        teams[slug], _ = Team.objects.update_or_create(
            organisation=org["org"], slug=slug, defaults={"name": slug.title(), "lead": org[lead]}
        )
    org["sub"] = make_person(org["org"], "Sam Sub", manager=org["dev"], account=False)
    return org, teams


def _row(team, shown, meeting=None):
    return {"team": team, "shown": shown, "meeting_hours": meeting, "focus_hours": meeting,
            "after_hours": meeting}  # fmt: skip


def test_a_branch_row_is_the_mean_of_its_shown_teams_only():
    org, teams = _org()
    data = {
        "load": [_row(teams["core"], True, 10.0), _row(teams["edge"], False), _row(teams["ops"], True, 20.0)],
        "spans": [
            {"manager": org[key], "reports": n, "span": assess_span(n)}
            for key, n in (("boss", 2), ("lead", 2), ("lead2", 1), ("dev", 1))
        ],  # fmt: skip
        "survey": None,
    }
    view = rollup.rolled_up(data, org["boss"])
    groups = {g["person"].name: g for g in view["groups"]}
    assert set(groups) == {"Lee Lead", "Lou Lead"}
    lee, lou = groups["Lee Lead"], groups["Lou Lead"]
    assert (lee["teams"], lee["teams_shown"], lee["meeting_hours"], lee["managers"]) == (
        2,
        2,
        15.0,
        2,
    )  # lead, dev
    assert (lou["teams"], lou["teams_shown"], lou["meeting_hours"], lou["managers"]) == (1, 0, None, 1)
    assert len(view["teams"]) == 3  # few teams: listed as well
    below_lead = rollup.rolled_up(data, org["lead"])
    assert [g["person"].name for g in below_lead["groups"]] == ["Dee Dev"]  # the only manager below Lee
    assert {r["team"].slug for r in below_lead["teams"]} == {"core", "ops"}  # Lee's teams, not Lou's


def test_many_teams_are_groups_not_rows(client, monkeypatch):
    org, _teams = _org()
    monkeypatch.setattr(rollup, "TEAM_ROWS", 1)
    assert client.login(username=org["boss"].email, password=PASSWORD)
    html = client.get(reverse("workload:org")).content.decode()
    assert 'id="org-branches"' in html and f'?under={org["lead"].pk}"' in html
    assert 'id="org-load"' not in html and "open a branch above" in html
    opened = client.get(reverse("workload:org") + f"?under={org['lead'].pk}").content.decode()
    assert f'<a href="?under={org["boss"].pk}">Bo Boss</a>' in opened  # the way back up
    assert client.get(reverse("workload:org") + f"?under={org['stranger'].pk}").status_code == 404
    assert client.get(reverse("workload:org") + "?under=x").status_code == 404
