"""`pathcraft code refresh` shows commits read of commits to read on stderr (rich), and nothing on a pipe."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from rich.console import Console

from pathcraft.code import actions, cli
from pathcraft.code.tests.scenarios import many_commits, org_with_lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def repo(tmp_path):
    o = org_with_lead()
    many_commits(tmp_path / "big.git", 2500)
    return actions.register_repository(o["team"], "big", str(tmp_path / "big.git"))


@pytest.mark.parametrize(
    ("name", "read", "total", "expected"),
    [
        ("big", 0, 2500, "big: 0 of 2,500 commits read"),
        ("big", 1000, 2500, "big: 1,000 of 2,500 commits read"),
        ("[2/3] big", 12, 0, "[2/3] big: 12 commits read"),  # the total is not known yet
    ],
)
def test_the_progress_line(name, read, total, expected):
    assert cli.commits_line(name, read, total) == expected


def test_refresh_on_a_terminal_shows_commits_read_of_the_total(repo, monkeypatch):
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=120)
    monkeypatch.setattr(cli, "_stderr_console", lambda: terminal)
    result = CliRunner().invoke(cli.code, ["refresh", "big", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["commits_read"] == 2500  # stdout stays clean JSON
    shown = screen.getvalue()
    assert "big: 2,500 of 2,500 commits read; working out authorship" in shown
    assert "commits read" not in result.output


def test_refresh_on_a_pipe_shows_no_progress(repo):
    result = CliRunner().invoke(cli.code, ["refresh", "big"])
    assert result.exit_code == 0, result.output
    assert "commits read" not in result.output and "big (" in result.output
