"""The `pathcraft code` commands as a user runs them, and a light import."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from pathcraft.code.cli import code
from pathcraft.code.tests.gitfactory import RepoBuilder

ALICE = "Alice <alice@example.com>"
BOB = "Bob <bob@example.com>"


def small_repo(path):
    repo = RepoBuilder(path)
    repo.commit(ALICE, {"core/a.py": "a = 1\n", "core/b.py": "b = 1\n", "docs/x.md": "# x\n"})
    repo.commit(BOB, {"web/app.js": "var a = 1;\n"})
    return repo


def test_analyze_json_has_the_documented_keys(tmp_path):
    small_repo(tmp_path)
    result = CliRunner().invoke(code, ["analyze", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in ("truck_factor", "truck_factor_developers", "files_analysed", "files_filtered", "files",
                "coverage_after_removal", "modules", "languages", "developers", "timing"):  # fmt: skip
        assert key in data
    assert data["truck_factor"] == 1
    assert data["truck_factor_developers"][0]["files"] == ["core/a.py", "core/b.py"]
    assert data["files_filtered"] == [{"path": "docs/x.md", "reason": "documentation"}]


def test_analyze_human_summary_and_state_file(tmp_path):
    repo = small_repo(tmp_path / "repo")
    state = tmp_path / "state.json"
    runner = CliRunner()
    first = runner.invoke(code, ["analyze", str(tmp_path / "repo"), "--state", str(state)])
    assert first.exit_code == 0, first.output
    assert "Truck factor 1" in first.output and "Removal order" in first.output
    assert json.loads(state.read_text())["commits"] == 2
    repo.commit(BOB, {"web/more.js": "var m = 1;\n"})
    again = runner.invoke(code, ["analyze", str(tmp_path / "repo"), "--state", str(state), "--json"])
    later = json.loads(again.output)
    assert (later["incremental"], later["commits_analysed"], later["files_analysed"]) == (True, 3, 4)


def test_leaves_command(tmp_path):
    small_repo(tmp_path)
    result = CliRunner().invoke(code, ["leaves", str(tmp_path), "--person", "alice@example.com", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [f["path"] for f in data["orphaned_files"]] == ["core/a.py", "core/b.py"]
    assert (data["truck_factor_before"], data["coverage_after"]) == (1, pytest.approx(1 / 3, abs=1e-6))
    human = CliRunner().invoke(code, ["leaves", str(tmp_path), "--person", "Alice"])
    assert "2 of 3 files lose their last author" in human.output


def test_errors_are_one_line(tmp_path):
    from pathcraft.errors import InputError

    result = CliRunner().invoke(code, ["analyze", str(tmp_path)])
    assert isinstance(result.exception, InputError)
    assert str(result.exception) == f"{tmp_path} is not a git repository"
    small_repo(tmp_path / "r")
    nobody = CliRunner().invoke(code, ["leaves", str(tmp_path / "r")])
    assert "say who leaves" in str(nobody.exception)
    bad_alias = CliRunner().invoke(code, ["analyze", str(tmp_path / "r"), "--alias", "nobody"])
    assert "--alias wants PERSON=" in str(bad_alias.exception)


def test_root_cli_prints_one_line_error(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from pathcraft.cli.main import main; main()",
            "code",
            "analyze",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {tmp_path} is not a git repository"


def test_cli_import_is_light():
    code_ = "import sys, pathcraft.code.cli; print('enry' in sys.modules, 'django' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code_], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_engine_imports_no_django():
    code_ = "import sys, pathcraft.code.analysis, pathcraft.code.report; print('django' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code_], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
