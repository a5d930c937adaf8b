"""Registering and unregistering repositories from the page: who may, and bad input that saves nothing."""

from __future__ import annotations

import os
import subprocess
from html import unescape

import pytest

from pathcraft.code.models import Repository
from pathcraft.code.tests.gitfactory import RepoBuilder
from pathcraft.code.tests.scenarios import login, org_with_lead

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def o(tmp_path):
    o = org_with_lead()
    git = RepoBuilder(tmp_path / "repo")
    git.commit("Dee Dev <dee.dev@acme.test>", {"core/a.py": "a\n", "docs/guide.md": "# guide\n"})
    git.git("tag", "v1")
    o["git"] = git
    o["tmp"] = tmp_path
    return o


def form(o, **fields):
    data = {"team": o["team"].pk, "name": "svc", "path": str(o["git"].path), "ref": "", "include": "",
            "exclude": "", "analyse": ""}  # fmt: skip
    data.update(fields)
    return data


def error_of(response) -> str:
    return unescape(response.content.decode().split('id="register-error">')[1].split("</p>")[0])


def test_the_lead_registers_a_repository_and_its_analysis_runs(client, o, settings):
    settings.TASKS = IMMEDIATE
    c = login(client, o["lead"])
    page = c.get("/code/register/").content.decode()
    assert 'name="path"' in page and f'<option value="{o["team"].pk}" selected>Core</option>' in page
    response = c.post(
        "/code/register/", form(o, ref="v1", include="core/**\n", exclude="legacy/*", analyse="1")
    )
    repo = Repository.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/code/repositories/{repo.pk}/"
    assert (repo.ref, repo.include, repo.exclude, repo.created_by) == (
        "v1",
        ["core/**"],
        ["legacy/*"],
        o["lead"].user,
    )
    assert repo.status == Repository.Status.DONE and repo.report["files_analysed"] == 1
    assert repo.report["ref"] == "v1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "  "}, "a repository needs a name"),
        ({"path": ""}, "give the path of a git repository"),
        ({"path": "relative/repo"}, "give an absolute path on the server"),
        ({"path": "{tmp}/missing"}, "missing: no such directory"),
        ({"path": "{tmp}"}, "is not a git repository"),
        ({"path": "{repo}/core"}, "is not the top of a git repository"),
        ({"path": "{empty}"}, "has no commits yet"),
        ({"ref": "no-such-branch"}, "unknown ref 'no-such-branch'"),
        ({"ref": "--upload-pack=evil"}, "unknown ref"),
        ({"include": "/core/*"}, "globs match paths inside the repository"),
        ({"include": "web/**"}, "leave no file of HEAD to analyse"),
        ({"exclude": "*.py\n*.md"}, "leave no file"),
        ({"name": "existing"}, "team Core already has a repository named 'existing'"),
        ({"ref": "main", "name": "again"}, "at main is already registered as 'existing'"),
        ({"team": ""}, "choose a team"),
        ({"team": "999999"}, "choose one of your teams"),
    ],
)
def test_bad_registrations_get_one_line_and_save_nothing(client, o, change, message):
    empty = o["tmp"] / "empty"
    empty.mkdir()
    subprocess.run(["git", "init", "-q", str(empty)], check=True)
    Repository.objects.create(team=o["team"], name="existing", path=str(o["git"].path), ref="main")
    data = form(o, **change)
    data["path"] = data["path"].format(tmp=o["tmp"], repo=o["git"].path, empty=empty)
    response = login(client, o["lead"]).post("/code/register/", data)
    assert response.status_code == 400
    error = error_of(response)
    assert message in error and "\n" not in error and "Traceback" not in error
    assert list(Repository.objects.values_list("name", flat=True)) == ["existing"]
    page = response.content.decode()
    assert f'value="{data["name"]}"' in page or not data["name"].strip()  # what was typed is kept


def test_an_unreadable_path_is_refused(client, o, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if str(p) == str(o["git"].path) else real_access(p, mode)
    )
    response = login(client, o["lead"]).post("/code/register/", form(o))
    assert response.status_code == 400 and "the server may not read it (permission denied)" in error_of(
        response
    )
    assert not Repository.objects.exists()


def test_paths_outside_the_configured_roots_are_refused(client, o, settings, tmp_path):
    settings.CODE_REPOSITORY_ROOTS = [str(tmp_path / "allowed")]
    response = login(client, o["lead"]).post("/code/register/", form(o))
    assert response.status_code == 400 and "outside the folders this server reads" in error_of(response)
    settings.CODE_REPOSITORY_ROOTS = [str(tmp_path)]
    assert login(client, o["lead"]).post("/code/register/", form(o)).status_code == 302


@pytest.mark.parametrize("who", ["dev", "dev2", "boss", "other"])
def test_people_who_lead_no_team_cannot_register(client, o, who):
    c = login(client, o[who])
    assert c.get("/code/register/").status_code == 403
    assert c.post("/code/register/", form(o)).status_code == 403
    assert "Register a repository" not in c.get("/code/").content.decode()
    assert not Repository.objects.exists()


def test_the_lead_of_another_team_gets_403_and_a_stranger_cannot_reach_the_team(client, o):
    assert login(client, o["lead2"]).post("/code/register/", form(o)).status_code == 403
    assert login(client, o["stranger"]).post("/code/register/", form(o)).status_code == 403
    assert not Repository.objects.exists()


def test_an_admin_registers_for_any_team(client, o):
    c = login(client, "root")
    assert c.post("/code/register/", form(o, team=o["team2"].pk)).status_code == 302
    assert Repository.objects.get().team == o["team2"]


def test_a_shallow_clone_registers_with_a_warning(client, o):
    shallow = o["tmp"] / "shallow"
    o["git"].commit("Dee Dev <dee.dev@acme.test>", {"core/b.py": "b\n"})
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{o['git'].path}", str(shallow)], check=True
    )
    response = login(client, o["lead"]).post("/code/register/", form(o, path=str(shallow)), follow=True)
    assert "shallow clone" in response.content.decode() and Repository.objects.count() == 1


def test_unregistering_is_for_the_lead_and_admin_only(client, o):
    repo = Repository.objects.create(team=o["team"], name="svc", path=str(o["git"].path))
    url = f"/code/repositories/{repo.pk}/delete/"
    assert login(client, o["dev"]).post(url).status_code == 403
    assert login(client, o["lead2"]).post(url).status_code == 403
    assert login(client, o["stranger"]).post(url).status_code == 404
    assert Repository.objects.filter(pk=repo.pk).exists()
    c = login(client, o["lead"])
    assert "Unregister" in c.get(url).content.decode()
    response = c.post(url)
    assert response.status_code == 302 and not Repository.objects.filter(pk=repo.pk).exists()
    assert (o["git"].path / "core" / "a.py").exists()  # nothing on disk is touched
