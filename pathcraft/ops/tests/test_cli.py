"""The `pathcraft` command as a user runs it: a real process, help everywhere, errors in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXPECTED = {
    "serve",
    "migrate",
    "demo",
    "export",
    "restore",
    "worker",
    "token",
    "manage",
    "check",
    "import",
    "people",
    "status",
}


def run(*args, env=None, cwd=None):
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PATHCRAFT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "pathcraft.cli.main", *args], capture_output=True, text=True, env=full_env,
        cwd=cwd, timeout=120,
    )  # fmt: skip


def _commands():
    from pathcraft.cli.main import cli

    for name, command in cli.commands.items():
        yield [name]
        for sub in getattr(command, "commands", {}):
            yield [name, sub]


def test_help_lists_every_command():
    result = run("--help")
    assert result.returncode == 0
    listed = {line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()}
    assert EXPECTED <= listed


@pytest.mark.parametrize("words", list(_commands()), ids=lambda w: " ".join(w))
def test_every_command_has_help(words):
    from click.testing import CliRunner

    from pathcraft.cli.main import cli

    result = CliRunner().invoke(cli, [*words, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and len(result.output.splitlines()) >= 3


def _db_env(tmp_path: Path) -> dict[str, str]:
    return {
        "PATHCRAFT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "PATHCRAFT_DATA_DIR": str(tmp_path),
    }


@pytest.mark.parametrize(
    "args,message",
    [
        (["restore", "missing.json"], "error: missing.json: no such file"),
        (["people", "list", "--as", "nobody@x.test"], "error: no person with an account has the email"),
        (["token", "create", "ghost"], "error: no user named 'ghost'"),
        (["import", "people", "missing.csv"], "does not exist"),
    ],
)
def test_errors_are_one_line(tmp_path, args, message):
    env = _db_env(tmp_path)
    run("migrate", env=env, cwd=tmp_path)
    result = run(*args, env=env, cwd=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) <= 3


def test_import_refuses_bad_csv_in_one_message_per_row(tmp_path):
    env = _db_env(tmp_path)
    csv = tmp_path / "people.csv"
    csv.write_text("name,email,manager_email,timezone\nA,a@x.test,,Bad/Zone\nB,b@x.test,zed@x.test,UTC\n")
    run("migrate", env=env, cwd=tmp_path)
    result = run("import", "people", str(csv), env=env, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        "line 2: time zone 'Bad/Zone'" in result.stderr
        and "line 3: unknown manager zed@x.test" in result.stderr
    )
    good = tmp_path / "good.csv"
    good.write_text("name,email,manager_email,timezone\nA,a@x.test,,UTC\nB,b@x.test,a@x.test,Asia/Tokyo\n")
    result = run("import", "people", str(good), env=env, cwd=tmp_path)
    assert result.returncode == 0 and "2 created" in result.stdout


def test_demo_export_restore_via_cli(tmp_path):
    env = _db_env(tmp_path)
    assert run("demo", env=env, cwd=tmp_path).returncode == 0
    listed = run(
        "people",
        "list",
        "--as",
        "sam.rivera@demo.pathcraft.test",
        "--team",
        "platform",
        env=env,
        cwd=tmp_path,
    )
    assert listed.returncode == 0 and len(listed.stdout.strip().splitlines()) == 14
    backup = tmp_path / "backup.json"
    assert run("export", str(backup), env=env, cwd=tmp_path).returncode == 0
    again = run("restore", str(backup), env=env, cwd=tmp_path)
    assert again.returncode == 2 and "restore needs an empty installation" in again.stderr
    fresh = {**env, "PATHCRAFT_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}
    restored = run("restore", str(backup), env=fresh, cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {**_db_env(tmp_path), "PATHCRAFT_PRODUCTION": "1", "PATHCRAFT_SECRET_KEY": "x" * 64 + "-Zq9!k",
           "PATHCRAFT_ALLOWED_HOSTS": "pathcraft.example.org",
           "PATHCRAFT_BACKUP_KEY": "Q2hvb3NlIGEgcmVhbCBrZXkgd2l0aCBwYXRoY3JhZnQ="}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True, text=True, env={k: v for k, v in {**os.environ, **env}.items()
                                             if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        cwd=Path(__file__).resolve().parents[3],
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret(tmp_path):
    env = {**_db_env(tmp_path), "PATHCRAFT_PRODUCTION": "1"}
    env_all = {k: v for k, v in {**os.environ, **env}.items() if k != "PATHCRAFT_SECRET_KEY"}
    result = subprocess.run([sys.executable, "-m", "pathcraft.cli.main", "check"], capture_output=True, text=True,
                            env=env_all, cwd=tmp_path)  # fmt: skip
    assert result.returncode != 0 and "PATHCRAFT_SECRET_KEY" in result.stderr


def test_an_app_cli_imported_first_keeps_its_commands():
    # Apps' cli.py import setup_django from the root module; loading them at its import time lost the first one.
    code = (
        "import pathcraft.growth.cli, pathcraft.code.cli\n"
        "from pathcraft.cli.main import cli\n"
        "print(sorted(n for n in ('growth', 'code', 'workload') if n in cli.commands))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "['code', 'growth', 'workload']", result.stderr


def test_the_command_table_names_the_module_of_every_command():
    import importlib

    from pathcraft.cli.main import COMMAND_MODULES, COMMAND_SOURCES

    for module in COMMAND_MODULES:
        for command in importlib.import_module(module).commands:
            assert module in COMMAND_SOURCES.get(command.name, ()), f"{command.name} from {module}"


@pytest.mark.parametrize("name", ["code", "framework", "growth", "worker"])
def test_one_command_loads_alone_with_all_its_subcommands(name):
    # In a fresh interpreter: only that command's modules are imported, and it has every subcommand.
    code = (
        "import json, sys\n"
        "from pathcraft.cli.main import cli, COMMAND_SOURCES\n"
        f"command = cli.get_command(None, {name!r})\n"
        "subs = sorted(getattr(command, 'commands', {}))\n"
        "loaded = sorted(m for m in sys.modules if m.endswith(('.cli', '.cli_fit', '.cli_framework',"
        " '.cli_calendar', '.cli_overlap')) and m.startswith('pathcraft.'))\n"
        "print(json.dumps(subs)); print(json.dumps(loaded))\n"
    )
    lazy = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    subs, loaded = lazy.stdout.splitlines()
    from pathcraft.cli.main import COMMAND_SOURCES, cli

    full = cli.commands[name]
    assert json.loads(subs) == sorted(getattr(full, "commands", {}))
    assert set(json.loads(loaded)) - {"pathcraft.cli"} == set(COMMAND_SOURCES[name])


def test_migrate_creates_its_data_folder(tmp_path):
    # A new installation: the folder of PATHCRAFT_DATA_DIR does not exist yet (it used to fail with
    # "unable to open database file").
    data = tmp_path / "new" / "dir"
    env = {"PATHCRAFT_DATA_DIR": str(data)}
    env_clean = {k: v for k, v in os.environ.items() if k != "PATHCRAFT_DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "pathcraft.cli.main", "migrate"], capture_output=True, text=True,
        env={**env_clean, **env}, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (data / "pathcraft.sqlite3").is_file()


@pytest.mark.parametrize("size", [100])
def test_demo_size_loads_a_larger_organisation_and_prints_its_logins(tmp_path, size):
    env = _db_env(tmp_path)
    done = run("demo", "--size", str(size), env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "as ceo:" in done.stdout and "as director:" in done.stdout
    refused = run("demo", "--size", "5", env=env, cwd=tmp_path)
    assert refused.returncode == 2 and "5 is not in the range" in refused.stderr


def test_status_says_what_is_missing_and_exits_1(tmp_path):
    env = _db_env(tmp_path)
    assert run("migrate", env=env, cwd=tmp_path).returncode == 0
    done = run("status", env=env, cwd=tmp_path)
    assert done.returncode == 1 and "NOT READY" in done.stdout and "FAIL worker" in done.stdout
    as_json = json.loads(run("status", "--json", env=env, cwd=tmp_path).stdout)
    assert as_json["checks"]["migrations"]["ok"] is True and as_json["ready"] is False
    assert run("worker", "--batch", "--no-schedule", env=env, cwd=tmp_path).returncode == 0
    ready = run("status", env=env, cwd=tmp_path)
    assert ready.returncode == 0 and ready.stdout.startswith("ready"), ready.stdout
