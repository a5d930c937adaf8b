"""The JSON API: the same rules as the pages, and answers through a link without an account."""

from __future__ import annotations

import pytest
from django.core import mail

from pathcraft.feedback.models import Answer, FeedbackRequest
from pathcraft.feedback.tests.conftest import approve_outside, login, tokens_in_outbox

pytestmark = pytest.mark.django_db


def test_create_answer_and_read_through_the_api(client, org):
    login(client, org["dev"])
    start = len(mail.outbox)
    body = {
        "people": [org["ann"].pk, org["ben"].pk],
        "emails": ["x@elsewhere.test"],
        "activities": ["coding"],
    }
    created = client.post("/api/feedback/requests", body, content_type="application/json")
    assert created.status_code == 201, created.content
    request_id = created.json()["id"]
    assert created.json()["progress"] == {"asked": 3, "pending_approval": 1, "answered": 0, "revoked": 0,
                                          "k": 3, "due": None, "closed": False}  # fmt: skip
    assert len(tokens_in_outbox(start)) == 2  # the outside address has no link yet
    approve_outside(FeedbackRequest.objects.get(pk=request_id))
    tokens = list(tokens_in_outbox(start).values())
    client.logout()  # respondents need no account
    questions = client.get(f"/api/feedback/answer/{tokens[0]}").json()
    assert questions["subject"] == "Dee Dev" and [a["key"] for a in questions["activities"]] == ["coding"]
    for i, token in enumerate(tokens):
        response = client.post(f"/api/feedback/answer/{token}", {"ratings": {"coding": 3 + i}, "texts": {}},
                               content_type="application/json")  # fmt: skip
        assert response.status_code == 201 and response.json() == {"saved": True}
    again = client.post(
        f"/api/feedback/answer/{tokens[0]}", {"ratings": {"coding": 1}}, content_type="application/json"
    )
    assert again.status_code == 400 and "already used" in again.json()["detail"]
    assert client.get("/api/feedback/answer/not-a-real-token").status_code == 404
    assert client.get(f"/api/feedback/requests/{request_id}").status_code in (401, 403)
    login(client, org["dev"])
    results = client.get(f"/api/feedback/requests/{request_id}").json()["results"]
    assert results["visible"] and results["activities"] == [
        {"key": "coding", "status": "shown", "n": 3, "mean": 4.0, "spread": 1.0}
    ]
    assert Answer.objects.count() == 3
    respondents = client.get(f"/api/feedback/requests/{request_id}/respondents").json()["items"]
    assert all(set(r) == {"id", "email", "approval", "revoked"} for r in respondents)  # never "answered"


@pytest.mark.parametrize("body,message", [
    ({"emails": ["a@x.test", "b@x.test", "c@x.test"], "k": 2}, "k must be at least 3"),
    ({"emails": ["a@x.test", "b@x.test", "dee.dev@acme.test"]}, "cannot be their own respondent"),
])  # fmt: skip
def test_api_refuses_bad_requests(client, org, body, message):
    login(client, org["dev"])
    response = client.post("/api/feedback/requests", body, content_type="application/json")
    assert response.status_code == 400 and message in response.json()["detail"]
    assert not FeedbackRequest.objects.exists()


def test_api_cannot_pick_people_from_another_organisation(client, org):
    login(client, org["dev"])
    body = {"people": [org["stranger"].pk], "emails": ["a@x.test", "b@x.test", "c@x.test"]}
    assert client.post("/api/feedback/requests", body, content_type="application/json").status_code == 404


@pytest.mark.parametrize("viewer,status", [("dev2", 403), ("boss", 403), ("stranger", 404), ("lead", 403)])
def test_api_object_rights(client, org, asked, viewer, status):
    req, _ = asked
    login(client, org[viewer])
    for url in (f"/api/feedback/requests/{req.pk}", f"/api/feedback/requests/{req.pk}/calibration"):
        assert client.get(url).status_code == status, url


def test_team_cycle_through_the_api(client, org, asked):
    login(client, org["lead"])
    created = client.post("/api/feedback/cycles", {}, content_type="application/json")
    assert created.status_code == 201
    names = [r["name"] for r in created.json()["reports"]]
    assert names == ["Dan Dev", "Dee Dev"]
    login(client, org["dev"])
    assert client.post("/api/feedback/cycles", {}, content_type="application/json").status_code == 400
