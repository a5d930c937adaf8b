"""The deployment files in deploy/: systemd units that systemd accepts, commands that exist, an environment file
whose every variable is a documented setting, and proxies that reach the port the web unit listens on."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pathcraft.cli.main import cli
from pathcraft.ops import server

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("pathcraft-*"))
SERVICES = [u for u in UNITS if u.suffix == ".service"]
INSTALLED_CLI = "/opt/pathcraft/bin/pathcraft"
INSTALLED_ENV = "/etc/pathcraft/pathcraft.env"
ENV_EXAMPLE = DEPLOY / "pathcraft.env.example"


def unit_entries(path: Path) -> list[tuple[str, str, str]]:
    """(section, key, value) in file order; systemd allows a key more than once, so no dict."""
    entries, section = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        entries.append((section, key.strip(), value.strip()))
    return entries


def unit_value(path: Path, key: str) -> str:
    values = [v for _, k, v in unit_entries(path) if k == key]
    assert len(values) == 1, f"{path.name}: {key} {values}"
    return values[0]


def pathcraft_invocations(command_line: str) -> list[list[str]]:
    """The pathcraft commands in an Exec line, also inside `/bin/sh -c '...'` (unit-file %% is a literal %)."""
    words = shlex.split(command_line.replace("%%", "%"))
    if words[:2] == ["/bin/sh", "-c"]:
        words = shlex.split(words[2])
        words = words[1:] if words[0] == "exec" else words
    return [words[1:]] if words and words[0] == INSTALLED_CLI else []


def test_there_are_the_web_worker_and_backup_units():
    assert {u.name for u in UNITS} == {
        "pathcraft-web.service",
        "pathcraft-worker@.service",
        "pathcraft-backup.service",
        "pathcraft-backup.timer",
    }


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_accepts_every_unit(tmp_path):
    """`systemd-analyze verify` with the installed paths pointed at this checkout: unknown keys, bad values and
    commands that are not executable are reported (the first only on stderr, so stderr must stay empty)."""
    venv_cli = str(Path(sys.executable).with_name("pathcraft"))
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8")
        (tmp_path / unit.name).write_text(
            text.replace(INSTALLED_CLI, venv_cli).replace(INSTALLED_ENV, str(ENV_EXAMPLE)), encoding="utf-8"
        )
    names = [u.name.replace("@.service", "@1.service") for u in UNITS] + ["pathcraft-worker@2.service"]
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *[str(tmp_path / n) for n in names]],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


def test_systemd_verify_would_catch_a_broken_unit(tmp_path):
    """The check above is not a rubber stamp: a unit whose command does not exist fails it."""
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    broken = tmp_path / "pathcraft-web.service"
    broken.write_text(
        (DEPLOY / "systemd/pathcraft-web.service").read_text().replace(INSTALLED_CLI, "/nope/pc")
    )
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(broken)], capture_output=True, text=True
    )
    assert result.returncode != 0 and "/nope/pc" in result.stderr


@pytest.mark.parametrize("unit", SERVICES, ids=lambda u: u.name)
def test_every_service_runs_as_pathcraft_with_the_environment_file(unit):
    assert unit_value(unit, "User") == "pathcraft"
    assert unit_value(unit, "EnvironmentFile") == INSTALLED_ENV
    for _section, key, value in unit_entries(unit):
        if key.startswith("Exec"):
            assert value.split()[0].startswith("/"), f"{unit.name}: {key} needs an absolute path"


@pytest.mark.parametrize(
    "unit,expected",
    [
        ("pathcraft-web.service", ["serve", "--production"]),
        ("pathcraft-worker@.service", ["worker"]),
        ("pathcraft-backup.service", ["export"]),
    ],
)
def test_the_units_run_real_pathcraft_commands_with_valid_options(unit, expected):
    """Each pathcraft command line parses against the real click command (a misspelt option fails here)."""
    path = DEPLOY / "systemd" / unit
    invocations = [
        inv for _, k, v in unit_entries(path) if k == "ExecStart" for inv in pathcraft_invocations(v)
    ]
    assert len(invocations) == 1, invocations
    args = invocations[0]
    assert args[: len(expected)] == expected
    group_ctx = cli.make_context("pathcraft", [args[0], "--help"], resilient_parsing=True)
    command = cli.get_command(group_ctx, args[0])
    assert command is not None, f"no command {args[0]!r}"
    command.make_context(args[0], args[1:])  # raises click.UsageError on an unknown option or a bad value


def test_the_web_unit_waits_longer_than_gunicorns_graceful_timeout():
    graceful = server.defaults()["graceful_timeout_seconds"]["value"]
    stop = int(unit_value(DEPLOY / "systemd/pathcraft-web.service", "TimeoutStopSec"))
    assert stop > graceful


def test_the_timer_starts_the_backup_service():
    timer = DEPLOY / "systemd/pathcraft-backup.timer"
    assert unit_value(timer, "OnCalendar")
    # A timer starts the service of its own name unless Unit= says otherwise.
    assert not [v for _, k, v in unit_entries(timer) if k == "Unit"]
    assert (DEPLOY / "systemd/pathcraft-backup.service").exists()


def _env_example_names() -> list[str]:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    return re.findall(r"^#?(PATHCRAFT_[A-Z0-9_]+)=", text, flags=re.MULTILINE)


def _readme_configuration_table() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]


def _reads(name: str, package: Path = ROOT / "pathcraft") -> bool:
    """Some Python code reads the variable by name, or a data file names it as a default's `env:`."""
    code = any(f'"{name}"' in p.read_text(encoding="utf-8") for p in package.rglob("*.py"))
    data = any(f"env: {name}\n" in p.read_text(encoding="utf-8") for p in package.rglob("data/*.yaml"))
    return code or data


