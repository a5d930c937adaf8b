"""Tasks used by the worker tests: slow enough to be interrupted, with a visible effect."""

import os
import time
from pathlib import Path

from django.db import connection, transaction
from django_tasks import task


@task()
def slow_write(path: str, seconds: float) -> str:
    # A marker the test can poll cheaply: asking the database from a new process takes seconds on a busy machine.
    Path(path + ".started").write_text("started")
    time.sleep(seconds)
    Path(path).write_text("done")
    return "done"


# Tables the worker tests create for these tasks (plain SQL: the tests are not an app with migrations).
TEST_TABLES = (
    "CREATE TABLE IF NOT EXISTS ops_test_tally (job_key VARCHAR(100) PRIMARY KEY, runs INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS ops_test_rows (job_key VARCHAR(100) NOT NULL, item INTEGER NOT NULL, "
    "square INTEGER NOT NULL)",
)


def _marker(folder: str, key: str, what: str) -> None:
    # One file per attempt, created exclusively: the tests count attempts and see where a job is without asking
    # the database from a new process (seconds on a busy machine).
    for attempt in range(1, 100):
        try:
            with open(Path(folder) / f"{key}.{what}.{attempt}", "x") as handle:
                handle.write(str(os.getpid()))
            return
        except FileExistsError:
            continue


@task()
def tally(key: str, seconds: float = 0.0) -> str:
    """Count one run of KEY in ops_test_tally: a second run of the same job would show as runs = 2."""
    time.sleep(seconds)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ops_test_tally (job_key, runs) VALUES (%s, 1) "
            "ON CONFLICT (job_key) DO UPDATE SET runs = ops_test_tally.runs + 1",
            [key],
        )
    return f"{key} counted"


@task()
def write_rows(key: str, rows: int, seconds: float, folder: str) -> dict:
    """A job written the idempotent way: work (slow, reporting progress), then all its rows in one transaction."""
    from pathcraft.ops import jobs

    _marker(folder, key, "started")
    squares = []
    for item in range(rows):
        time.sleep(seconds / rows)
        squares.append((item, item * item))
        jobs.report_progress()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ops_test_rows WHERE job_key = %s", [key])
        cursor.executemany(
            "INSERT INTO ops_test_rows (job_key, item, square) VALUES (%s, %s, %s)",
            [(key, item, square) for item, square in squares],
        )
    _marker(folder, key, "done")
    return {"rows": rows, "sum_of_squares": sum(square for _, square in squares)}


@task()
def fail_with(message: str, bad_input: bool = False) -> None:
    """Always fails: with BAD_INPUT as a PathcraftError (parked at once), else as a ValueError (retried)."""
    from pathcraft.errors import InputError

    raise (InputError if bad_input else ValueError)(message)
