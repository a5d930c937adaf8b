"""Workload API: the same lines as the pages (figures, titles, burnout self-only, k)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pathcraft.people.tests.factories import PASSWORD, make_person, small_org
from pathcraft.workload import actions
from pathcraft.workload.models import CalendarImport
from pathcraft.workload.tests.workload_factories import answer, answers_at, busy_ics

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return small_org()


def _login(client, person):
    assert client.login(username=person.email, password=PASSWORD)
    return client


@pytest.mark.parametrize("viewer,status", [("dev", 200), ("lead", 200), ("boss", 403), ("dev2", 403),
                                           ("stranger", 404)])  # fmt: skip
def test_person_workload_follows_the_policy(client, org, viewer, status):
    actions.import_calendar(org["dev"], busy_ics(org["dev"].email, title="Secret acquisition status"))
    response = _login(client, org[viewer]).get(f"/api/workload/people/{org['dev'].pk}")
    assert response.status_code == status
    body = response.content.decode()
    if viewer == "lead":
        assert "Secret acquisition" not in body and '"weeks"' in body
    if viewer == "dev":
        assert "Secret acquisition status" in body


def test_upload_broken_file_is_400_and_stores_nothing(client, org):
    _login(client, org["dev"])
    bad = SimpleUploadedFile("x.ics", b"BEGIN:VCALENDAR\r\n", "text/calendar")
    response = client.post("/api/workload/me/calendar", {"file": bad})
    assert response.status_code == 400 and "ends inside BEGIN:VCALENDAR" in response.content.decode()
    assert not CalendarImport.objects.exists()
    good = SimpleUploadedFile("x.ics", busy_ics(org["dev"].email), "text/calendar")
    response = client.post("/api/workload/me/calendar", {"file": good})
    assert response.status_code == 200 and response.json()["weeks"] == 4


def test_burnout_scores_only_for_self(client, org):
    _login(client, org["dev"])
    response = client.post("/api/workload/me/burnout", json.dumps({"answers": answers_at(75)}),
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json()["scores"]["work"] >= 50
    mine = client.get("/api/workload/me/burnout").json()
    assert len(mine["pulses"]) == 1
    client.logout()
    team = _login(client, org["lead"]).get("/api/workload/team").json()
    assert all(not a["shown"] for a in team["burnout"]["scales"]) or team["burnout"]["hidden"]
    body = json.dumps(team)
    assert str(round(response.json()["scores"]["work"], 1)) not in body


def test_bad_survey_answer_is_a_clear_400(client, org):
    response = _login(client, org["dev"]).post(
        "/api/workload/me/burnout", json.dumps({"answers": {"pb1": "maybe"}}), content_type="application/json"
    )
    assert response.status_code == 400 and "not an answer to this question" in response.content.decode()


def test_team_endpoint_is_404_without_reports_and_aggregates_from_k(client, org):
    assert _login(client, org["dev"]).get("/api/workload/team").status_code == 404
    client.logout()
    reps = [make_person(org["org"], f"Rep {i}", manager=org["lead"], account=False) for i in range(5)]
    answer(reps, 80)
    team = _login(client, org["lead"]).get("/api/workload/team").json()
    work = next(a for a in team["burnout"]["scales"] if a["scale"] == "work")
    assert work["shown"] and work["n"] == 5 and work["mean"] >= 50
    assert [i["id"] for i in client.get("/api/workload/burnout/items").json()["items"]][:2] == ["pb1", "pb2"]


def test_org_endpoint_gives_aggregates_only(client, org):
    answer([org["dev"], org["dev2"]], 80)
    data = _login(client, org["dev"]).get("/api/workload/org").json()
    assert all(not a["shown"] and a["n"] is None for a in data["survey"]["overall"])
