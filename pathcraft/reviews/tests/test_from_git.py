"""Reviews read from a repository's history after its code analysis: stored, then only what is new, then all again
after a force-push; a failure there never fails the code analysis."""

from __future__ import annotations

import pytest
from django.apps import apps

from pathcraft.code.models import Repository
from pathcraft.code.runs import run_analysis
from pathcraft.code.tests.gitfactory import RepoBuilder
from pathcraft.code.tests.scenarios import analysed, org_with_lead
from pathcraft.reviews.actions import store_from_git
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
