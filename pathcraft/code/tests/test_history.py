"""Reading history: the streaming parser, incremental runs, bare and shallow repositories, refs, dates, errors."""

from __future__ import annotations

import io
import json
import subprocess
from datetime import date

import pytest

from pathcraft.code.analysis import AnalysisOptions, analyze_repository
from pathcraft.code.gitlog import parse_log
from pathcraft.code.history import HistoryState, local_slot
from pathcraft.code.report import analysis_to_dict
from pathcraft.code.tests.gitfactory import BASE_TIME, RepoBuilder
from pathcraft.errors import InputError

ALICE = "Alice <alice@example.com>"
BOB = "Bob <bob@example.com>"


def comparable(data: dict) -> dict:
    """The result without what legitimately differs between two runs (timing, run mode)."""
    return {k: v for k, v in data.items() if k not in {"seconds", "incremental"}}


def test_parser_reads_renames_merges_and_odd_bytes():
    header = b"\x01" + b"\x1f".join(
        [b"a" * 40, b"p1 p2", b"Ann", b"ann@x", b"1600000000 +0530", b"1600000001"]
    )
    plain = b"\x01" + b"\x1f".join([b"b" * 40, b"p1", b"Bo", b"", b"1600000100 -0800", b"1600000101"])
    stream = header + b"\0" + plain + b"\0\nR087\0old\xff.c\0new.c\0M\0x.py\0D\0gone.py\0"
    commits = list(parse_log(io.BytesIO(stream)))
    assert [c.parents for c in commits] == [2, 1]
    assert commits[0].changes == []  # a merge: git prints no file list
    assert commits[0].author_offset_minutes == 330
    assert commits[1].author_offset_minutes == -480
    assert [(c.status, c.path, c.old_path) for c in commits[1].changes] == [
        ("R", "new.c", "old\udcff.c"),
        ("M", "x.py", None),
        ("D", "gone.py", None),
    ]


def test_local_slot_uses_the_authors_offset():
    # 2020-09-13 12:26:40 UTC is a Sunday; at +14:00 it is Monday 02:26.
    assert local_slot(BASE_TIME, 0) == 6 * 24 + 12
    assert local_slot(BASE_TIME, 14 * 60) == 0 * 24 + 2


def build_history(repo: RepoBuilder, start: int, count: int) -> None:
    authors = [ALICE, BOB, "Carol <carol@example.com>"]
    for n in range(start, start + count):
        author = authors[n % 3]
        files = {f"pkg{n % 4}/m{n % 7}.py": f"v = {n}\n"}
        if n % 5 == 0:
            files[f"new{n}.py"] = "n = 1\n"
        waiting = sorted(p.name for p in repo.path.glob("new*.py"))
        if n % 6 == 3 and waiting:
            repo.commit(authors[(n + 1) % 3], renames={waiting[0]: f"moved/{waiting[0]}"})
        repo.commit(author, files)


def test_incremental_equals_full(tmp_path):
    repo = RepoBuilder(tmp_path)
    build_history(repo, 0, 30)
    first = analyze_repository(str(tmp_path), AnalysisOptions(reference_time=BASE_TIME))
    saved = json.loads(json.dumps(first.state.to_dict()))
    build_history(repo, 30, 25)
    incremental = analyze_repository(
        str(tmp_path), AnalysisOptions(reference_time=BASE_TIME), state=HistoryState.from_dict(saved)
    )
    full = analyze_repository(str(tmp_path), AnalysisOptions(reference_time=BASE_TIME))
    assert incremental.incremental is True and full.incremental is False
    assert incremental.state.commits == full.state.commits > 55
    assert len(full.state.renamed_from) >= 5
    assert comparable(analysis_to_dict(incremental)) == comparable(analysis_to_dict(full))
    assert incremental.state.canonical() == full.state.canonical()


def test_state_from_another_branch_falls_back_to_a_full_run(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"a.py": "a = 1\n"})
    repo.git("checkout", "-q", "-b", "side")
    repo.commit(BOB, {"b.py": "b = 1\n"})
    side = analyze_repository(str(tmp_path), AnalysisOptions())
    repo.git("checkout", "-q", "main")
    repo.commit(ALICE, {"c.py": "c = 1\n"})
    again = analyze_repository(str(tmp_path), AnalysisOptions(ref="main"), state=side.state)
    assert again.incremental is False
    assert again.state.commits == 2


