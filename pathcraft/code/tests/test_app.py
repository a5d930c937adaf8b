"""The app side: analysis job, incremental re-analysis, identity matching, one-line errors, treemap."""

from __future__ import annotations

import pytest

from pathcraft.code import actions
from pathcraft.code.models import IdentityMatch, Repository
from pathcraft.code.tests.gitfactory import RepoBuilder
from pathcraft.code.treemap import layout, treemap_svg
from pathcraft.errors import InputError
from pathcraft.people.tests.factories import make_org, make_person, make_team

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_treemap_areas_follow_weights_and_fill_the_box():
    items = [("core", 10, 1), ("api", 6, 3), ("agent", 4, 1), ("web", 4, 2)]
    tiles = layout(items, 0, 0, 600, 300)
    assert {t.label for t in tiles} == {"core", "api", "agent", "web"}
    total = sum(t.w * t.h for t in tiles)
    assert total == pytest.approx(600 * 300)
    for tile in tiles:
        assert tile.w * tile.h == pytest.approx(600 * 300 * tile.weight / 24)
    svg = treemap_svg(items, title="Modules <by> TF")
    assert 'role="img"' in svg and "Modules &lt;by&gt; TF" in svg
    assert 'data-module="core" data-truck-factor="1"' in svg and "#c0392b" in svg


@pytest.fixture
def setup(tmp_path, db):
    org = make_org()
    team = make_team(org)
    alice = make_person(org, "Alice Core", team=team, email="alice@acme.test")
    bob = make_person(org, "Bob Helper", team=team, email="bob@acme.test")
    git = RepoBuilder(tmp_path / "repo")
    git.commit("Alice Core <alice@acme.test>", {"core/a.py": "a\n", "core/b.py": "b\n"})
    git.commit("Old Timer <old@gone.example>", {"tools/x.py": "x\n"})
    git.commit("Bob Helper <bob@acme.test>", {"core/a.py": "a\nb\n"})
    repo = actions.register_repository(team, "repo", str(git.path))
    return {"org": org, "team": team, "alice": alice, "bob": bob, "git": git, "repo": repo}


def test_analysis_saves_report_state_and_matches_people_by_email(setup):
    repo = actions.run_analysis(setup["repo"].pk)
    assert repo.status == Repository.Status.DONE and repo.error == ""
    assert repo.report["files_analysed"] == 3 and repo.progress == 3
    assert repo.last_commit == setup["git"].git("rev-parse", "HEAD").strip()
    matched = {m.email: (m.person, m.confirmed) for m in IdentityMatch.objects.all()}
    assert matched == {"alice@acme.test": (setup["alice"], True), "bob@acme.test": (setup["bob"], True)}


def test_reanalysis_reads_only_new_commits(setup):
    actions.run_analysis(setup["repo"].pk)
    setup["git"].commit("Bob Helper <bob@acme.test>", {"core/c.py": "c\n"})
    repo = actions.run_analysis(setup["repo"].pk)
    assert repo.report["incremental"] is True
    assert repo.report["commits_analysed"] == 4 and repo.report["files_analysed"] == 4
    repo = actions.run_analysis(setup["repo"].pk, full=True)
    assert repo.report["incremental"] is False and repo.report["files_analysed"] == 4


def test_a_broken_repository_stores_one_line_and_no_traceback(setup, tmp_path):
    repo = setup["repo"]
    Repository.objects.filter(pk=repo.pk).update(path=str(tmp_path / "missing"))
    repo = actions.run_analysis(repo.pk)
    assert repo.status == Repository.Status.FAILED
    assert repo.error.endswith("missing: no such directory")
    assert "\n" not in repo.error and "Traceback" not in repo.error


def test_registering_a_path_that_is_not_a_repository_is_refused(setup, tmp_path):
    with pytest.raises(InputError):
        actions.register_repository(setup["team"], "nope", str(tmp_path))
    with pytest.raises(InputError, match="already has a repository"):
        actions.register_repository(setup["team"], "repo", str(setup["git"].path))


def test_the_background_job_runs_the_analysis(setup, settings):
    settings.TASKS = IMMEDIATE
    repo = actions.enqueue_analysis(setup["repo"])
    assert repo.status == Repository.Status.DONE and repo.report["truck_factor"] >= 1


def test_confirmed_alias_merges_a_second_email(setup):
    IdentityMatch.objects.create(organisation=setup["org"], email="alice.home@mail.example", person=setup["alice"],
                                 method=IdentityMatch.Method.MANUAL, confirmed=True)  # fmt: skip
    setup["git"].commit("A. Core <alice.home@mail.example>", {"core/b.py": "b\nc\n"})
    repo = actions.run_analysis(setup["repo"].pk)
    alice = [d for d in repo.report["developers"] if "alice@acme.test" in d["emails"]]
    assert len(alice) == 1 and "alice.home@mail.example" in alice[0]["emails"]
