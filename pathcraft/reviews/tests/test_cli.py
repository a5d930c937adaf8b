"""`pathcraft code reviews` as a user runs it: on a scripted repository, with forge exports, and its errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pathcraft.code.cli import code
from pathcraft.reviews.tests.test_trailers import build

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args):
    from pathcraft.cli.main import cli

    return CliRunner().invoke(cli, ["code", "reviews", *args])


def test_the_code_group_has_the_reviews_command():
    from pathcraft.cli.main import cli

    assert "reviews" in cli.get_command(None, "code").commands
    assert "reviews" in code.commands  # added by pathcraft.reviews.cli, which the code group's loader imports


def test_json_counts_shares_and_gini(tmp_path):
    build(tmp_path / "repo")
    result = run(str(tmp_path / "repo"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["sources"] == {"git": 12, "github": 0, "gitlab": 0}
    given = {p["person"]: (p["given"], p["share"]) for p in data["people"] if p["given"]}
    assert given == {
        "alice@example.com": (2, 0.25),
        "bob@example.com": (2, 0.25),
        "erin@example.com": (2, 0.25),
        "carol@example.com": (1, 0.125),
        "name:dave": (1, 0.125),
    }
    bob = next(p for p in data["people"] if p["person"] == "bob@example.com")
    assert bob["by_kind"] == {"acked-by": 1, "reviewed-by": 2, "tested-by": 1}
    team = data["team"]
    assert team["total"] == 8 and team["concentration_people"] == ["alice@example.com", "bob@example.com"]
    # 8 reviews are under the inequality engine's minimum of 10 (data/manager_load.yaml): no Gini, a reason.
    assert team["gini"] is None and team["reason"] == "not enough data: 8 events (at least 10 needed)"
    assert team["summary"] == "Two people (Alice Doe and Bob Roe) give 50% of the reviews."


def test_text_output_and_forge_exports(tmp_path):
    build(tmp_path / "repo")
    result = run(
        str(tmp_path / "repo"), "--github", str(FIXTURES / "github"), "--gitlab", str(FIXTURES / "gitlab")
    )
    assert result.exit_code == 0, result.output
    assert "events: 12 git, 6 github, 5 gitlab" in result.output
    assert "hubot" in result.output and "Alice Smith" in result.output
    assert "Gini " in result.output


def test_since_and_modules(tmp_path):
    build(tmp_path / "repo")
    result = run(str(tmp_path / "repo"), "--json", "--modules", "--since", "2023-11-15")
    data = json.loads(result.output)
    assert data["since"] == "2023-11-15"
    assert data["modules"]["lib"] == {"erin@example.com": 1}
    everything = json.loads(run(str(tmp_path / "repo"), "--json", "--since", "2000-01-01").output)
    assert data["commits_read"] < everything["commits_read"]


def test_errors_are_one_line(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from pathcraft.cli.main import main; main()",
            "code",
            "reviews",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {tmp_path} is not a git repository"
    build(tmp_path / "repo")
    missing = run(str(tmp_path / "repo"), "--github", str(tmp_path))
    assert "pulls.json: no such file" in str(missing.exception)
    bad_alias = run(str(tmp_path / "repo"), "--alias", "nobody")
    assert "--alias wants PERSON=" in str(bad_alias.exception)
