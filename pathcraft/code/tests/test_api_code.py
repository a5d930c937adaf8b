"""The code app's JSON API: every endpoint checks the object (another organisation: 404; a visible object the
viewer may not act on: 403), bad input is a 400 with one line and saves nothing."""

from __future__ import annotations

import pytest

from pathcraft.code.models import IdentityMatch, NameAlias, Repository
from pathcraft.code.tests.scenarios import analysed, identities_repo, login, org_with_lead

pytestmark = pytest.mark.django_db
JSON = "application/json"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def o(tmp_path):
    o = org_with_lead()
    o["git"] = identities_repo(tmp_path / "repo", o)
    o["repo"] = analysed(o["team"], o["git"])
    o["tmp"] = tmp_path
    return o


def url(o, tail=""):
    return f"/api/code/repositories/{o['repo'].pk}{tail}"


# (method, tail, body) of every action reserved to the team's lead or an administrator.
MANAGED = [
    ("delete", "", None),
    ("post", "/analyse", None),
    ("get", "/identities", None),
    ("post", "/identities/confirm", {"developer": "dan@laptop.example"}),
    ("post", "/identities/reject", {"developer": "dan@laptop.example"}),
    ("post", "/identities/assign", {"developer": "gone@old.example", "person_id": "dev"}),
    ("get", "/aliases", None),
    ("post", "/aliases", {"person_id": "dev", "handle": "dee@home.example"}),
]


def call(client, o, method, tail, body):
    if isinstance(body, dict) and body.get("person_id") == "dev":
        body = {**body, "person_id": o["dev"].pk}
    fn = getattr(client, method)
    return fn(url(o, tail), body, content_type=JSON) if body is not None else fn(url(o, tail))


def rows():
    return list(
        IdentityMatch.objects.order_by("email").values_list("email", "person_id", "confirmed", "rejected")
    )


def unchanged(o, before):
    repo = Repository.objects.get(pk=o["repo"].pk)
    assert repo.status == "done" and repo.report == o["repo"].report and not NameAlias.objects.exists()
    assert rows() == before


@pytest.mark.parametrize(("method", "tail", "body"), MANAGED)
@pytest.mark.parametrize(("who", "status"), [("dev", 403), ("boss", 403), ("lead2", 403), ("stranger", 404)])
def test_engineers_other_leads_and_strangers_cannot_act(client, o, method, tail, body, who, status):
    before = rows()
    response = call(login(client, o[who]), o, method, tail, body)
    assert response.status_code == status
    unchanged(o, before)


@pytest.mark.parametrize(("method", "tail", "body"), MANAGED)
def test_the_lead_can(client, o, method, tail, body, settings):
    settings.TASKS = IMMEDIATE
    response = call(login(client, o["lead"]), o, method, tail, body)
    assert response.status_code in (200, 201, 202, 204)


def test_register_and_delete_through_the_api(client, o, settings):
    settings.TASKS = IMMEDIATE
    c = login(client, o["lead"])
    body = {
        "team": "core",
        "name": "again",
        "path": str(o["git"].path),
        "ref": "main",
        "include": ["core/**"],
    }
    response = c.post("/api/code/repositories", body, content_type=JSON)
    assert response.status_code == 201
    data = response.json()
    assert (data["name"], data["ref"], data["include"], data["status"]) == (
        "again",
        "main",
        ["core/**"],
        "done",
    )
    assert data["truck_factor"] == 1  # only core/a.py and core/b.py, both Dee's
    assert c.delete(f"/api/code/repositories/{data['id']}").status_code == 204
    assert not Repository.objects.filter(name="again").exists()


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [({"path": "relative"}, 400, "absolute path"), ({"path": "/nonexistent/x"}, 400, "no such directory"),
     ({"ref": "nope"}, 400, "unknown ref 'nope'"), ({"name": "svc"}, 400, "already has a repository named"),
     ({"include": ["/abs"]}, 400, "globs match paths inside"), ({"team": "nosuchteam"}, 404, "not found"),
     ({"team": "edge"}, 403, "lead")],
)  # fmt: skip
def test_bad_registrations_through_the_api(client, o, change, status, message):
    body = {"team": "core", "name": "new", "path": str(o["git"].path), **change}
    response = login(client, o["lead"]).post("/api/code/repositories", body, content_type=JSON)
    assert response.status_code == status and message in response.json()["detail"]
    assert list(Repository.objects.values_list("name", flat=True)) == ["svc"]


