"""Incremental re-analysis equals a full run: only the files the new commits change are computed again, and any change
to how identities are merged (a new identity joining two known ones, .mailmap, aliases) or to the method recomputes
everything. Also: older state layouts, rewritten history, time decay, a damaged cache and (with fetched mirrors) git."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathcraft.code import knowledge as knowledge_module
from pathcraft.code.analysis import AnalysisOptions, analyze_repository
from pathcraft.code.cli import code
from pathcraft.code.history import STATE_VERSION, HistoryState
from pathcraft.code.report import analysis_to_dict
from pathcraft.code.tests.gitfactory import BASE_TIME, RepoBuilder
from pathcraft.errors import InputError
from pathcraft.testing.mirrors import find_mirror, where_looked

ALICE = "Alice Smith <alice@work.example>"
BOB = "Bob <bob@example.com>"
CAROL = "Carol <carol@example.com>"
NOW = BASE_TIME + 400 * 86400


def comparable(data: dict) -> dict:
    """The result without what legitimately differs between two runs (run time and run mode)."""
    return {k: v for k, v in data.items() if k not in {"seconds", "incremental"}}


@pytest.fixture
def computed(monkeypatch) -> list[str]:
    """The paths whose authorship was computed from the history (not read from the cache), in order."""
    paths: list[str] = []
    original = knowledge_module._entry

    def counting(state, path, *args):
        paths.append(path)
        return original(state, path, *args)

    monkeypatch.setattr(knowledge_module, "_entry", counting)
    return paths


def saved(state: HistoryState) -> HistoryState:
    """STATE as the next run reads it: through JSON, as the CLI and the database store it."""
    return HistoryState.from_dict(json.loads(json.dumps(state.to_dict())))


def run(path: Path, state: HistoryState | None = None, **options):
    return analyze_repository(str(path), AnalysisOptions(reference_time=NOW, **options), state=state)


def assert_same_as_full(path: Path, incremental, **options) -> dict:
    full = run(path, **options)
    assert full.incremental is False
    assert comparable(analysis_to_dict(incremental)) == comparable(analysis_to_dict(full))
    assert incremental.state.canonical() == full.state.canonical()
    # Every contributor's authorship (read on demand, e.g. for successors) agrees as well.
    for mine, theirs in zip(incremental.knowledge.files, full.knowledge.files, strict=True):
        assert mine.authorships == theirs.authorships
    return analysis_to_dict(full)


def base_history(repo: RepoBuilder) -> None:
    repo.commit(ALICE, {"core/a.py": "a = 1\n", "core/b.py": "b = 1\n", "web/app.js": "var a;\n"})
    repo.commit(BOB, {"core/c.py": "c = 1\n", "tools/run.go": "package main\n"})
    repo.touch(BOB, "core/a.py", 3)
    repo.touch(CAROL, "web/app.js", 2)
    repo.commit(CAROL, {"core/d.py": "d = 1\n"})
    repo.commit(ALICE, renames={"core/d.py": "core/e.py"})


def test_new_commits_recompute_only_the_files_they_touch(tmp_path, computed):
    repo = RepoBuilder(tmp_path)
    base_history(repo)
    first = run(tmp_path)
    assert len(computed) == 6  # a full run computes every kept file
    computed.clear()
    repo.touch(CAROL, "core/b.py", 2)
    repo.commit(
        "Aaron <aaron@example.com>", {"core/new.py": "n = 1\n"}
    )  # a developer sorting first: indices move
    again = run(tmp_path, saved(first.state))
    assert again.incremental is True
    assert sorted(computed) == ["core/b.py", "core/new.py"]
    data = assert_same_as_full(tmp_path, again)
    assert data["developers"][0]["key"] == "aaron@example.com"
    # A run with nothing new computes nothing and still gives the same answer.
    computed.clear()
    same = run(tmp_path, saved(again.state))
    assert computed == []
    assert comparable(analysis_to_dict(same)) == comparable(data)


def test_a_rename_in_the_new_commits_is_followed_back(tmp_path, computed):
    repo = RepoBuilder(tmp_path)
    base_history(repo)
    repo.commit(ALICE, {"old/x.py": "x = 1\n" * 30})
    repo.touch(CAROL, "old/x.py", 4)
    first = run(tmp_path)
    computed.clear()
    repo.commit(BOB, renames={"old/x.py": "new/x.py"})
    again = run(tmp_path, saved(first.state))
    assert again.incremental is True
    assert "new/x.py" in computed
    data = assert_same_as_full(tmp_path, again)
    moved = next(f for f in data["files"] if f["path"] == "new/x.py")
    assert {a["key"] for a in moved["authors"]} >= {"alice@work.example"}  # the creator is followed through


def test_an_old_path_changed_again_updates_the_file_it_was_renamed_to(tmp_path, computed):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"a.py": "a = 1\n" * 20})
    repo.commit(BOB, renames={"a.py": "b.py"})
    repo.commit(CAROL, {"c.py": "c = 1\n"})
    first = run(tmp_path)
    computed.clear()
    # a.py comes back and is changed: its records are part of b.py's history (the reference tool's rule).
    repo.commit(CAROL, {"a.py": "again = 1\n"})
    repo.touch(CAROL, "a.py", 12)
    again = run(tmp_path, saved(first.state))
    assert "b.py" in computed and "c.py" not in computed
    data = assert_same_as_full(tmp_path, again)
    b = next(f for f in data["files"] if f["path"] == "b.py")
    assert [a["key"] for a in b["authors"]] == ["carol@example.com"]


def test_a_new_email_under_a_known_name_joins_that_developer(tmp_path, computed):
    repo = RepoBuilder(tmp_path)
    base_history(repo)
    first = run(tmp_path)
    computed.clear()
    # Alice under a new email, with more commits than before: she becomes that email's developer everywhere,
    # including on old files nobody touched (their cached authors now point at her new key).
    for n in range(6):
        repo.commit("alice smith <alice@home.example>", {f"home/h{n}.py": f"h = {n}\n"})
    again = run(tmp_path, saved(first.state))
    assert all(path.startswith("home/") for path in computed)  # the old files came from the cache
    data = assert_same_as_full(tmp_path, again)
    alice = next(d for d in data["developers"] if "alice@work.example" in d["emails"])
    assert alice["key"] == "alice@home.example"
    b = next(f for f in data["files"] if f["path"] == "core/b.py")
    assert [a["key"] for a in b["authors"]] == ["alice@home.example"]


def test_a_new_identity_that_joins_two_known_developers_recomputes_everything(tmp_path, computed):
    repo = RepoBuilder(tmp_path)
    repo.commit("Robert <bob@work.example>", {"a.py": "a = 1\n", "b.py": "b = 1\n"})
    repo.commit("Bobby <bob@home.example>", {"c.py": "c = 1\n"})
    repo.touch("Bobby <bob@home.example>", "a.py", 15)
    repo.commit(CAROL, {"d.py": "d = 1\n"})
    first = run(tmp_path)
    assert len(first.knowledge.developers) == 3
    computed.clear()
    # Same email as Robert, same name as Bobby: the two known developers are now one person.
    repo.commit("Bobby <bob@work.example>", {"e.py": "e = 1\n"})
    again = run(tmp_path, saved(first.state))
    assert again.incremental is True
    assert sorted(computed) == ["a.py", "b.py", "c.py", "d.py", "e.py"]
    data = assert_same_as_full(tmp_path, again)
    assert len(data["developers"]) == 2
    a = next(f for f in data["files"] if f["path"] == "a.py")
    assert len(a["authors"]) == 1 and a["authors"][0]["changes_by_others"] == 0


def test_ties_between_authors_are_ordered_as_in_a_full_run_when_keys_change(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit("Zed <zed@example.com>", {"t.py": "t = 1\n"})
    repo.commit("Zed <zed@example.com>", {"t.py": None})
    repo.commit("Max Person <max@example.com>", {"t.py": "t = 2\n"})  # both created it: equal DOA
    first = run(tmp_path)
    authors = [a["key"] for a in analysis_to_dict(first)["files"][0]["authors"]]
    assert authors == ["max@example.com", "zed@example.com"]
    for n in range(3):  # Max's new email, with more commits, becomes his key and sorts after Zed's
        repo.commit("Max Person <zz-max@example.com>", {f"m{n}.py": "m = 1\n"})
    again = run(tmp_path, saved(first.state))
    data = assert_same_as_full(tmp_path, again)
    t = next(f for f in data["files"] if f["path"] == "t.py")
    assert [a["key"] for a in t["authors"]] == ["zed@example.com", "zz-max@example.com"]


@pytest.mark.parametrize(
    ("mailmap", "everything"),
    [
        # Two known developers become one: the cache cannot be trusted.
        ("Alice Smith <alice@work.example> <bob@example.com>\n", True),
        # Only a display name changes: nobody is merged, the cache is reused and the new name shown.
        ("Caroline <carol@example.com>\n", False),
    ],
)
def test_a_mailmap_change_between_runs(tmp_path, computed, mailmap, everything):
    repo = RepoBuilder(tmp_path)
    base_history(repo)
    first = run(tmp_path)
    computed.clear()
    repo.commit(CAROL, {".mailmap": mailmap})
    again = run(tmp_path, saved(first.state))
    assert again.incremental is True
    assert (len(computed) == 6) is everything
    data = assert_same_as_full(tmp_path, again)
    if not everything:
        assert "Caroline" in [d["name"] for d in data["developers"]]


def test_aliases_and_bot_patterns_changed_between_runs(tmp_path, computed):
    repo = RepoBuilder(tmp_path)
    base_history(repo)
    first = run(tmp_path)
    computed.clear()
    merged = run(tmp_path, saved(first.state), aliases={"Team A": ["alice@work.example", "bob@example.com"]})
    assert len(computed) == 6
    assert_same_as_full(tmp_path, merged, aliases={"Team A": ["alice@work.example", "bob@example.com"]})
    computed.clear()
    botted = run(tmp_path, saved(merged.state), extra_bots=("carol",))
    assert len(computed) == 6
    assert_same_as_full(tmp_path, botted, extra_bots=("carol",))


def test_the_method_changing_recomputes_everything(tmp_path, computed):
    repo = RepoBuilder(tmp_path)
    base_history(repo)
    first = run(tmp_path)
    computed.clear()
    paper = run(tmp_path, saved(first.state), author_rule="paper")
    assert len(computed) == 6
    assert_same_as_full(tmp_path, paper, author_rule="paper")


def test_time_decay_is_computed_in_full_and_the_next_run_is_still_right(tmp_path, computed):
    repo = RepoBuilder(tmp_path)
    base_history(repo)
    first = run(tmp_path)
    repo.touch(ALICE, "core/c.py", 2)
    decayed = run(tmp_path, saved(first.state), decay=True)
    assert_same_as_full(tmp_path, decayed, decay=True)
    computed.clear()
    repo.touch(CAROL, "core/a.py", 1)
    plain = run(tmp_path, saved(decayed.state))
    assert len(computed) == 6  # the decayed run kept no cache
    assert_same_as_full(tmp_path, plain)


def test_a_state_of_an_older_version_means_a_clean_full_run(tmp_path):
    repo = RepoBuilder(tmp_path)
    base_history(repo)
    old = {"version": STATE_VERSION - 1, "head": "0" * 40, "commits": 3, "identities": [], "paths": {}}
    state = HistoryState.from_dict(old)
    assert state.head is None and state.commits == 0
    again = run(tmp_path, state)
    assert again.incremental is False
    assert_same_as_full(tmp_path, again)
    with pytest.raises(InputError, match="unknown format"):
        HistoryState.from_dict({"version": STATE_VERSION + 1})


def test_the_cli_turns_an_old_state_file_into_a_new_one(tmp_path):
    repo = RepoBuilder(tmp_path / "repo")
    base_history(repo)
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps({"version": 1, "head": None, "commits": 0, "paths": {}}))
    result = CliRunner().invoke(
        code, ["analyze", str(tmp_path / "repo"), "--state", str(state_file), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["incremental"] is False
    assert json.loads(state_file.read_text())["version"] == STATE_VERSION
    repo.touch(BOB, "core/c.py", 1)
    result = CliRunner().invoke(
        code, ["analyze", str(tmp_path / "repo"), "--state", str(state_file), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["incremental"] is True


def test_rewritten_history_means_a_full_run(tmp_path):
    repo = RepoBuilder(tmp_path)
    base_history(repo)
    repo.touch(CAROL, "core/c.py", 2)
    first = run(tmp_path)
    repo.git("reset", "-q", "--hard", "HEAD~2")  # the analysed head is gone from the branch
    repo.touch(ALICE, "core/c.py", 1)
    again = run(tmp_path, saved(first.state))
    assert again.incremental is False
    data = assert_same_as_full(tmp_path, again)
    c = next(f for f in data["files"] if f["path"] == "core/c.py")
    assert c["contributors"] == 2  # Bob and Alice: Carol's dropped commits are gone


def test_a_damaged_cache_entry_is_computed_again(tmp_path, computed):
    repo = RepoBuilder(tmp_path)
    base_history(repo)
    first = run(tmp_path)
    data = first.state.to_dict()
    data["knowledge_cache"]["files"]["core/a.py"] = "garbage;x"
    data["knowledge_cache"]["files"]["core/b.py"] = 7
    computed.clear()
    again = run(tmp_path, HistoryState.from_dict(json.loads(json.dumps(data))))
    assert sorted(computed) == ["core/a.py", "core/b.py"]
    assert_same_as_full(tmp_path, again)


@pytest.mark.parametrize(
    "broken",
    [
        {"identities": "nope"},
        {"paths": {"a.py": [[0, 1, 0, 5]]}},  # the version-1 layout under the current version number
        {"head": None, "commits": "many"},
    ],
)
def test_a_broken_state_is_one_clear_error(broken):
    data = {
        "version": STATE_VERSION,
        "head": None,
        "commits": 0,
        "identities": [],
        "paths": {},
        "renamed_from": {},
    }
    with pytest.raises(InputError, match="saved code-analysis state"):
        HistoryState.from_dict({**data, **broken})


def mirror(name: str) -> Path:
    path = find_mirror(name.replace("+", "/"))
    if path is None:
        pytest.skip(f"no mirror of {name.replace('+', '/')} ({where_looked()}): fetch it first")
    return path


def test_git_incremental_equals_full_on_a_real_slice(tmp_path):
    source = mirror("git+git")
    work = tmp_path / "git"
    subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", str(source), str(work)], check=True)
    head = subprocess.run(
        ["git", "-C", str(work), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout
    base = subprocess.run(
        ["git", "-C", str(work), "rev-list", "--skip=150", "-1", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    first = run(work, ref=base)
    again = run(work, saved(first.state), ref=head.strip())
    assert again.incremental is True
    full = run(work, ref=head.strip())
    assert comparable(analysis_to_dict(again)) == comparable(analysis_to_dict(full))


@pytest.mark.parametrize("enabled_before", [True, False])
def test_the_analysis_pauses_the_garbage_collector_and_gives_it_back_as_it_was(enabled_before):
    import gc

    from pathcraft.code.history import paused_gc

    was = gc.isenabled()
    try:
        gc.enable() if enabled_before else gc.disable()
        with paused_gc():
            assert not gc.isenabled()
            with paused_gc():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the outer pause still holds
        assert gc.isenabled() is enabled_before
        with pytest.raises(RuntimeError), paused_gc():
            raise RuntimeError("an analysis that fails")
        assert gc.isenabled() is enabled_before
    finally:
        gc.enable() if was else gc.disable()
