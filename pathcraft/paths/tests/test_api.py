"""The career API: the same permission core as the pages, and every resource end to end."""

from __future__ import annotations

import json

import pytest

from pathcraft.paths.models import Experiment, ProfileSnapshot
from pathcraft.paths.tests.career_fixtures import career_org, login, share
from pathcraft.people.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

READS = ["profile", "profiles", "fit", "fit/compare", "strengths", "crafting", "experiments", "position"]


@pytest.fixture
def org():
    return career_org()


def _url(person, what):
    return f"/api/paths/people/{person.pk}/{what}"


def _send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("what", READS)
@pytest.mark.parametrize(
    "viewer,shared,status",
    [("dev", None, 200), ("dev2", None, 403), ("lead", None, 403), ("lead", "manager", 200),
     ("boss", "manager", 403), ("boss", "skip", 200), ("stranger", "manager", 404)],
)  # fmt: skip
def test_reads_follow_the_career_policy(client, org, what, viewer, shared, status):
    if shared:
        share(org["dev"], shared)
    response = login(client, org[viewer]).get(_url(org["dev"], what))
    assert response.status_code == status, response.content


@pytest.mark.parametrize("what", READS)
def test_admin_without_a_person_gets_403(client, org, what):
    share(org["dev"], "manager")
    assert client.login(username="root", password=PASSWORD)
    assert client.get(_url(org["dev"], what)).status_code == 403


@pytest.mark.parametrize(
    "method,what,body",
    [("put", "profile", {"activities": {"coding": {"hours": 1}}}),
     ("post", "crafting", {}),
     ("post", "experiments", {"template": "mentor", "start": "2026-01-05"}),
     ("put", "position", {"current": "ic/senior"})],
)  # fmt: skip
def test_a_manager_with_consent_cannot_write(client, org, method, what, body):
    share(org["dev"], "manager")
    before = ProfileSnapshot.objects.count()
    response = _send(login(client, org["lead"]), method, _url(org["dev"], what), body)
    assert response.status_code == 403
    assert ProfileSnapshot.objects.count() == before and not Experiment.objects.exists()


def test_put_profile_then_fit_and_strengths(client, org):
    login(client, org["dev2"])
    assert client.get(_url(org["dev2"], "profile")).status_code == 404  # nothing yet
    body = {"activities": {"research": {"hours": 10, "skill": 4, "energy": "energises"},
                           "meetings": {"hours": 10, "skill": 3, "energy": -2}}, "current_role": "researcher"}  # fmt: skip
    saved = _send(client, "put", _url(org["dev2"], "profile"), body)
    assert saved.status_code == 200 and saved.json()["profile"]["activities"]["research"]["energy"] == 2
    roles = client.get(_url(org["dev2"], "fit") + "?top=3").json()["roles"]
    pair = client.get(_url(org["dev2"], "fit/compare")).json()
    assert [pair["a"]["role"], pair["b"]["role"]] == [r["role"] for r in roles[:2]]
    assert pair["sentences"][0].startswith(f"{roles[0]['name']} ") and isinstance(pair["tied"], bool)
    named = client.get(_url(org["dev2"], "fit/compare") + "?a=director&b=sre").json()
    assert (named["a"]["role"], named["b"]["role"]) == ("director", "sre")
    bad = client.get(_url(org["dev2"], "fit/compare") + "?a=directr&b=sre")
    assert bad.status_code in (400, 422) and "unknown role 'directr'" in bad.content.decode()
    assert len(roles) == 3 and roles[0]["role"] == "researcher" and roles[0]["explanation"]
    strengths = client.get(_url(org["dev2"], "strengths")).json()["items"]
    classes = {s["activity"]: s["class"] for s in strengths}
    assert classes == {"research": "realised_strength", "meetings": "weakness"}  # half the week each


def test_bad_profile_is_400_with_the_message(client, org):
    login(client, org["dev2"])
    response = _send(client, "put", _url(org["dev2"], "profile"), {"activities": {"codng": {"hours": 1}}})
    assert response.status_code == 400 and "did you mean 'coding'" in response.json()["detail"]
    role = _send(client, "put", _url(org["dev2"], "profile"),
                 {"activities": {"coding": {"hours": 1}}, "current_role": "wizard"})  # fmt: skip
    assert role.status_code == 400 and "unknown role 'wizard'" in role.json()["detail"]


