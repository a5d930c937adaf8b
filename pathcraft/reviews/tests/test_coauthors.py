"""Co-authored-by for degree-of-authorship: off by default, and when on, the co-author delivered the change too."""

from __future__ import annotations

from pathcraft.code.gitrepo import open_repo
from pathcraft.code.history import collect_history, identity_key
from pathcraft.reviews.coauthors import add_co_authors, co_authors_by_commit
from pathcraft.reviews.tests.scripted import ScriptedRepo

ALICE = "Alice Doe <alice@example.com>"
BOB = "Bob Roe <bob@example.com>"


def build(path):
    repo = ScriptedRepo(path)
    repo.commit(ALICE, "Start\n", {"core/a.py": "a\n"})
    pair = repo.commit(
        ALICE,
        "Pair on b\n\nCo-authored-by: Bob Roe <bob@example.com>\nco-authored-BY:  Cat Poe\n"
        "Co-authored-by: Alice Doe <alice@example.com>\n",
        {"core/b.py": "b\n"},
    )
    repo.commit(BOB, "Mention co-authored-by: in the body only\n", {"core/c.py": "c\n"})
    return repo, pair


def test_only_trailers_with_an_email_make_co_authors(tmp_path):
    repo, pair = build(tmp_path / "r")
    found = co_authors_by_commit(open_repo(str(repo.path)), ["HEAD"])
    # Cat has no email (no identity); Alice is the author herself; the body line is no trailer.
    assert found == {pair: [("Bob Roe", "bob@example.com"), ("Alice Doe", "alice@example.com")]}


def test_co_authors_deliver_the_change_when_asked(tmp_path):
    repo, _ = build(tmp_path / "r")
    git = open_repo(str(repo.path))
    state, _ = collect_history(git, repo.head(), 1000)
    bob = state.index[identity_key("Bob Roe", "bob@example.com")]
    assert bob not in state.records("core/b.py")  # off by default: Bob only authored core/c.py
    added = add_co_authors(state, git, [repo.head()], 1000)
    assert added == 1  # Bob once; Alice is the author already
    assert state.records("core/b.py")[bob][1] == 1  # Bob now "added" core/b.py, as a co-author
    assert state.identities[bob].commits == 2
