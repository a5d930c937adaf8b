"""DOA and truck factor on repositories built by the test, each with a hand-computed answer."""

from __future__ import annotations

import math

import pytest

from pathcraft.code.analysis import AnalysisOptions, analyze_repository
from pathcraft.code.report import analysis_to_dict
from pathcraft.code.tests.gitfactory import RepoBuilder

ALICE = "Alice <alice@example.com>"
BOB = "Bob <bob@example.com>"
CAROL = "Carol <carol@example.com>"


def run(path, **options):
    analysis = analyze_repository(str(path), AnalysisOptions(**options))
    return analysis, analysis_to_dict(analysis)


def authors_of(data: dict, path: str) -> dict[str, dict]:
    return {a["key"]: a for f in data["files"] if f["path"] == path for a in f["authors"]}


def test_one_creator_has_doa_4_391_and_truck_factor_1(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"app.py": "print('hello')\n"})
    _, data = run(tmp_path)
    author = authors_of(data, "app.py")["alice@example.com"]
    # 3.293 + 1.098 * 1 + 0.164 * 0 - 0.321 * ln(1 + 0)
    assert author["doa"] == pytest.approx(4.391)
    assert author["doa_normalized"] == pytest.approx(1.0)
    assert data["truck_factor"] == 1
    assert data["coverage_after_removal"] == [0.0]
    assert data["truck_factor_developers"][0]["files"] == ["app.py"]


@pytest.mark.parametrize(
    ("changes", "creator_is_author", "normalized"),
    [
        # creator: 4.391 - 0.321 ln(1+n); changer: 3.293 + 0.164 n.  n=9: 3.6519/4.769 = 0.766 > 0.75
        (9, True, 0.7658),
        # n=10: 3.6213/4.933 = 0.734 < 0.75
        (10, False, 0.7341),
    ],
)
def test_creator_stays_author_until_the_other_changes_ten_times(
    tmp_path, changes, creator_is_author, normalized
):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"core.py": "x = 1\n"})
    repo.touch(BOB, "core.py", changes)
    analysis, data = run(tmp_path)
    authors = authors_of(data, "core.py")
    assert "bob@example.com" in authors
    assert ("alice@example.com" in authors) is creator_is_author
    alice = next(a for a in analysis.knowledge.files[0].authorships if a.created)
    assert alice.normalized == pytest.approx(normalized, abs=1e-4)
    assert alice.acceptances == changes


def test_exactly_half_covered_keeps_removing(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"a1.py": "a = 1\n", "a2.py": "a = 2\n"})
    repo.commit(BOB, {"b1.py": "b = 1\n", "b2.py": "b = 2\n"})
    _, data = run(tmp_path)
    # After the first removal 2 of 4 files keep an author: 50% is not below 50%, so a second one goes.
    assert data["truck_factor"] == 2
    assert data["coverage_after_removal"] == [0.5, 0.0]
    # Tie on file count and DOA: broken by key, so the order is stable.
    assert [d["key"] for d in data["truck_factor_developers"]] == ["alice@example.com", "bob@example.com"]


def test_rename_is_followed_back_to_the_creator(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"old/name.py": "def f():\n    return 1\n" * 20})
    repo.commit(BOB, renames={"old/name.py": "new/name.py"})
    _, data = run(tmp_path)
    authors = authors_of(data, "new/name.py")
    # Alice created it: 3.293 + 1.098 - 0.321 ln 2; Bob's rename is one change: 3.293 + 0.164.
    assert authors["alice@example.com"]["created"] is True
    assert authors["alice@example.com"]["doa"] == pytest.approx(4.391 - 0.321 * math.log(2), abs=1e-4)
    assert authors["bob@example.com"]["changes"] == 1
    assert [f["path"] for f in data["files"]] == ["new/name.py"]


def test_readded_file_makes_both_adders_creators(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"x.py": "x = 1\n"})
    repo.commit(ALICE, {"x.py": None})
    repo.commit(BOB, {"x.py": "x = 2\n"})
    analysis, _ = run(tmp_path)
    created = {
        analysis.knowledge.developers[a.developer].key: a.created
        for a in analysis.knowledge.files[0].authorships
    }
    # The reference tool marks a later ADD by someone else as a second first-authorship; deletions are dropped.
    assert created == {"alice@example.com": True, "bob@example.com": True}