def test_experiments_crud_checkins_and_outcome(client, org):
    dev = org["dev"]
    login(client, dev)
    created = _send(client, "post", _url(dev, "experiments"),
                    {"template": "give_talk", "start": "2026-02-02", "duration_weeks": 4})  # fmt: skip
    assert created.status_code == 201 and created.json()["end"] == "2026-03-02"
    eid = created.json()["id"]
    patched = _send(client, "patch", f"/api/paths/experiments/{eid}", {"hypothesis": "Talks are fun"})
    assert patched.json()["hypothesis"] == "Talks are fun"
    checkin = _send(
        client, "post", f"/api/paths/experiments/{eid}/checkins", {"on": "2026-02-09", "note": "Draft done"}
    )
    assert checkin.status_code == 201
    bad = _send(client, "post", f"/api/paths/experiments/{eid}/outcome",
                {"ended_on": "2026-03-02", "energy": {"coding": 2}})  # fmt: skip
    assert bad.status_code == 400 and "'coding' was not part of the experiment" in bad.json()["detail"]
    done = _send(client, "post", f"/api/paths/experiments/{eid}/outcome",
                 {"ended_on": "2026-03-02", "energy": {"presenting": 2}, "decision": "adopt"})  # fmt: skip
    assert done.status_code == 200 and done.json()["profile"]["activities"]["presenting"]["energy"] == 2
    got = client.get(f"/api/paths/experiments/{eid}").json()
    assert got["status"] == "done" and got["checkins"] == [{"on": "2026-02-09", "note": "Draft done"}]
    again = _send(client, "post", f"/api/paths/experiments/{eid}/checkins", {"on": "2026-03-03", "note": "x"})
    assert again.status_code == 400
    assert client.delete(f"/api/paths/experiments/{eid}").status_code == 204
    assert not Experiment.objects.exists()


def test_experiment_of_someone_else(client, org):
    dev = org["dev"]
    login(client, dev)
    eid = _send(
        client, "post", _url(dev, "experiments"), {"template": "mentor", "start": "2026-02-02"}
    ).json()["id"]
    client.logout()
    login(client, org["dev2"])
    assert client.get(f"/api/paths/experiments/{eid}").status_code == 403
    assert client.delete(f"/api/paths/experiments/{eid}").status_code == 403
    client.logout()
    login(client, org["stranger"])
    assert client.get(f"/api/paths/experiments/{eid}").status_code == 404
    assert client.get("/api/paths/experiments/999999").status_code == 404


def test_position_assessment_and_readiness(client, org):
    dev = org["dev"]
    login(client, dev)
    assert client.get(_url(dev, "readiness")).status_code == 404
    pos = _send(client, "put", _url(dev, "position"), {"current": "ic/senior", "target": "ic/staff"})
    assert pos.json() == {"framework": "pathcraft-default", "current": "ic/senior", "target": "ic/staff"}
    framework = client.get("/api/paths/frameworks/pathcraft-default").json()["framework"]
    staff = next(
        lv for t in framework["tracks"] if t["id"] == "ic" for lv in t["levels"] if lv["id"] == "staff"
    )
    first_area, criteria = next(iter(staff["competencies"].items()))
    cid = f"ic.staff.{first_area}.1"
    saved = _send(client, "put", _url(dev, "assessment"), {"ratings": {cid: {"rating": "met"}}})
    assert saved.json()["ratings"][cid]["rating"] == "met"
    readiness = client.get(_url(dev, "readiness")).json()
    assert readiness["verdict"] == "not_yet" and readiness["total"] > 1
    gap = next(g for g in readiness["gaps"] if g["criterion"] == cid)
    assert "without an evidence note" in gap["reason"]  # the evidence rule, in words
    assert readiness["route"] == [{"from": "ic/senior", "to": "ic/staff", "kind": "up", "note": ""}]
    bad = _send(client, "put", _url(dev, "assessment"), {"ratings": {"ic.staff.nope.1": "met"}})
    assert bad.status_code == 400 and "no criterion 'ic.staff.nope.1'" in bad.json()["detail"]
    bad_rating = _send(client, "put", _url(dev, "assessment"), {"ratings": {cid: "great"}})
    assert (
        bad_rating.status_code == 400
        and "must be one of not yet, partly, met, exceeds" in bad_rating.json()["detail"]
    )


def test_frameworks_list_is_per_organisation(client, org):
    from pathcraft.paths import actions

    actions.active_framework(org["org"])
    login(client, org["stranger"])
    assert client.get("/api/paths/frameworks").json()["items"] == []
    client.logout()
    login(client, org["dev"])
    listed = client.get("/api/paths/frameworks").json()["items"]
    assert [f["key"] for f in listed] == ["pathcraft-default"] and listed[0]["is_active"]


def test_crafting_accept_via_api(client, org):
    dev = org["dev"]
    login(client, dev)
    proposal = client.get(_url(dev, "crafting")).json()["proposal"]
    assert proposal["shifts"] and proposal["drain_share_after"] < proposal["drain_share_before"]
    accepted = _send(client, "post", _url(dev, "crafting"), {"note": "ok"})
    assert accepted.status_code == 201 and accepted.json()["shifts"] == proposal["shifts"]
    assert client.get(_url(dev, "crafting")).json()["accepted"]["note"] == "ok"


def test_catalogues(client, org):
    login(client, org["dev"])
    assert len(client.get("/api/paths/activities").json()["items"]) == 20
    roles = client.get("/api/paths/roles").json()["items"]
    assert len(roles) >= 12 and all(abs(sum(r["mix"].values()) - 1) < 0.01 for r in roles)
