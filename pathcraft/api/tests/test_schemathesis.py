"""schemathesis against the API's own OpenAPI schema, as the demo's administrator, manager and engineer.

It mutates data, so it gets its own database (a SQLite file, or on PostgreSQL a database of its own next to the
test database), loaded with the demo by `pathcraft demo` and served by `pathcraft serve` on a free port. Every
account runs the examples, fuzzing and stateful phases (coverage too with PATHCRAFT_FUZZ_COVERAGE=1) with the four
conformance checks; generation is deterministic and bounded (MAX_EXAMPLES per operation), so a run is the same
every time and takes about 25 s per account on the test machine. The three accounts run one after the other in
one test, so parallel workers load the demo once.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from pathcraft.testing.processes import free_port, serving

CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance"
# The coverage phase sends every boundary value of every field (about 4,000 requests an account, 3 minutes on the
# test machine): PATHCRAFT_FUZZ_COVERAGE=1 adds it, as before a release; the suite runs the other three.
PHASES = "examples,fuzzing,stateful" + (
    ",coverage" if os.environ.get("PATHCRAFT_FUZZ_COVERAGE") == "1" else ""
)
MAX_EXAMPLES = int(os.environ.get("PATHCRAFT_FUZZ_EXAMPLES", "3"))
ACCOUNTS = ["admin", "manager", "engineer"]

# `make test` installs schemathesis (the test extras): its absence is a failure, not a skip that hides one.
ST_MISSING = shutil.which("st", path=str(Path(sys.executable).parent)) is None


def _own_database(tmp_path: Path):
    """A database for the fuzzer alone: the suite's PostgreSQL server if the suite runs on one, else SQLite."""
    url = os.environ.get("PATHCRAFT_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_path / 'fuzz.sqlite3'}", None
    import psycopg

    name = f"pathcraft_fuzz_{uuid.uuid4().hex[:12]}"
    base, _, _old = url.rpartition("/")
    admin_url = f"{base}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{name}", drop


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if ST_MISSING:
        pytest.fail("schemathesis's `st` is not installed beside this Python: pip install -e '.[test]'")
    tmp_path = tmp_path_factory.mktemp("fuzz")
    database, drop = _own_database(tmp_path)
    env = {**os.environ, "PATHCRAFT_DATABASE_URL": database, "PATHCRAFT_DATA_DIR": str(tmp_path / "data"),
           "PATHCRAFT_PRODUCTION": "0", "DJANGO_SETTINGS_MODULE": "pathcraft.settings"}  # fmt: skip
    cli = [sys.executable, "-m", "pathcraft.cli.main"]
    try:
        demo = subprocess.run([*cli, "demo"], env=env, capture_output=True, text=True, timeout=300)
        assert demo.returncode == 0, demo.stderr[-2000:]
        logins = dict(re.findall(r"as (\w+):\s+(\S+)", demo.stdout))
        assert set(logins) == set(ACCOUNTS), demo.stdout
        tokens = {}
        for account in ACCOUNTS:
            made = subprocess.run([*cli, "token", "create", logins[account], "--name", "schemathesis"], env=env,
                                  capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
            tokens[account] = re.search(r"pc_\S+", made.stdout).group(0)
        port = free_port()
        log = tmp_path / "serve.log"
        with serving(
            [*cli, "serve", "--port", str(port)], port, "pathcraft serve", timeout=60, env=env, log=log
        ):
            yield f"http://127.0.0.1:{port}", tokens, tmp_path
    finally:
        if drop is not None:
            drop()


def test_schemathesis_finds_nothing_as_admin_manager_and_engineer(served):
    failures = [found for account in ACCOUNTS if (found := _fuzz(served, account))]
    assert not failures, "\n\n".join(failures)


def _fuzz(served, account: str) -> str:
    """schemathesis's report of what failed for ACCOUNT, or "" when nothing did."""
    base, tokens, tmp_path = served
    st = str(Path(sys.executable).parent / "st")
    command = [
        st, "run", f"{base}/api/openapi.json",
        "--header", f"Authorization: Bearer {tokens[account]}",
        "--checks", CHECKS, "--phases", PHASES,
        "--max-examples", str(MAX_EXAMPLES), "--generation-deterministic",
        "--workers", "2", "--no-color", "--request-timeout", "30",
        "--report", "junit", "--report-dir", str(tmp_path / f"report-{account}"),
    ]  # fmt: skip
    run = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
    )  # in tmp_path: schemathesis keeps a .schemathesis folder in its working directory
    if run.returncode != 0:
        # The failures (with a curl command each) come first and the summary last: keep both ends.
        out = run.stdout if len(run.stdout) <= 12000 else f"{run.stdout[:8000]}\n[...]\n{run.stdout[-4000:]}"
        return f"schemathesis as {account} found failures:\n{out}\n{run.stderr[-2000:]}"
    if not re.search(r"Tested: [1-9]", run.stdout):
        return f"schemathesis as {account} tested nothing:\n{run.stdout[-3000:]}"
    return ""
