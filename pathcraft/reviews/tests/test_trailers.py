"""The git review engine on a scripted repository, against counts worked out by hand.

History of `main` (oldest first):
  c1 Alice  src/a.py     Reviewed-by Bob; "reviewed-BY :  Carol" (odd case and spacing); Acked-by Bob;
                         Tested-by Bob; Reviewed-by Bob again (the same trailer twice is one review)
  c2 Bob    src/b.py     Reviewed-by Alice <ALICE@…> (another spelling of her email); Reviewed-by Bob (self: no);
                         Reviewed-by dependabot[bot] (a bot: no)
  c3 Carol  docs/x.md    Reviewed-by "Robert <bob@home.example>" (.mailmap: Bob); Helped-by "Dave" (no email);
                         a Reviewed-by folded over two lines (Erin)
  feature   Dave: f1 lib/f.py, f2 lib/g.py, merged by Erin on GitHub ("Merge pull request #7 from dave/feature",
            committed by GitHub <noreply@github.com>)
  fix       Carol: x1 src/c.py, merged by Alice with GitLab's message ("… See merge request group/proj!12")
  topic     Bob: t1 src/d.py, merged by Alice with git's own "Merge branch 'topic'" (counts only with merges="all")
  c4 Erin   Co-authored-by Frank
"""

from __future__ import annotations

import pytest

from pathcraft.errors import InputError
from pathcraft.reviews.load import resolve_reviewers, review_counts, review_knowledge
from pathcraft.reviews.tests.scripted import ScriptedRepo
from pathcraft.reviews.trailers import parse_ident, read_git_reviews

ALICE = "Alice Doe <alice@example.com>"
BOB = "Bob Roe <bob@example.com>"
CAROL = "Carol Poe <carol@example.com>"
DAVE = "Dave Moe <dave@example.com>"
ERIN = "Erin Loe <erin@example.com>"
GITHUB = "GitHub <noreply@github.com>"
MAILMAP = "Bob Roe <bob@example.com> <bob@home.example>\n"


def build(path) -> tuple[ScriptedRepo, dict[str, str]]:
    repo = ScriptedRepo(path)
    shas = {}
    shas["c0"] = repo.commit(ALICE, "Start\n", {".mailmap": MAILMAP, "README": "hi\n"})
    shas["c1"] = repo.commit(
        ALICE,
        "Add a\n\nBody text.\n\n"
        f"Reviewed-by: {BOB}\nreviewed-BY :  {CAROL}\nAcked-by: {BOB}\nTested-by: {BOB}\nReviewed-by: {BOB}\n"
        f"Signed-off-by: {ALICE}\n",
        {"src/a.py": "a\n"},
    )
    shas["c2"] = repo.commit(
        BOB,
        "Add b\n\n"
        "Reviewed-by: Alice Doe <ALICE@example.com>\n"
        f"Reviewed-by: {BOB}\n"
        "Reviewed-by: dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>\n",
        {"src/b.py": "b\n"},
    )
    shas["c3"] = repo.commit(
        CAROL,
        "Document x\n\nReviewed-by: Robert <bob@home.example>\nHelped-by: Dave\nReviewed-by: Erin\n  Loe <erin@example.com>\n",
        {"docs/x.md": "x\n"},
    )
    repo.git("checkout", "-q", "-b", "feature")
    shas["f1"] = repo.commit(DAVE, "Feature one\n", {"lib/f.py": "f\n"})
    shas["f2"] = repo.commit(DAVE, "Feature two\n", {"lib/g.py": "g\n"})
    repo.git("checkout", "-q", "main")
    shas["m7"] = repo.merge(
        "feature", ERIN, "Merge pull request #7 from dave/feature\n\nFeature", committer=GITHUB
    )
    repo.git("checkout", "-q", "-b", "fix")
    shas["x1"] = repo.commit(CAROL, "Fix c\n", {"src/c.py": "c\n"})
    repo.git("checkout", "-q", "main")
    shas["m12"] = repo.merge(
        "fix", ALICE, "Merge branch 'fix' into 'main'\n\nFix c\n\nSee merge request group/proj!12\n"
    )
    repo.git("checkout", "-q", "-b", "topic")
    shas["t1"] = repo.commit(BOB, "Topic\n", {"src/d.py": "d\n"})
    repo.git("checkout", "-q", "main")
    shas["mt"] = repo.merge("topic", ALICE, "Merge branch 'topic'\n")
    shas["c4"] = repo.commit(
        ERIN, "Pair work\n\nCo-authored-by: Frank Noe <frank@example.com>\n", {"e.py": "e\n"}
    )
    return repo, shas


