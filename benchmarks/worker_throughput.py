"""Benchmark: background jobs per second through `pathcraft worker`, one and two processes, against one database.

Enqueues N jobs that each count one run in a table (ops/tests/slow_tasks.py: tally, no sleep), then times
`pathcraft worker --batch` draining them: with 1 worker, with 2 workers at once, and — the floor — django-tasks'
own `db_worker --batch` without pathcraft's leases (what the lease bookkeeping costs per job). Every run checks
that each job ran exactly once.

    .venv/bin/python benchmarks/worker_throughput.py [N]     # a fresh SQLite file
    PATHCRAFT_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_jobs .venv/bin/python benchmarks/worker_throughput.py
        (the PostgreSQL database is created and dropped by the benchmark)
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
SETUP = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathcraft.settings")
import django; django.setup()
from django.db import connection
from pathcraft.ops.tests.slow_tasks import TEST_TABLES, tally
with connection.cursor() as cursor:
    for statement in TEST_TABLES:
        cursor.execute(statement)
    cursor.execute("DELETE FROM ops_test_tally")
for n in range(int(sys.argv[1])):
    tally.enqueue(f"{sys.argv[2]}-{n}")
"""


def sql(url: str, query: str) -> list[tuple]:
    if url.startswith("sqlite"):
        with sqlite3.connect(urlsplit(url).path) as db:
            return db.execute(query).fetchall()
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        cursor = db.execute(query)
        return cursor.fetchall() if cursor.description else []


def run(env, *argv):
    subprocess.run([PY, *argv], env=env, cwd=ROOT, check=True, capture_output=True)


def drain(env, url: str, n: int, label: str, commands: list[list[str]]) -> float:
    run(env, "-c", SETUP, str(n), label)
    start = time.perf_counter()
    procs = [subprocess.Popen([PY, "-m", "pathcraft.cli.main", *c], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for c in commands]  # fmt: skip
    for proc in procs:
        proc.wait()
    seconds = time.perf_counter() - start
    runs = sql(url, "SELECT COUNT(*), MIN(runs), MAX(runs) FROM ops_test_tally")[0]
    if tuple(runs) != (n, 1, 1):
        raise SystemExit(f"{label}: expected {n} jobs each run once, found (count, min, max) = {runs}")
    return seconds


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    base = os.environ.get("PATHCRAFT_DATABASE_URL", "")
    folder = tempfile.mkdtemp(prefix="bench-jobs-")
    dropped = None
    if base.startswith("postgres"):
        import psycopg

        parts = urlsplit(base)
        name = (parts.path.strip("/") or "bench") + "_workers"
        admin, url = urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{name}"))
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{name}"')
        dropped = (admin, name)
    else:
        url = f"sqlite:///{folder}/jobs.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATHCRAFT_")}
    env.update(PATHCRAFT_DATABASE_URL=url, PATHCRAFT_DATA_DIR=folder)
    try:
        run(env, "-m", "pathcraft.cli.main", "migrate")
        worker = ["worker", "--batch", "--no-schedule", "--interval", "0"]
        floor = [
            "manage",
            "db_worker",
            "--batch",
            "--queue-name",
            "*",
            "--no-startup-delay",
            "--interval",
            "0",
        ]
        results = {
            "db_worker (no leases), 1 process": drain(env, url, n, "floor", [floor]),
            "pathcraft worker, 1 process": drain(env, url, n, "one", [worker]),
            "pathcraft worker, 2 processes": drain(env, url, n, "two", [worker, worker]),
        }
    finally:
        if dropped:
            import psycopg

            with psycopg.connect(dropped[0], autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{dropped[1]}" WITH (FORCE)')
    print(
        f"{n} jobs on {url.split(':')[0]} ({os.cpu_count()} cores); each run checked: every job exactly once"
    )
    for label, seconds in results.items():
        print(f"  {label:<36} {seconds:6.2f} s  {n / seconds:7.1f} jobs/s  {1000 * seconds / n:6.2f} ms/job")
    print(json.dumps({k: round(n / v, 1) for k, v in results.items()}))


if __name__ == "__main__":
    main()
