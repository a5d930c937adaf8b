"""The review-load API: a team's load, a person's review stats, storing events. Every object is checked: another
organisation's team, person or repository is 404; a visible one the viewer may not see or change is 403."""

from __future__ import annotations

import pytest

from pathcraft.code.tests.scenarios import login
from pathcraft.people.tests.factories import make_team, small_org
from pathcraft.reviews.models import ReviewRecord
from pathcraft.reviews.tests.scenarios import PERSON_VIEWER_IDS, PERSON_VIEWERS, core_reviews, repository

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def o():
    o = small_org()
    o["team"].lead = o["lead"]
    o["team"].save()
    o["repo"] = core_reviews(o)
    return o


def as_(client, o, viewer):
    return login(client, "root" if viewer == "admin" else o[viewer])


def test_the_team_load_for_its_lead(client, o):
    body = as_(client, o, "lead").get(f"/api/reviews/teams/{o['team'].slug}").json()
    assert (body["members"], body["total"], body["concentration_people"]) == (3, 48, 1)
    assert body["sentence"] == "One person (Dee Dev) gives 75% of the reviews."
    assert body["gini"] == pytest.approx(0.417, abs=1e-3) and body["enough_data"] is True
    top = body["people"][0]
    assert (top["person_id"], top["given"], top["share"], top["flagged"], top["sustained"]) == (
        o["dev"].pk, 36, 0.75, True, True)  # fmt: skip
    assert body["weekly_total"] == [8] * 6 and body["others"] is None


def test_a_member_gets_the_aggregate_without_the_others_rows(client, o):
    body = as_(client, o, "dev2").get(f"/api/reviews/teams/{o['team'].pk}").json()
    assert [p["person_id"] for p in body["people"]] == [o["dev2"].pk]
    assert body["others"] == {"count": 2, "given": 42, "share_pct": 88}
    assert "Dee Dev" not in str(body)


@pytest.mark.parametrize(("viewer", "status"), [("other", 403), ("lead2", 403), ("stranger", 404)])
def test_the_team_load_for_people_outside_it(client, o, viewer, status):
    assert as_(client, o, viewer).get(f"/api/reviews/teams/{o['team'].slug}").status_code == status


def test_a_team_of_another_organisation_is_404_even_by_id(client, o):
    foreign = make_team(o["stranger"].organisation, "foreign")
    assert as_(client, o, "lead").get(f"/api/reviews/teams/{foreign.pk}").status_code == 404


@pytest.mark.parametrize(("viewer", "status"), PERSON_VIEWERS, ids=PERSON_VIEWER_IDS)
def test_a_persons_review_stats_are_theirs_and_their_managers(client, o, viewer, status):
    response = as_(client, o, viewer).get(f"/api/reviews/people/{o['dev'].pk}")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert (body["given"], body["team_total"], body["share"], body["sustained"]) == (36, 48, 0.75, True)
        assert body["modules"] == [["core", 36]] and body["people_reviewed"] == 1
    else:
        assert "given" not in response.json()


def test_an_unknown_person_is_404(client, o):
    assert as_(client, o, "lead").get("/api/reviews/people/999999").status_code == 404


EVENT = {"reviewer": {"name": "Dee Dev", "email": "dee.dev@acme.test"}, "author": {"name": "Lee", "login": "lee"},
         "at": "2026-10-01T10:00:00+02:00", "kind": "approved", "change_id": "acme/svc#7", "paths": ["core/a.py"],
         "requested_at": "2026-10-01T08:00:00+02:00", "source": "github"}  # fmt: skip


def store(client, o, viewer, body, repo=None):
    return as_(client, o, viewer).post(f"/api/reviews/repositories/{(repo or o['repo']).pk}/events", body,
                                       content_type=JSON)  # fmt: skip


def test_the_lead_stores_events_incrementally_and_again_without_change(client, o):
    body = {"mode": "incremental", "events": [EVENT]}
    first = store(client, o, "lead", body).json()
    again = store(client, o, "lead", body).json()
    assert (first["events"], first["added"]) == (49, 1) and (again["events"], again["added"]) == (49, 0)
    row = ReviewRecord.objects.get(change_id="acme/svc#7")
    assert (row.reviewer_key, row.author_key, row.source) == ("dee.dev@acme.test", "login:lee", "github")
    assert (row.at - row.requested_at).total_seconds() == 7200


@pytest.mark.parametrize(("viewer", "status"), [("dev", 403), ("boss", 403), ("stranger", 404)])
def test_only_the_lead_or_an_administrator_stores_events(client, o, viewer, status):
    assert store(client, o, viewer, {"events": [EVENT]}).status_code == status
    assert ReviewRecord.objects.filter(repository=o["repo"]).count() == 48


def test_another_organisations_repository_is_404(client, o):
    foreign = repository(make_team(o["stranger"].organisation, "foreign"), "theirs")
    assert store(client, o, "lead", {"events": [EVENT]}, repo=foreign).status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [({"kind": "liked"}, "event 1: unknown review kind 'liked'"),
     ({"at": "2026-10-01T10:00:00"}, "event 1: review time must carry its timezone offset"),
     ({"reviewer": {"name": ""}}, "a review event names nobody")],
    ids=["kind", "naive-time", "nobody"],
)  # fmt: skip
def test_a_bad_event_is_a_400_with_one_line_and_stores_nothing(client, o, change, message):
    response = store(client, o, "lead", {"mode": "incremental", "events": [EVENT, {**EVENT, **change}][::-1]})
    assert response.status_code == 400 and message in response.json()["detail"]
    assert "\n" not in response.json()["detail"]
    assert ReviewRecord.objects.filter(repository=o["repo"]).count() == 48