@pytest.fixture(scope="module")
def scripted(tmp_path_factory):
    return build(tmp_path_factory.mktemp("reviews") / "repo")


def counts(reviews, kinds=None, exclude_self=True):
    reviewers = resolve_reviewers(reviews.events, reviews.mailmap)
    return review_counts(reviews.events, reviewers, kinds, exclude_self)


def test_trailer_reviews_by_hand(scripted):
    repo, _ = scripted
    reviews = read_git_reviews(str(repo.path))
    # Bob: c1 and c3 (as Robert, through .mailmap); his own c2 does not count; Carol's odd spelling is read.
    assert counts(reviews, ["reviewed-by"]) == {
        "bob@example.com": 2,
        "alice@example.com": 1,
        "carol@example.com": 1,
        "erin@example.com": 1,
    }
    assert counts(reviews, ["acked-by"]) == {"bob@example.com": 1}
    assert counts(reviews, ["tested-by"]) == {"bob@example.com": 1}
    assert counts(reviews, ["helped-by"]) == {"name:dave": 1}


def test_self_reviews_count_only_when_asked(scripted):
    repo, _ = scripted
    reviews = read_git_reviews(str(repo.path))
    assert counts(reviews, ["reviewed-by"], exclude_self=False)["bob@example.com"] == 3


def test_merges_of_pull_requests_by_hand(scripted):
    repo, shas = scripted
    reviews = read_git_reviews(str(repo.path))
    merged = sorted(
        (e.reviewer.email, e.author.email, e.change_id) for e in reviews.events if e.kind == "merged"
    )
    # Erin clicked merge on GitHub (the committer is GitHub); Alice merged GitLab's !12; git's own merge is not one.
    assert merged == sorted(
        [
            ("erin@example.com", "dave@example.com", shas["m7"]),
            ("alice@example.com", "carol@example.com", shas["m12"]),
        ]
    )
    # All kinds: one review per reviewer and change (Bob's Reviewed-, Acked- and Tested-by on c1 are one).
    assert counts(reviews) == {
        "bob@example.com": 2,
        "alice@example.com": 2,
        "erin@example.com": 2,
        "carol@example.com": 1,
        "name:dave": 1,
    }


def test_every_merge_counts_when_asked(scripted):
    repo, shas = scripted
    reviews = read_git_reviews(str(repo.path), merges="all")
    merged = sorted(
        (e.reviewer.email, e.author.email, e.change_id) for e in reviews.events if e.kind == "merged"
    )
    assert ("alice@example.com", "bob@example.com", shas["mt"]) in merged and len(merged) == 3
    assert not [e for e in read_git_reviews(str(repo.path), merges="none").events if e.kind == "merged"]


def test_merge_brings_in_the_branch_paths_and_module_knowledge(scripted):
    repo, shas = scripted
    reviews = read_git_reviews(str(repo.path), paths=True)
    m7 = next(e for e in reviews.events if e.change_id == shas["m7"])
    assert m7.paths == ("lib/f.py", "lib/g.py")
    knowledge = review_knowledge(reviews.events, resolve_reviewers(reviews.events, reviews.mailmap))
    assert knowledge == {
        "docs": {"bob@example.com": 1, "erin@example.com": 1, "name:dave": 1},  # Helped-by counts too
        "lib": {"erin@example.com": 1},
        "src": {"alice@example.com": 2, "bob@example.com": 1, "carol@example.com": 1},
    }


def test_trailer_times_are_the_commit_times_with_their_offset(tmp_path):
    repo = ScriptedRepo(tmp_path / "r")
    repo.commit(ALICE, f"x\n\nReviewed-by: {BOB}\n", when=1_700_000_000, offset="+0530")
    (event,) = read_git_reviews(str(repo.path)).events
    assert event.at.utcoffset().total_seconds() == 5.5 * 3600
    assert event.at.timestamp() == 1_700_000_000 and event.source == "git" and event.kind == "reviewed-by"


def test_co_authors_are_collected_only_when_asked(scripted):
    repo, shas = scripted
    assert read_git_reviews(str(repo.path)).co_authors == []
    found = read_git_reviews(str(repo.path), co_authors=True).co_authors
    assert [(sha, who.name, who.email) for sha, who in found] == [
        (shas["c4"], "Frank Noe", "frank@example.com")
    ]