def test_two_emails_under_one_name_are_one_developer(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit("Alice Smith <alice@work.example>", {"a.py": "a = 1\n"})
    repo.commit("alice smith <alice@home.example>", {"b.py": "b = 1\n"})
    repo.commit("Álice Smith <alice@laptop.example>", {"c.py": "c = 1\n"})
    _, data = run(tmp_path)
    assert len(data["developers"]) == 1
    dev = data["developers"][0]
    assert dev["emails"] == ["alice@home.example", "alice@laptop.example", "alice@work.example"]
    assert dev["files_authored"] == 3


def test_alias_table_merges_different_names(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit("Bob B <bob@work.example>", {"a.py": "a = 1\n"})
    repo.commit("bobby <b@home.example>", {"b.py": "b = 1\n"})
    _, plain = run(tmp_path)
    _, merged = run(tmp_path, aliases={"Robert": ["bob@work.example", "bobby"]})
    assert len(plain["developers"]) == 2
    assert [d["name"] for d in merged["developers"]] == ["Robert"]
    assert merged["truck_factor"] == 1


def test_mailmap_is_honoured(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit("Carol <carol@old.example>", {"a.py": "a = 1\n"})
    repo.commit("C. Jones <cj@new.example>", {"b.py": "b = 1\n"})
    repo.commit(
        CAROL,
        {
            ".mailmap": "Carol <carol@example.com> <carol@old.example>\nCarol <carol@example.com> <cj@new.example>\n"
        },
    )
    _, data = run(tmp_path)
    assert [d["key"] for d in data["developers"]] == ["carol@example.com"]


def test_bot_commits_count_for_nobody(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"app.py": "v = 0\n"})
    repo.touch("dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>", "app.py", 20)
    repo.commit("renovate-bot <bot@renovateapp.com>", {"deps.py": "pin = 1\n"})
    _, data = run(tmp_path)
    alice = authors_of(data, "app.py")["alice@example.com"]
    assert alice["doa"] == pytest.approx(4.391)  # the 20 bot changes are not changes by others
    assert alice["changes_by_others"] == 0
    assert [d["key"] for d in data["developers"]] == ["alice@example.com"]
    assert {"path": "deps.py", "reason": "changed only by bots"} in data["files_filtered"]
    assert len(data["bots"]) == 2


def test_paper_rule_is_stricter_for_creators(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"a.py": "a = 1\n"})
    for author in ("x1@example.com", "x2@example.com", "x3@example.com", "x4@example.com"):
        repo.touch(author, "a.py", 1)
    # Alice: 4.391 - 0.321 ln 5 = 3.874 (best); others 3.457 - 0.321 ln 4 = 3.012, normalized 0.777 but < 3.293.
    _, reference = run(tmp_path)
    _, paper = run(tmp_path, author_rule="paper")
    assert set(authors_of(reference, "a.py")) == {"alice@example.com"}
    assert set(authors_of(paper, "a.py")) == {"alice@example.com"}
    repo.touch("x5@example.com", "a.py", 25)  # Alice: 4.391 - 0.321 ln 31 = 3.289 < 3.293 but she created it
    _, reference = run(tmp_path)
    _, paper = run(tmp_path, author_rule="paper")
    assert "alice@example.com" not in authors_of(paper, "a.py")
    assert "x5@example.com" in authors_of(reference, "a.py")


def test_modules_and_languages_flag_single_authors(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"core/a.py": "a = 1\n", "core/b.py": "b = 1\n", "web/app.js": "var a = 1;\n"})
    repo.commit(BOB, {"core/c.py": "c = 1\n", "web/util.js": "var b = 2;\n"})
    repo.commit(CAROL, {"tools/run.go": "package main\n\nfunc main() {}\n"})
    _, data = run(tmp_path)
    modules = {m["module"]: m for m in data["modules"]}
    assert modules["tools"]["single_author"] is True
    assert modules["core"]["single_author"] is False
    assert modules["core"]["truck_factor"] == 1  # Alice's 2 of 3; then 1 of 3 left < 50%
    languages = {lang["language"]: lang for lang in data["languages"]}
    assert [a["key"] for a in languages["Go"]["authors"]] == ["carol@example.com"]
    assert data["single_points_of_failure"] == {"modules": ["tools"], "languages": ["Go"]}


def test_module_depth_two(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"src/a/x.py": "x = 1\n", "src/b/y.py": "y = 1\n", "top.py": "t = 1\n"})
    _, data = run(tmp_path, module_depth=2)
    assert sorted(m["module"] for m in data["modules"]) == [".", "src/a", "src/b"]


@pytest.mark.parametrize(
    ("line", "commit", "shown"),
    [
        ("Proper <commit@x>", ("Old", "commit@x"), ("Proper", "commit@x")),
        ("<proper@x> <commit@x>", ("Old", "Commit@X"), ("Old", "proper@x")),
        ("Proper <proper@x> <commit@x>", ("Old", "commit@x"), ("Proper", "proper@x")),
        ("Proper <proper@x> Old Name <commit@x>", ("old name", "commit@x"), ("Proper", "proper@x")),
        ("Proper <proper@x> Old Name <commit@x>", ("Other", "commit@x"), ("Other", "commit@x")),
        ("# Proper <proper@x> <commit@x>", ("Old", "commit@x"), ("Old", "commit@x")),
    ],
)
def test_mailmap_forms(line, commit, shown):
    from pathcraft.code.identities import parse_mailmap

    assert parse_mailmap(line).map(*commit) == shown