def test_every_variable_of_the_environment_file_is_a_setting_pathcraft_reads_and_the_readme_documents():
    names = _env_example_names()
    assert len(names) >= 10 and len(names) == len(set(names)), names
    table = _readme_configuration_table()
    unread = [n for n in names if not _reads(n)]
    undocumented = [n for n in names if f"`{n}`" not in table]
    assert unread == [] and undocumented == [], (unread, undocumented)


def test_the_environment_file_is_plain_key_value_lines():
    """systemd's EnvironmentFile= takes KEY=VALUE lines; no `export`, no spaces around =."""
    for number, line in enumerate(ENV_EXAMPLE.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"PATHCRAFT_[A-Z0-9_]+=\S*", line), f"line {number}: {line!r}"


def _web_port() -> str:
    exec_start = unit_value(DEPLOY / "systemd/pathcraft-web.service", "ExecStart")
    words = exec_start.split()
    return f"{words[words.index('--host') + 1]}:{words[words.index('--port') + 1]}"


@pytest.mark.parametrize(
    "proxy,needed",
    [
        (
            "nginx/pathcraft.conf",
            ["proxy_set_header Host $host;", "proxy_set_header X-Forwarded-Proto $scheme;",
             "proxy_set_header X-Forwarded-For", "listen 443 ssl", "return 301 https://"],
        ),
        ("caddy/Caddyfile", ["reverse_proxy"]),
    ],
)  # fmt: skip
def test_the_proxies_forward_to_the_web_unit_with_the_headers_django_needs(proxy, needed):
    text = (DEPLOY / proxy).read_text(encoding="utf-8")
    assert _web_port() in text
    missing = [n for n in needed if n not in text]
    assert missing == []


def test_every_pathcraft_command_in_the_deploy_guide_exists():
    guide = (ROOT / "docs/deploy.md").read_text(encoding="utf-8")
    blocks = "\n".join(re.findall(r"```(?:sh|bash)?\n(.*?)```", guide, flags=re.DOTALL))
    used = set(re.findall(r"(?:^|/bin/|&& |exec )pathcraft ([a-z][a-z-]*)", blocks, flags=re.MULTILINE))
    assert {"migrate", "serve", "worker", "export", "restore", "status"} <= used
    known = set(cli.list_commands(cli.make_context("pathcraft", ["--help"], resilient_parsing=True)))
    assert used - known == set()


def test_the_dockerfile_runs_the_same_tested_commands():
    """CI cannot build images; what the image runs must at least be the commands the smoke test runs."""
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", text, flags=re.MULTILINE).group(1))
    assert cmd[:2] == ["sh", "-c"]
    steps = [shlex.split(step) for step in cmd[2].split("&&")]
    steps = [words[1:] if words[0] == "exec" else words for words in steps]
    assert [words[:2] for words in steps] == [["pathcraft", "migrate"], ["pathcraft", "serve"]]
    serve = steps[1][1:]
    assert "--production" in serve
    ctx = cli.make_context("pathcraft", ["serve", "--help"], resilient_parsing=True)
    cli.get_command(ctx, "serve").make_context("serve", serve[1:])
    assert "PATHCRAFT_PRODUCTION=1" in text
