"""`pathcraft fit PROFILE.yaml`, driven as a user would."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathcraft.errors import InputError
from pathcraft.paths.cli_fit import commands, fit_command

EXAMPLE = str(Path(__file__).resolve().parent.parent / "examples" / "profile-promoted-manager.yaml")


def run(*args):
    return CliRunner().invoke(fit_command, list(args), catch_exceptions=True)


def test_module_exports_the_command():
    assert commands == [fit_command] and fit_command.name == "fit"


def test_text_output_ranks_roles_with_explanations():
    result = run(EXAMPLE, "--top", "3")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Role fit for Alex (demo) (2025-03-03): 3 of 17 roles")
    ranked = [line for line in lines if line[:3].strip().rstrip(".").isdigit()]
    assert len(ranked) == 3 and ranked[0].startswith(" 1. ")
    assert "Your strengths map" in result.output and "Learned behaviour:" in result.output


def test_role_option_shows_one_role_with_its_rank_and_why():
    result = run(EXAMPLE, "--role", "engineering_manager")
    assert result.exit_code == 0
    assert "Engineering manager:" in result.output
    assert "which you rate as draining" in result.output
    assert "Staff / principal engineer" not in result.output


def test_json_output_is_stable_and_parseable():
    result = run(EXAMPLE, "--json", "--top", "2")
    data = json.loads(result.output)
    assert data["format"] == 1
    assert data["profile"]["name"] == "Alex (demo)" and data["profile"]["total_hours"] == 54
    assert [r["rank"] for r in data["roles"]] == [1, 2]
    assert data["roles"][0]["explanation"] and 0 <= data["roles"][0]["score"] <= 100
    assert {s["class"] for s in data["strengths"]} >= {"learned_behaviour", "weakness"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.yaml"], "missing.yaml: file not found"),
        ([EXAMPLE, "--role", "manager"], "unknown role 'manager'"),
        (
            [EXAMPLE, "--compare", "staff", "tech_lead"],
            "unknown role 'staff'; known roles: software_engineer",
        ),
    ],
)
def test_user_errors_are_input_errors(args, message):
    result = run(*args)
    assert isinstance(result.exception, InputError)
    assert message in str(result.exception)


def test_top_must_be_positive():
    result = run(EXAMPLE, "--top", "0")
    assert result.exit_code == 2 and "--top" in result.output


def test_bad_profile_reports_line_through_the_cli(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("activities:\n  coding: {hours: 3, skill: 7}\n")
    result = run(str(bad))
    assert isinstance(result.exception, InputError)
    assert f"{bad}: line 2: coding.skill must be a whole number from 1 to 5, got 7" in str(result.exception)


def test_root_cli_prints_one_line_errors(tmp_path, capsys):
    # Through pathcraft's root entry point (if the lead has wired this module in), errors are one line.
    from pathcraft.cli import main as root

    if "fit" not in root.cli.commands:
        root.cli.add_command(fit_command)
    with pytest.raises(SystemExit) as exit_info:
        root.main(["fit", str(tmp_path / "nope.yaml")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "nope.yaml: file not found" in err and "Traceback" not in err


def test_compare_option_says_what_tips_the_balance():
    result = run(EXAMPLE, "--compare", "staff_engineer", "tech_lead")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(
        "Staff / principal engineer 73, Tech lead 67: Staff / principal engineer fits better"
    )
    assert lines[1].startswith("Towards a staff or principal engineer: more time on design and architecture")
    assert lines[2].startswith("Towards a tech lead: more time on writing code")


def test_compare_json_is_stable_and_complete():
    result = run(EXAMPLE, "--compare", "tech_lead", "engineering_manager", "--json")
    data = json.loads(result.output)
    assert set(data) == {"format", "a", "b", "tied", "tips", "unrated", "sentences"}
    assert data["a"]["role"] == "tech_lead" and data["b"]["role"] == "engineering_manager"
    assert data["tied"] is False and data["tips"][0]["points"] > 0