def test_incremental_read_adds_up_to_the_full_read(tmp_path):
    repo, shas = build(tmp_path / "r")
    repo.git("checkout", "-q", "-b", "later")
    repo.commit(DAVE, f"More\n\nReviewed-by: {CAROL}\n", {"lib/h.py": "h\n"})
    repo.git("checkout", "-q", "main")
    repo.commit(BOB, f"Even more\n\nAcked-by: {ERIN}\n")
    repo.merge("later", BOB, "Merge pull request #9 from dave/later\n")
    full = read_git_reviews(str(repo.path))
    first = read_git_reviews(str(repo.path), ref=shas["c4"])
    again = read_git_reviews(str(repo.path), last_seen=shas["c4"])
    assert again.incremental and again.commits == 3 and not first.incremental

    def rows(events):
        return sorted((e.kind, e.change_id, e.reviewer.email, e.author.email) for e in events)

    assert rows(first.events + again.events) == rows(full.events)
    assert len(again.events) == 3  # Carol's review, Erin's ack, Bob's merge of Dave's branch
    assert read_git_reviews(str(repo.path), last_seen=full.head).events == []


def test_a_rewritten_history_is_read_again_in_full(tmp_path):
    repo, _ = build(tmp_path / "r")
    old = repo.commit(BOB, f"Soon gone\n\nReviewed-by: {CAROL}\n")
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.commit(BOB, f"Instead\n\nReviewed-by: {ERIN}\n")
    again = read_git_reviews(str(repo.path), last_seen=old)
    assert not again.incremental
    assert again.events == read_git_reviews(str(repo.path)).events


@pytest.mark.parametrize(
    ("value", "name", "email"),
    [
        ("Jeff King <peff@peff.net>", "Jeff King", "peff@peff.net"),
        ("Jeff King   <peff@peff.net> (trailing words)", "Jeff King", "peff@peff.net"),
        ("<peff@peff.net>", "", "peff@peff.net"),
        ("Jeff King", "Jeff King", ""),
        ("Jeff <unclosed", "Jeff <unclosed", ""),
    ],
    ids=["plain", "trailing", "email-only", "name-only", "unclosed"],
)
def test_values_split_as_git_splits_idents(value, name, email):
    who = parse_ident(value)
    assert (who.name, who.email) == (name, email)


def test_unknown_merge_policy_is_one_clear_error(scripted):
    repo, _ = scripted
    with pytest.raises(InputError, match="merges must be one of"):
        read_git_reviews(str(repo.path), merges="some")


def test_not_a_repository_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="not a git repository"):
        read_git_reviews(str(tmp_path))


@pytest.mark.parametrize("merges", ["pull-requests", "all"])
def test_one_pass_over_the_graph_finds_what_git_lists_for_each_merge(tmp_path, monkeypatch, merges):
    repo, _ = build(tmp_path / "r")
    # A nested topic: a branch merged into a branch that is then merged into main.
    repo.git("checkout", "-q", "-b", "outer")
    repo.commit(CAROL, "Outer one\n", {"o/1.py": "1\n"})
    repo.git("checkout", "-q", "-b", "inner")
    repo.commit(DAVE, "Inner one\n", {"i/1.py": "1\n"})
    repo.git("checkout", "-q", "outer")
    repo.merge("inner", CAROL, "Merge branch 'inner' into outer\n")
    repo.git("checkout", "-q", "main")
    repo.commit(ALICE, "Meanwhile\n", {"m.py": "m\n"})
    repo.merge("outer", BOB, "Merge pull request #21 from carol/outer\n")

    def rows(found):
        return sorted((e.kind, e.change_id, e.reviewer.email, e.author.email, e.paths) for e in found.events)

    listed = read_git_reviews(str(repo.path), merges=merges, paths=True)
    monkeypatch.setattr("pathcraft.reviews.trailers.FEW_MERGES", 0)
    claimed = read_git_reviews(str(repo.path), merges=merges, paths=True)
    assert rows(claimed) == rows(listed)
    pr21 = sorted(
        e.author.email for e in listed.events if e.kind == "merged" and e.reviewer.email == BOB[9:-1]
    )
    assert pr21 == ["carol@example.com", "dave@example.com"]
