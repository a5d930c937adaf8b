"""`pathcraft code repos/register/refresh/knows` against the database, as a user runs them."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from pathcraft.code import actions
from pathcraft.code.cli import code
from pathcraft.code.models import Repository
from pathcraft.code.tests.gitfactory import RepoBuilder
from pathcraft.errors import InputError, PathcraftError
from pathcraft.people.tests.factories import make_org, make_person, make_team

ALICE = "Alice Core <alice@acme.test>"
BOB = "Bob Web <bob@acme.test>"
ROW_KEYS = {"id", "name", "team", "team_name", "path", "ref", "include", "exclude", "status", "error", "last_commit",
            "analysed_at", "commits_analysed", "files_analysed", "truck_factor", "partial", "job"}  # fmt: skip


@pytest.fixture
def org(db, tmp_path):
    org = make_org()
    team = make_team(org, "platform", "Platform")
    alice = make_person(org, "Alice Core", team=team, email="alice@acme.test")
    bob = make_person(org, "Bob Web", team=team, email="bob@acme.test")
    git = RepoBuilder(tmp_path / "platform-core")
    git.commit(ALICE, {"core/a.py": "a = 1\n", "core/b.py": "b = 1\n"})
    git.commit(BOB, {"web/app.js": "var a = 1;\n"})
    # Alice's one change: DOA 3.457 against Bob's 4.168, normalised 0.83: both know web/app.js.
    git.commit(ALICE, {"web/app.js": "var a = 2;\n"})
    return {"org": org, "team": team, "alice": alice, "bob": bob, "git": git}


def run(*args: str):
    return CliRunner().invoke(code, list(args))


def ok(*args: str):
    result = run(*args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def registered(org) -> Repository:
    return actions.register_repository(org["team"], "platform-core", str(org["git"].path))


@pytest.mark.parametrize("command", ["repos", "register", "refresh", "knows"])
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output and "--json" in result.output


def test_register_stores_an_absolute_path_and_names_it_after_the_folder(org, monkeypatch):
    monkeypatch.chdir(org["git"].path.parent)
    data = json.loads(ok("register", "--team", "platform", "platform-core", "--json").output)
    assert set(data) == ROW_KEYS
    assert (data["name"], data["team"], data["ref"], data["status"]) == (
        "platform-core",
        "platform",
        "HEAD",
        "new",
    )
    repo = Repository.objects.get()
    assert repo.path == str(org["git"].path.resolve()) and repo.team == org["team"]
    human = ok("register", "--team", "Platform", str(org["git"].path), "--name", "second", "--ref", "main")
    assert (
        "Registered second for Platform" in human.output and "pathcraft code refresh second" in human.output
    )
    assert Repository.objects.get(name="second").ref == "main"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--team", "nope", "{repo}"], "no team 'nope' (teams: platform)"),
        (["--team", "platform", "{empty}"], "is not a git repository"),
        (["--team", "platform", "{missing}"], "no such directory"),
        (["--team", "platform", "{repo}", "--ref", "no-such-branch"], "unknown ref 'no-such-branch'"),
        (["--team", "other-org/platform", "{repo}"], "no team 'other-org/platform'"),
    ],
)
def test_register_refuses_bad_input_and_saves_nothing(org, tmp_path, args, message):
    (tmp_path / "empty").mkdir()
    paths = {
        "repo": str(org["git"].path),
        "empty": str(tmp_path / "empty"),
        "missing": str(tmp_path / "gone"),
    }
    result = run("register", *[a.format(**paths) for a in args])
    assert result.exit_code != 0 and isinstance(result.exception, InputError)
    assert message in str(result.exception) and "\n" not in str(result.exception)
    assert Repository.objects.count() == 0


def test_register_twice_under_one_name_is_refused(org):
    ok("register", "--team", "platform", str(org["git"].path))
    again = run("register", "--team", "platform", str(org["git"].path))
    assert "already has a repository named 'platform-core'" in str(again.exception)
    assert Repository.objects.count() == 1


def test_a_team_name_in_two_organisations_needs_the_organisation(org):
    make_team(make_org("globex"), "platform", "Platform")
    result = run("register", "--team", "platform", str(org["git"].path))
    assert "exists in several organisations; say which: acme/platform, globex/platform" in str(
        result.exception
    )
    ok("register", "--team", "globex/platform", str(org["git"].path))
    assert Repository.objects.get().team.organisation.slug == "globex"


def test_file_patterns_are_stored_and_used(org):
    data = json.loads(
        ok("register", "--team", "platform", str(org["git"].path), "--exclude", "web/*", "--json").output
    )
    assert (data["include"], data["exclude"]) == ([], ["web/*"])
    after = json.loads(ok("refresh", "platform-core", "--json").output)[0]
    assert after["files_analysed"] == 2  # web/app.js left out
    nothing = run(
        "register", "--team", "platform", str(org["git"].path), "--name", "x", "--include", "docs/*"
    )
    assert "leave no file" in str(nothing.exception) and Repository.objects.count() == 1


def test_repos_lists_status_commit_and_truck_factor(org):
    assert "No repository is registered yet" in ok("repos").output
    repo = registered(org)
    before = json.loads(ok("repos", "--json").output)
    assert [(r["name"], r["status"], r["truck_factor"], r["last_commit"]) for r in before] == [
        ("platform-core", "new", None, None)
    ]
    actions.run_analysis(repo.pk)
    rows = json.loads(ok("repos", "--json").output)
    head = org["git"].git("rev-parse", "HEAD").strip()
    assert (rows[0]["status"], rows[0]["truck_factor"], rows[0]["last_commit"]) == ("done", 1, head)
    assert rows[0]["analysed_at"] and rows[0]["files_analysed"] == 3 and rows[0]["commits_analysed"] == 3
    human = ok("repos").output
    assert "platform-core" in human and head[:10] in human and "done" in human
    assert json.loads(ok("repos", "--team", "platform", "--json").output)[0]["id"] == repo.pk
    assert "no team 'mobile'" in str(run("repos", "--team", "mobile").exception)


def test_refresh_reads_only_new_commits(org):
    registered(org)
    first = json.loads(ok("refresh", "platform-core", "--json").output)[0]
    assert (first["status"], first["incremental"], first["commits_read"], first["truck_factor"]) == (
        "done",
        False,
        3,
        1,
    )
    org["git"].commit(BOB, {"web/table.js": "var t = 1;\n"})
    human = ok("refresh", "platform-core").output
    assert "analysed 1 new commit(s)" in human and "4 files, truck factor" in human
    full = json.loads(ok("refresh", "--all", "--full", "--json").output)[0]
    assert (full["incremental"], full["commits_read"], full["commits_analysed"]) == (False, 4, 4)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "say which repository: REPO_NAME, or --all"),
        (["platform-core", "--all"], "give a repository name or --all, not both"),
        (["nope"], "no registered repository named 'nope' (registered: platform-core)"),
        (["platform-core", "--team", "nope"], "no team 'nope'"),
    ],
)
def test_refresh_bad_input(org, args, message):
    repo = registered(org)
    result = run("refresh", *args)
    assert isinstance(result.exception, InputError) and message in str(result.exception)
    repo.refresh_from_db()
    assert repo.status == Repository.Status.NEW  # nothing ran, nothing queued


def test_refresh_all_with_nothing_registered(db):
    assert "no repository is registered yet" in str(run("refresh", "--all").exception)


def test_a_failed_analysis_is_one_line_and_the_others_still_run(org, tmp_path):
    good = registered(org)
    broken_git = RepoBuilder(tmp_path / "broken")
    broken_git.commit(ALICE, {"x.py": "x\n"})
    broken = actions.register_repository(org["team"], "broken", str(broken_git.path))
    shutil.rmtree(broken_git.path)
    result = run("refresh", "--all")
    assert isinstance(result.exception, PathcraftError)
    assert str(result.exception) == f"1 of 2 analyses failed (broken: {broken_git.path}: no such directory)"
    assert "platform-core (platform): analysed 3 commits" in result.output
    good.refresh_from_db()
    broken.refresh_from_db()
    assert (good.status, broken.status) == ("done", "failed")


def test_the_same_name_in_two_teams_needs_a_team(org):
    registered(org)
    mobile = make_team(org["org"], "mobile", "Mobile")
    actions.register_repository(mobile, "platform-core", str(org["git"].path))
    result = run("refresh", "platform-core")
    assert "several teams have a repository named 'platform-core' (mobile, platform); add --team" in str(
        result.exception
    )
    rows = json.loads(ok("refresh", "platform-core", "--team", "mobile", "--json").output)
    assert [(r["team"], r["status"]) for r in rows] == [("mobile", "done")]
    assert Repository.objects.get(team__slug="platform").status == "new"


def test_queue_hands_the_analysis_to_the_worker(org):
    from django_tasks_db.models import DBTaskResult

    repo = registered(org)
    out = ok("refresh", "platform-core", "--queue").output
    assert "platform-core (platform): queued" in out
    repo.refresh_from_db()
    assert repo.status == Repository.Status.QUEUED and repo.report is None
    rows = json.loads(ok("refresh", "--all", "--queue", "--json").output)  # already waiting: queued once
    assert [r["status"] for r in rows] == ["queued"] and DBTaskResult.objects.count() == 1


def test_knows_lists_what_a_person_authors_and_what_only_they_know(org):
    actions.run_analysis(registered(org).pk)
    data = json.loads(ok("knows", "--person", "ALICE@acme.test", "--json").output)
    assert data["person"] == {"name": "Alice Core", "email": "alice@acme.test"}
    assert (data["files_authored"], data["files_only_author"]) == (3, 2)
    repo = data["repositories"][0]
    assert (repo["repository"], repo["team"], repo["commits"]) == ("platform-core", "platform", 2)
    assert repo["only_author"] == ["core/a.py", "core/b.py"]
    web = next(f for f in repo["files"] if f["path"] == "web/app.js")
    assert (web["co_authors"], web["only_author"], web["created"], web["doa"]) == (1, False, False, 3.457)
    modules = {m["module"]: m for m in repo["modules"]}
    assert modules["core"]["only_author"] is True and modules["web"]["only_author"] is False
    assert data["timing"]["commits"] == 2  # her own view: when she commits is hers to see
    human = ok("knows", "--person", "alice@acme.test").output
    assert (
        "only Alice Core knows: core/a.py, core/b.py" in human
        and "single point of failure: module core" in human
    )
    bob = json.loads(ok("knows", "--person", "bob@acme.test", "--json").output)
    assert bob["files_only_author"] == 0 and [f["path"] for f in bob["repositories"][0]["files"]] == [
        "web/app.js"
    ]


def test_knows_without_commits_and_for_unknown_people(org):
    actions.run_analysis(registered(org).pk)
    carol = make_person(org["org"], "Carol New", team=org["team"])
    assert (
        "Carol New has no commits in any analysed repository." in ok("knows", "--person", carol.email).output
    )
    assert json.loads(ok("knows", "--person", carol.email, "--json").output)["repositories"] == []
    unknown = run("knows", "--person", "nobody@acme.test")
    assert isinstance(unknown.exception, InputError)
    assert str(unknown.exception) == "no person with the email nobody@acme.test"


def test_knows_asks_the_permission_core_for_another_viewer(org):
    actions.run_analysis(registered(org).pk)
    peer = json.loads(ok("knows", "--person", "alice@acme.test", "--as", "bob@acme.test", "--json").output)
    assert peer["files_only_author"] == 2  # a teammate may see what she knows,
    assert peer["timing"] is None  # but not when she commits (self and direct manager only)
    stranger = make_person(make_org("globex"), "Sta Stranger", email="sta@globex.test")
    refused = run("knows", "--person", "alice@acme.test", "--as", stranger.email, "--json")
    assert str(refused.exception) == "sta@globex.test may not see what alice@acme.test knows in the code"
    assert refused.output == ""
    no_account = make_person(org["org"], "No Login", account=False)
    assert "may not see" in str(
        run("knows", "--person", "alice@acme.test", "--as", no_account.email).exception
    )


def test_other_organisations_repositories_are_not_counted(org, tmp_path):
    """Alice's email in another organisation's repository says nothing about what she knows here."""
    elsewhere = make_team(make_org("globex"), "web", "Web")
    git = RepoBuilder(tmp_path / "theirs")
    git.commit(ALICE, {"lib/only.py": "x\n"})
    actions.run_analysis(actions.register_repository(elsewhere, "theirs", str(git.path)).pk)
    data = json.loads(ok("knows", "--person", "alice@acme.test", "--json").output)
    assert data["repositories"] == []


def test_root_cli_prints_one_line_errors(org, capsys):
    from pathcraft.cli.main import main

    with pytest.raises(SystemExit) as exit_:
        main(["code", "register", "--team", "nope", str(org["git"].path)])
    assert exit_.value.code == 2
    assert capsys.readouterr().err == "error: no team 'nope' (teams: platform)\n"


def test_a_shallow_clone_registers_with_a_note_on_stderr(org, tmp_path):
    org["git"].commit(BOB, {"web/more.js": "var m = 1;\n"})
    shallow = tmp_path / "shallow"
    org["git"].git("clone", "-q", "--depth", "1", f"file://{org['git'].path}", str(shallow))
    result = ok("register", "--team", "platform", str(shallow))
    assert "Registered shallow for Platform" in result.stdout
    assert "note: shallow clone" in result.stderr and "partial" in result.stderr
