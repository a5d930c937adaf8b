"""Pages and API of the knowledge map, and who may see what (peers, manager, stranger, anonymous)."""

from __future__ import annotations

import pytest

from pathcraft.code import actions
from pathcraft.code.tests.gitfactory import RepoBuilder
from pathcraft.people.tests.factories import PASSWORD, small_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(tmp_path):
    o = small_org()  # boss -> lead -> dev, dev2; lead2 -> other; stranger elsewhere
    git = RepoBuilder(tmp_path / "repo")
    dev, dev2 = o["dev"].email, o["dev2"].email
    git.commit(f"Dee Dev <{dev}>", {"core/a.py": "a\n", "core/b.py": "b\n"})
    git.commit(f"Dan Dev <{dev2}>", {"web/x.py": "x\n", "web/y.py": "y\n"})
    git.commit(f"Dan Dev <{dev2}>", {"core/a.py": "a\n1\n"})
    git.commit(f"Dee Dev <{dev}>", {"core/c.py": "c\n"})
    git.touch(f"Dee Dev <{dev}>", "core/c.py", 3)
    git.touch(f"Dan Dev <{dev2}>", "core/c.py", 1)  # DOA 3.01 against Dee's 4.66: not an author, a successor
    git.commit("Gone Person <gone@old.example>", {"tools/t.py": "t\n"})
    repo = actions.register_repository(o["team"], "svc", str(git.path))
    o["repo"] = actions.run_analysis(repo.pk)
    return o


def client_for(client, person):
    client.login(username=person.email, password=PASSWORD)
    return client


def test_a_peer_sees_the_knowledge_map_but_not_per_person_commit_times(client, org):
    page = client_for(client, org["other"]).get(f"/code/repositories/{org['repo'].pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="truck-factor"' in html and "Single points of failure" in html and "<svg" in html
    assert "Gone Person" in html and "former contributor" in html
    assert 'id="activity"' not in html  # night/weekend per person: self and direct manager only


def test_the_manager_sees_their_reports_commit_times(client, org):
    html = client_for(client, org["lead"]).get(f"/code/repositories/{org['repo'].pk}/").content.decode()
    assert 'id="activity"' in html and "Dee Dev" in html.split('id="activity"')[1]


@pytest.mark.parametrize(
    ("viewer", "subject", "status"),
    [("dev", "dev", 200), ("lead", "dev", 200), ("other", "dev", 403), ("dev2", "dev", 403),
     ("boss", "dev", 403), ("stranger", "dev", 404)],
)  # fmt: skip
def test_per_person_timing_api_follows_the_policy(client, org, viewer, subject, status):
    url = f"/api/code/repositories/{org['repo'].pk}/people/{org[subject].pk}/timing"
    response = client_for(client, org[viewer]).get(url)
    assert response.status_code == status
    if status == 200:
        assert response.json()["timing"]["commits"] == 5  # Dee: core/a+b, core/c, three touches


def test_a_stranger_gets_404_for_page_api_and_leave(client, org):
    c = client_for(client, org["stranger"])
    pk = org["repo"].pk
    assert c.get(f"/code/repositories/{pk}/").status_code == 404
    assert c.get(f"/api/code/repositories/{pk}").status_code == 404
    assert c.post(f"/code/repositories/{pk}/leave/", {"person": org["dev"].pk}).status_code == 404
    assert c.get("/api/code/repositories").json()["items"] == []


def test_anonymous_is_sent_to_login(client, org):
    assert client.get(f"/code/repositories/{org['repo'].pk}/").status_code == 302


def test_leave_simulation_page_lists_orphans_and_successors(client, org):
    c = client_for(client, org["other"])
    html = c.post(f"/code/repositories/{org['repo'].pk}/leave/", {"person": [org["dev"].pk]},
                  HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    assert 'id="orphaned"' in html and "core/b.py" in html
    assert "core/a.py" not in html  # Dan's change made him a co-author (DOA ratio 0.83)
    row = next(r for r in html.split("<tr>") if "core/c.py" in r)
    assert "Dan Dev" in row and "DOA 3.01" in row  # the best placed to take it over


def test_leave_with_nobody_or_a_non_contributor_gives_a_clear_message(client, org):
    c = client_for(client, org["other"])
    url = f"/code/repositories/{org['repo'].pk}/leave/"
    assert "choose at least one person" in c.post(url, {}, HTTP_HX_REQUEST="true").content.decode()
    html = c.post(url, {"person": org["boss"].pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "has no commits in this repository" in html


def test_api_lists_summarises_and_simulates(client, org):
    c = client_for(client, org["dev2"])
    listed = c.get("/api/code/repositories").json()["items"]
    assert [r["name"] for r in listed] == ["svc"]
    summary = c.get(f"/api/code/repositories/{org['repo'].pk}").json()
    assert summary["files_analysed"] == 6 and "tools" in summary["single_points_of_failure"]["modules"]
    leave = c.post(f"/api/code/repositories/{org['repo'].pk}/leave", {"people": [org["dev2"].pk]},
                   content_type="application/json").json()  # fmt: skip
    assert {f["path"] for f in leave["orphaned_files"]} == {"web/x.py", "web/y.py"}
    bad = c.post(
        f"/api/code/repositories/{org['repo'].pk}/leave", {"people": []}, content_type="application/json"
    )
    assert bad.status_code == 400 and "choose at least one person" in bad.content.decode()


def test_only_the_team_lead_can_queue_an_analysis(client, org, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    org["team"].lead = org["lead"]
    org["team"].save()
    url = f"/code/repositories/{org['repo'].pk}/analyse/"
    assert client_for(client, org["other"]).post(url).status_code == 403
    client.logout()
    assert client_for(client, org["lead"]).post(url).status_code == 302
