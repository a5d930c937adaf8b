"""Tasks used by the worker tests: slow enough to be interrupted, with a visible effect."""

import time
from pathlib import Path

from django_tasks import task


@task()
def slow_write(path: str, seconds: float) -> str:
    # A marker the test can poll cheaply: asking the database from a new process takes seconds on a busy machine.
    Path(path + ".started").write_text("started")
    time.sleep(seconds)
    Path(path).write_text("done")
    return "done"