def test_bare_repository_and_any_ref(tmp_path):
    repo = RepoBuilder(tmp_path / "work")
    repo.commit(ALICE, {"a.py": "a = 1\n"})
    repo.git("tag", "v1")
    repo.commit(BOB, {"b.py": "b = 1\n"})
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(tmp_path / "work"), str(tmp_path / "bare.git")], check=True
    )
    data = analysis_to_dict(analyze_repository(str(tmp_path / "bare.git"), AnalysisOptions()))
    assert data["files_analysed"] == 2
    tagged = analysis_to_dict(analyze_repository(str(tmp_path / "bare.git"), AnalysisOptions(ref="v1")))
    assert [f["path"] for f in tagged["files"]] == ["a.py"]


def test_as_of_picks_the_last_commit_on_or_before_the_date(tmp_path):
    repo = RepoBuilder(tmp_path)
    day = 86400
    repo.commit(ALICE, {"a.py": "a = 1\n"}, when=BASE_TIME)  # 2020-09-13
    repo.commit(BOB, {"b.py": "b = 1\n"}, when=BASE_TIME + 10 * day)  # 2020-09-23
    data = analysis_to_dict(analyze_repository(str(tmp_path), AnalysisOptions(as_of=date(2020, 9, 20))))
    assert data["commits_analysed"] == 1
    assert [f["path"] for f in data["files"]] == ["a.py"]
    with pytest.raises(InputError, match="no commit on or before 2019-01-01"):
        analyze_repository(str(tmp_path), AnalysisOptions(as_of=date(2019, 1, 1)))


def test_shallow_clone_says_the_result_is_partial(tmp_path):
    repo = RepoBuilder(tmp_path / "full")
    for n in range(4):
        repo.commit(ALICE if n % 2 else BOB, {"a.py": f"a = {n}\n"})
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{tmp_path / 'full'}", str(tmp_path / "shallow")],
        check=True,
    )
    data = analysis_to_dict(analyze_repository(str(tmp_path / "shallow"), AnalysisOptions()))
    assert data["partial"] is True
    assert any("shallow" in note for note in data["notes"])
    assert data["commits_analysed"] == 2


@pytest.mark.parametrize(
    ("setup", "options", "message"),
    [
        ("plain_dir", {}, "is not a git repository"),
        ("missing", {}, "no such directory"),
        ("empty_repo", {}, "has no commits yet"),
        ("one_commit", {"ref": "no-such-branch"}, "unknown ref 'no-such-branch'"),
        ("one_commit", {"ref": "--all"}, "unknown ref '--all'"),
        ("one_commit", {"author_rule": "strict"}, "author rule must be"),
        ("subdir", {}, "is not the top of a git repository"),
    ],
)
def test_bad_input_is_one_clear_error(tmp_path, setup, options, message):
    target = tmp_path / "target"
    if setup == "plain_dir":
        target.mkdir()
    elif setup == "empty_repo":
        RepoBuilder(target)
    elif setup == "one_commit":
        RepoBuilder(target).commit(ALICE, {"a.py": "a = 1\n"})
    elif setup == "subdir":
        RepoBuilder(target).commit(ALICE, {"pkg/a.py": "a = 1\n"})
        target = target / "pkg"
    with pytest.raises(InputError, match=message) as caught:
        analyze_repository(str(target), AnalysisOptions(**options))
    assert "\n" not in str(caught.value)


def test_broken_state_is_an_input_error():
    with pytest.raises(InputError, match="unknown format"):
        HistoryState.from_dict({"version": 99})


def test_changed_mailmap_needs_no_full_run(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit("Al <al@old.example>", {"a.py": "a = 1\n"})
    repo.commit(ALICE, {"b.py": "b = 1\n"})
    first = analyze_repository(str(tmp_path), AnalysisOptions())
    assert len(first.knowledge.developers) == 2
    repo.commit(ALICE, {".mailmap": "Alice <alice@example.com> <al@old.example>\n"})
    again = analyze_repository(str(tmp_path), AnalysisOptions(), state=first.state)
    full = analyze_repository(str(tmp_path), AnalysisOptions())
    assert again.incremental is True
    assert [d.key for d in again.knowledge.developers] == [d.key for d in full.knowledge.developers]
    assert [d.key for d in full.knowledge.developers] == ["alice@example.com"]
