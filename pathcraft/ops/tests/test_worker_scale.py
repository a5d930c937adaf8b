"""Several `pathcraft worker` processes against one database: each job runs once, a killed worker's job is taken
over after its lease, SIGTERM finishes the job in hand, a job that keeps failing is parked with its error.

Real worker processes on a database of their own (a SQLite file, and a PostgreSQL database created for the module
when PATHCRAFT_DATABASE_URL points at PostgreSQL). Short leases through the environment keep them fast.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
PY = sys.executable
LEASE = 2.0  # seconds, for these tests only (PATHCRAFT_JOB_LEASE_SECONDS)

SETUP = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathcraft.settings")
import django; django.setup()
from django.db import connection
from pathcraft.ops.tests.slow_tasks import TEST_TABLES
with connection.cursor() as cursor:
    for statement in TEST_TABLES:
        cursor.execute(statement)
"""

ENQUEUE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathcraft.settings")
import django; django.setup()
from pathcraft.ops.tests import slow_tasks
ids = [str(getattr(slow_tasks, name).enqueue(*args).id) for name, args in json.loads(sys.argv[1])]
print(" ".join(ids))
"""

WIPE = [
    "DELETE FROM ops_joblease",
    "DELETE FROM django_tasks_database_dbtaskresult",
    "DELETE FROM ops_workerheartbeat",
    "DELETE FROM ops_test_tally",
    "DELETE FROM ops_test_rows",
]


class QueueDatabase:
    """A migrated database for worker processes, with plain-SQL access for the test's own checks."""

    def __init__(self, url: str, data_dir: Path) -> None:
        self.url = url
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PATHCRAFT_")}
        self.env.update(
            PATHCRAFT_DATABASE_URL=url,
            PATHCRAFT_DATA_DIR=str(data_dir),
            PATHCRAFT_JOB_LEASE_SECONDS=str(LEASE),
            PATHCRAFT_JOB_RETRY_DELAY_SECONDS="0.1",
            PATHCRAFT_JOB_MAX_ATTEMPTS="3",
        )

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        if self.url.startswith("sqlite"):
            with sqlite3.connect(urlsplit(self.url).path, timeout=30) as db:
                return db.execute(query.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as db:
            cursor = db.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def run(self, *args: str, script: str | None = None) -> str:
        argv = [PY, "-c", script, *args] if script else [PY, "-m", "pathcraft.cli.main", *args]
        done = subprocess.run(argv, env=self.env, capture_output=True, text=True, cwd=ROOT, timeout=180)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def enqueue(self, *jobs: tuple[str, list]) -> list[str]:
        return self.run(json.dumps(jobs), script=ENQUEUE).split()

    def worker(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [PY, "-m", "pathcraft.cli.main", "worker", "--interval", "0.1", "--no-schedule", *args],
            env=self.env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip

    def job(self, result_id: str) -> dict:
        status, workers, value = self.sql(
            "SELECT status, worker_ids, return_value FROM django_tasks_database_dbtaskresult WHERE id = %s",
            (result_id if self.url.startswith("postgres") else result_id.replace("-", ""),),
        )[0]
        lease = self.sql(
            "SELECT attempts, lease_until, last_error, parked_at FROM ops_joblease WHERE result_id = %s",
            (result_id if self.url.startswith("postgres") else result_id.replace("-", ""),),
        )
        sqlite = self.url.startswith("sqlite")  # it gives JSON columns as text; psycopg decodes them

        def loads(value):
            return json.loads(value) if sqlite and value is not None else value

        found = {"status": status, "worker_ids": loads(workers), "return_value": loads(value)}
        if lease:
            found.update(zip(("attempts", "lease_until", "last_error", "parked_at"), lease[0], strict=True))
        return found


def _postgres_url(name: str) -> str | None:
    url = os.environ.get("PATHCRAFT_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def queue_db(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"queue-{request.param}")
    dropped = None
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'jobs.sqlite3'}"
    else:
        name = f"pathcraft_jobs_{uuid.uuid4().hex[:10]}"
        url = _postgres_url(name)
        if url is None:
            pytest.skip(
                "PostgreSQL run: set PATHCRAFT_DATABASE_URL=postgres://... to run these tests on it too"
            )
        import psycopg

        admin = _postgres_url("postgres")
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        dropped = (admin, name)
    database = QueueDatabase(url, folder)
    database.run("migrate")
    database.run(script=SETUP)
    yield database
    if dropped:
        import psycopg

        with psycopg.connect(dropped[0], autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{dropped[1]}" WITH (FORCE)')


@pytest.fixture
def queue(queue_db, tmp_path):
    for statement in WIPE:
        queue_db.sql(statement)
    queue_db.markers = tmp_path
    return queue_db


def _wait_for(condition, what: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting until {what}")


def _stop(*workers: subprocess.Popen) -> list[str]:
    outputs = []
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            out, _ = worker.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            out, _ = worker.communicate()
        outputs.append(out or "")
    return outputs


def test_two_workers_run_each_of_fifty_jobs_exactly_once(queue):
    ids = queue.enqueue(*[("tally", [f"job-{n}", 0.02]) for n in range(50)])
    workers = [queue.worker(), queue.worker()]
    try:
        _wait_for(lambda: queue.sql("SELECT COUNT(*) FROM ops_test_tally")[0][0] == 50, "all 50 jobs counted")
        _wait_for(
            lambda: queue.sql(
                "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'"
            )[0][0] == 50,
            "all 50 jobs recorded as successful",
        )  # fmt: skip
    finally:
        outputs = _stop(*workers)
    runs = dict(queue.sql("SELECT job_key, runs FROM ops_test_tally"))
    assert runs == {f"job-{n}": 1 for n in range(50)}, "every job must run exactly once"
    claims = [queue.job(i) for i in ids]
    assert all(len(c["worker_ids"]) == 1 and c["attempts"] == 1 for c in claims)
    holders = {c["worker_ids"][0] for c in claims}
    assert len(holders) == 2, f"both workers must have taken jobs: {holders}\n" + "\n".join(outputs)
    assert all(c["lease_until"] is None for c in claims), "a finished job holds no lease"


def _killed_job_run(queue) -> tuple[dict, list[tuple]]:
    """Run write_rows once with worker A SIGKILLed mid-job; worker B must finish it after the lease."""
    (job_id,) = queue.enqueue(("write_rows", ["killed", 5, 2.0, str(queue.markers)]))
    first = queue.worker()
    second = None
    try:
        _wait_for(lambda: (queue.markers / "killed.started.1").exists(), "worker A started the job")
        second = queue.worker()  # only now: B must not have been able to claim the job before A did
        first.kill()  # SIGKILL: no clean-up, the claim stays RUNNING until its lease runs out
        first.wait(timeout=30)
        assert not (queue.markers / "killed.done.1").exists(), "the job was meant to be killed mid-way"
        _wait_for(lambda: (queue.markers / "killed.done.1").exists(), "worker B finished the job")
        assert (queue.markers / "killed.started.2").exists(), "B ran the job from the start again"
        _wait_for(lambda: queue.job(job_id)["status"] == "SUCCESSFUL", "the job recorded as successful")
    finally:
        first.kill()
        output = _stop(second)[0] if second else ""
    job = queue.job(job_id)
    assert job["attempts"] == 2, output
    assert len(job["worker_ids"]) == 2 and job["worker_ids"][0] != job["worker_ids"][1], job
    assert "stopped renewing its lease" in job["last_error"]
    return job, queue.sql("SELECT item, square FROM ops_test_rows WHERE job_key = 'killed' ORDER BY item")


def test_a_sigkilled_workers_job_finishes_on_the_other_worker_with_the_same_result(queue):
    killed, killed_rows = _killed_job_run(queue)
    (clean_id,) = queue.enqueue(("write_rows", ["clean", 5, 0.1, str(queue.markers)]))
    worker = queue.worker("--batch")
    worker.communicate(timeout=120)
    assert worker.returncode == 0
    clean = queue.job(clean_id)
    clean_rows = queue.sql("SELECT item, square FROM ops_test_rows WHERE job_key = 'clean' ORDER BY item")
    assert clean["attempts"] == 1 and clean["status"] == "SUCCESSFUL"
    assert killed["return_value"] == clean["return_value"] == {"rows": 5, "sum_of_squares": 30}
    assert killed_rows == clean_rows == [(i, i * i) for i in range(5)], "no duplicate or missing rows"


def test_sigterm_finishes_the_job_in_hand_and_claims_nothing_more(queue):
    in_hand, waiting = queue.enqueue(
        ("write_rows", ["in-hand", 4, 1.5, str(queue.markers)]), ("tally", ["waiting", 0.0])
    )
    worker = queue.worker()
    try:
        _wait_for(lambda: (queue.markers / "in-hand.started.1").exists(), "the worker started the first job")
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    finished = queue.job(in_hand)
    assert finished["status"] == "SUCCESSFUL" and finished["attempts"] == 1, output
    assert queue.job(waiting)["status"] == "READY", "the queued job must be left for the next worker"
    assert queue.job(waiting)["worker_ids"] == []
    assert queue.sql("SELECT COUNT(*) FROM ops_test_tally")[0][0] == 0


def test_a_job_that_keeps_failing_is_parked_with_its_error_shown_by_the_cli(queue):
    retried, bad_input = queue.enqueue(
        ("fail_with", ["fetching https://cal.example/feed?token=s3cret failed", False]),
        ("fail_with", ["the file has no BEGIN:VCALENDAR line", True]),
    )
    worker = queue.worker("--max-tasks", "4")  # 3 attempts of the first, 1 of the second, then it exits
    output, _ = worker.communicate(timeout=120)
    assert worker.returncode == 0, output
    parked = queue.job(retried)
    assert parked["status"] == "FAILED" and parked["attempts"] == 3 and parked["parked_at"] is not None
    assert queue.job(bad_input)["attempts"] == 1, "bad input is parked at once: a retry gives the same error"
    listed = {job["id"]: job for job in json.loads(queue.run("jobs", "--state", "parked", "--json"))}
    assert set(listed) == {retried, bad_input}
    assert listed[retried]["error"] == "ValueError: fetching <url> failed", (
        "no feed URL or token in the error"
    )
    assert listed[bad_input]["error"].endswith("the file has no BEGIN:VCALENDAR line")
    assert listed[retried]["attempts"] == 3 and listed[retried]["max_attempts"] == 3
    text = queue.run("jobs", "--state", "parked")
    assert "parked" in text and "ValueError: fetching <url> failed" in text and "s3cret" not in text
