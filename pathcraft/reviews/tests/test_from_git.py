"""Reviews read from a repository's history after its code analysis: stored, then only what is new, then all again
after a force-push; a failure there never fails the code analysis."""

from __future__ import annotations

from collections import Counter

import pytest
from django.apps import apps

from pathcraft.code.models import Repository
from pathcraft.code.runs import run_analysis
from pathcraft.code.tests.gitfactory import RepoBuilder
from pathcraft.code.tests.scenarios import analysed, org_with_lead
from pathcraft.reviews.actions import store_from_git
from pathcraft.reviews.attribution import organisation_reviews
from pathcraft.reviews.models import ReviewImport, ReviewRecord

pytestmark = pytest.mark.django_db


def commit(git: RepoBuilder, who: str, email: str, files: dict[str, str], message: str) -> str:
    for rel, text in files.items():
        (git.path / rel).parent.mkdir(parents=True, exist_ok=True)
        (git.path / rel).write_text(text)
        git.git("add", "--", rel)
    git.clock += 3600
    stamp = f"{git.clock} +0200"
    env = {"GIT_AUTHOR_NAME": who, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp,
           "GIT_COMMITTER_NAME": who, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": stamp}  # fmt: skip
    git.git("commit", "-q", "-m", message, env=env)
    return git.git("rev-parse", "HEAD").strip()


@pytest.fixture
def o(tmp_path):
    o = org_with_lead()
    git = o["git"] = RepoBuilder(tmp_path / "repo")
    dee, dan, lee = o["dev"].email, o["dev2"].email, o["lead"].email
    commit(
        git,
        "Dee Dev",
        dee,
        {"core/a.py": "a\n"},
        f"Add a\n\nReviewed-by: Dan Dev <{dan}>\nAcked-by: Lee Lead <{lee}>",
    )
    commit(git, "Dee Dev", dee, {"core/b.py": "b\n"}, f"Add b\n\nreviewed-BY:   Dan Dev   <{dan}>\n")
    commit(
        git, "Dan Dev", dan, {"web/x.py": "x\n"}, f"Add x\n\nReviewed-by: Dan Dev <{dan}>\n"
    )  # self-review
    o["repo"] = analysed(o["team"], git)
    return o


def held(repo) -> list[tuple]:
    return sorted(
        ReviewRecord.objects.filter(repository=repo).values_list("reviewer_key", "kind", "author_key")
    )


def test_the_code_analysis_stores_the_repositorys_reviews_with_odd_spacing_and_case(o):
    dee, dan, lee = o["dev"].email, o["dev2"].email, o["lead"].email
    assert held(o["repo"]) == [(dan, "reviewed-by", dee), (dan, "reviewed-by", dee), (lee, "acked-by", dee)]
    state = ReviewImport.objects.get(repository=o["repo"])
    assert state.head == o["git"].git("rev-parse", "HEAD").strip() and state.events == 3
    row = ReviewRecord.objects.filter(repository=o["repo"]).order_by("at").first()
    assert row.paths == ["core/a.py"] and row.at.utcoffset() is not None


def test_new_commits_are_read_incrementally_and_a_force_push_reads_all_again(o):
    dee, dan = o["dev"].email, o["dev2"].email
    commit(o["git"], "Dan Dev", dan, {"web/y.py": "y\n"}, f"Add y\n\nReviewed-by: Dee Dev <{dee}>")
    state = store_from_git(o["repo"])
    assert (state.mode, state.added, state.events) == ("incremental", 1, 4)
    again = store_from_git(o["repo"])
    assert (again.events, again.head) == (4, state.head)
    o["git"].git("reset", "-q", "--hard", "HEAD~3")  # keep only "Add a", then a different commit
    commit(o["git"], "Dee Dev", dee, {"core/c.py": "c\n"}, f"Add c\n\nTested-by: Dan Dev <{dan}>")
    rewritten = store_from_git(o["repo"])
    assert rewritten.mode == "replace"
    assert sorted(k for _, k, _ in held(o["repo"])) == ["acked-by", "reviewed-by", "tested-by"]


def test_a_failing_review_read_never_fails_the_code_analysis(o, monkeypatch):
    def broken(repository):
        raise RuntimeError("boom")

    monkeypatch.setattr(apps.get_app_config("reviews"), "after_code_analysis", broken)
    commit(o["git"], "Dee Dev", o["dev"].email, {"core/d.py": "d\n"}, "Add d")
    repo = run_analysis(o["repo"].pk)
    assert repo.status == Repository.Status.DONE and repo.error == ""


BOT = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"


def test_mailmap_bots_and_pull_request_merges_go_through_the_engine_into_the_app(o):
    """A reviewer known only from a laptop email is Dan once .mailmap says so (the stored rows are mapped again, as
    a changed .mailmap re-reads everything); a bot's review is not stored; a merged pull request is Lee's review."""
    git, dee, dan, lee = o["git"], o["dev"].email, o["dev2"].email, o["lead"].email
    commit(git, "Dee Dev", dee, {"core/m.py": "m\n"},
           f"Add m\n\nReviewed-by: Daniel <dan@laptop.example>\nReviewed-by: {BOT}\n")  # fmt: skip
    state = store_from_git(o["repo"])
    assert state.mode == "incremental" and "dan@laptop.example" in {k for k, _, _ in held(o["repo"])}
    reviews, _ = organisation_reviews(o["org"].pk)
    assert None in {r.reviewer for r in reviews}  # unmatched: neither Dan's email nor his name

    commit(git, "Dee Dev", dee, {".mailmap": f"Dan Dev <{dan}> <dan@laptop.example>\n"}, "Map Dan's laptop")
    main = git.git("rev-parse", "HEAD").strip()
    git.git("checkout", "-q", "-b", "dee/n")
    commit(git, "Dee Dev", dee, {"core/n.py": "n\n"}, "Add n")
    git.git("checkout", "-q", main)
    git.clock += 3600
    stamp = f"{git.clock} +0000"
    env = {"GIT_AUTHOR_NAME": "Lee Lead", "GIT_AUTHOR_EMAIL": lee, "GIT_AUTHOR_DATE": stamp,
           "GIT_COMMITTER_NAME": "Lee Lead", "GIT_COMMITTER_EMAIL": lee, "GIT_COMMITTER_DATE": stamp}  # fmt: skip
    git.git("merge", "-q", "--no-ff", "-m", "Merge pull request #7 from dee/n", "dee/n", env=env)

    state = store_from_git(o["repo"])
    assert state.mode == "replace"  # .mailmap changed since the last read
    rows = held(o["repo"])
    assert "dan@laptop.example" not in {k for k, _, _ in rows}
    assert not [k for k, _, _ in rows if "bot" in k]
    assert rows.count((dan, "reviewed-by", dee)) == 3 and (lee, "merged", dee) in rows
    merged = ReviewRecord.objects.get(repository=o["repo"], kind="merged")
    assert merged.paths == ["core/n.py"]
    reviews, _ = organisation_reviews(o["org"].pk)
    given = Counter(r.reviewer for r in reviews)
    assert (given[o["dev2"].pk], given[o["lead"].pk], given[None]) == (3, 2, 0)