@pytest.mark.parametrize("who", ["dev", "stranger"])
def test_only_leads_register_through_the_api(client, o, who):
    body = {"team": "core", "name": "new", "path": str(o["git"].path)}
    response = login(client, o[who]).post("/api/code/repositories", body, content_type=JSON)
    assert response.status_code == (403 if who == "dev" else 404)
    assert Repository.objects.count() == 1


def test_identity_decisions_through_the_api_change_the_figures(client, o):
    c = login(client, o["lead"])
    listed = c.get(url(o, "/identities")).json()
    dan = next(i for i in listed["identities"] if i["key"] == "dan@laptop.example")
    assert dan["how"] == "proposed" and dan["proposed"] == {"id": o["dev2"].pk, "name": "Dan Dev"}
    assert listed["bots"][0]["name"] == "dependabot[bot]" and listed["bots"][0]["commits"] == 1
    confirmed = c.post(url(o, "/identities/confirm"), {"developer": "dan@laptop.example"}, content_type=JSON)
    assert confirmed.status_code == 200 and confirmed.json()["pending"] == 0
    assert (
        c.get(url(o, "/modules")).json()["items"][-1]["authors"][0]["person_id"] == o["dev2"].pk
    )  # web: Dan
    assigned = c.post(url(o, "/identities/assign"), {"developer": "dee@home.example", "person_id": o["dev"].pk},
                      content_type=JSON)  # fmt: skip
    assert assigned.status_code == 200
    assert c.get(url(o)).json()["truck_factor"] == 1
    bad = c.post(url(o, "/identities/assign"), {"developer": "gone@old.example", "person_id": o["stranger"].pk},
                 content_type=JSON)  # fmt: skip
    assert bad.status_code == 400 and bad.json()["detail"] == "choose a person of the organisation"


def test_aliases_crud_through_the_api(client, o):
    c = login(client, o["lead"])
    added = c.post(url(o, "/aliases"), {"person_id": o["dev"].pk, "handle": "D. Dev"}, content_type=JSON)
    assert added.status_code == 201
    entry = added.json()["aliases"][0]
    assert entry["person"]["name"] == "Dee Dev" and entry["names"][0]["name"] == "D. Dev"
    assert c.get(url(o)).json()["truck_factor"] == 1
    name_id = entry["names"][0]["id"]
    assert c.delete(url(o, f"/aliases/name/{name_id}")).status_code == 204
    assert c.get(url(o, "/aliases")).json()["items"] == [] and c.get(url(o)).json()["truck_factor"] == 2
    assert c.delete(url(o, f"/aliases/name/{name_id}")).status_code == 400
    assert c.delete(url(o, "/aliases/shoe/1")).status_code == 400


def test_figures_for_anyone_in_the_organisation(client, o):
    c = login(client, o["other"])
    modules = {m["module"]: m for m in c.get(url(o, "/modules")).json()["items"]}
    assert set(modules) == {"core", "side", "tools", "web"} and modules["core"]["truck_factor"] == 1
    assert modules["tools"]["authors"][0] == {
        "name": "Gone Person",
        "person_id": None,
        "former": True,
        "files": 1,
    }
    languages = c.get(url(o, "/languages")).json()["items"]
    assert [(lang["language"], lang["files"]) for lang in languages] == [("Python", 6)]
    spof = c.get(url(o, "/single-points-of-failure")).json()
    assert {m["module"] for m in spof["modules"]} == {"core", "side", "tools", "web"}
    status = c.get(url(o, "/status")).json()
    assert status["status"] == "done" and status["commits_read"] == 5
    for tail in ("/modules", "/languages", "/single-points-of-failure", "/status", "", "/recency"):
        assert login(client, o["stranger"]).get(url(o, tail)).status_code == 404


def test_a_full_analysis_on_request(client, o, settings):
    settings.TASKS = IMMEDIATE
    response = login(client, o["lead"]).post(url(o, "/analyse?full=true"))
    assert response.status_code == 202 and response.json()["status"] == "done"
    assert Repository.objects.get(pk=o["repo"].pk).report["incremental"] is False
