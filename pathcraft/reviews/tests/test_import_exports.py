"""`pathcraft code import-reviews`: GitHub and GitLab exports (the real-format fixtures of test_forges.py) stored for
a registered repository beside its git reviews; each source replaces only its own events; a bad file stores nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathcraft.errors import InputError
from pathcraft.reviews.actions import store_from_git
from pathcraft.reviews.attribution import organisation_reviews
from pathcraft.reviews.forges import read_github, read_gitlab
from pathcraft.reviews.models import ReviewImport, ReviewRecord
from pathcraft.reviews.tests.test_from_git import commit, o  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def run(*args):
    from pathcraft.cli.main import cli

    return CliRunner().invoke(cli, ["code", "import-reviews", *args])


def by_source(repo) -> dict[str, int]:
    rows = ReviewRecord.objects.filter(repository=repo)
    return {s: rows.filter(source=s).count() for s in ("git", "github", "gitlab")}


def test_exports_are_stored_beside_the_git_reviews_and_survive_a_git_re_read(o):  # noqa: F811
    # By hand from the fixtures: GitHub has 6 reviews, less octocat's comment on their own #12 and dependabot's on
    # #13; GitLab 5, less jdoe's note on their own !45.
    assert (len(read_github(FIXTURES / "github")), len(read_gitlab(FIXTURES / "gitlab"))) == (6, 5)
    expected_github, expected_gitlab = range(4), range(4)
    head = ReviewImport.objects.get(repository=o["repo"]).head
    result = run("svc", "--github", str(FIXTURES / "github"), "--gitlab", str(FIXTURES / "gitlab"), "--json")
    assert result.exit_code == 0, result.output
    stored = json.loads(result.output)["stored"]
    assert stored == {"github": len(expected_github), "gitlab": len(expected_gitlab)}
    assert by_source(o["repo"]) == {"git": 3, "github": len(expected_github), "gitlab": len(expected_gitlab)}
    assert ReviewImport.objects.get(repository=o["repo"]).head == head  # the next git read stays incremental

    again = run("svc", "--github", str(FIXTURES / "github"))  # the same export again changes nothing
    assert again.exit_code == 0 and f"{len(expected_github)} github" in again.output
    assert by_source(o["repo"])["github"] == len(expected_github)

    o["git"].git("reset", "-q", "--hard", "HEAD~1")  # a force-push: git's events are read and replaced again
    commit(
        o["git"],
        "Dee Dev",
        o["dev"].email,
        {"core/z.py": "z\n"},
        f"Add z\n\nAcked-by: Dan Dev <{o['dev2'].email}>",
    )
    assert store_from_git(o["repo"]).mode == "replace"  # the dropped commit had only Dan's self-review
    assert by_source(o["repo"]) == {"git": 4, "github": len(expected_github), "gitlab": len(expected_gitlab)}
    reviews, _ = organisation_reviews(o["org"].pk)
    # One review per reviewer and change: hubot's approval and comment on #12 are one; asmith's and bjones's too.
    assert len(reviews) == 4 + 3 + 2


def test_a_bad_export_is_one_line_and_stores_nothing(o, tmp_path):  # noqa: F811
    bad = tmp_path / "gh"
    bad.mkdir()
    (bad / "pulls.json").write_text("[{]")
    result = run("svc", "--gitlab", str(FIXTURES / "gitlab"), "--github", str(bad))
    # pathcraft's main prints an InputError as one "error: …" line (test_cli.py runs it so); here it is raised.
    assert isinstance(result.exception, InputError)
    assert "gh/pulls.json: line 1: not JSON" in str(result.exception) and "\n" not in str(result.exception)
    assert by_source(o["repo"]) == {"git": 3, "github": 0, "gitlab": 0}
    assert "nothing to import" in str(run("svc").exception)
    unknown = run("nope", "--github", str(FIXTURES / "github"))
    assert "no registered repository named 'nope'" in str(unknown.exception)
