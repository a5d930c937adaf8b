"""The background worker: SIGTERM finishes the job in hand and loses none of the queued ones."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

ENQUEUE = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathcraft.settings")
import django; django.setup()
from pathcraft.ops.tests.slow_tasks import slow_write
first = slow_write.enqueue(sys.argv[1], 8.0)
second = slow_write.enqueue(sys.argv[2], 0.1)
print(first.id, second.id)
"""

STATUS = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathcraft.settings")
import django; django.setup()
from django_tasks_db.models import DBTaskResult
print(" ".join(DBTaskResult.objects.get(id=i).status for i in sys.argv[1:]))
"""


def test_sigterm_finishes_the_running_job_and_keeps_the_queue(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PATHCRAFT_DATABASE_URL"}
    env.update(
        PATHCRAFT_DATABASE_URL=f"sqlite:///{tmp_path / 'jobs.sqlite3'}", PATHCRAFT_DATA_DIR=str(tmp_path)
    )
    py = [sys.executable]
    subprocess.run(
        [*py, "-m", "pathcraft.cli.main", "migrate"], env=env, check=True, capture_output=True, cwd=ROOT
    )
    first_out, second_out = tmp_path / "first.txt", tmp_path / "second.txt"
    ids = subprocess.run([*py, "-c", ENQUEUE, str(first_out), str(second_out)], env=env, check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout.split()  # fmt: skip
    worker = subprocess.Popen([*py, "-m", "pathcraft.cli.main", "worker", "--interval", "0.2"], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        started = Path(str(first_out) + ".started")
        while time.monotonic() < deadline:  # wait until the first job is running
            if started.exists():
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the worker never started the first job")
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    assert first_out.read_text() == "done", "the job in hand must finish"
    status = subprocess.run(
        [*py, "-c", STATUS, *ids], env=env, capture_output=True, text=True, cwd=ROOT
    ).stdout.split()
    assert status == ["SUCCESSFUL", "READY"], "the queued job must still be there for the next worker"
    assert not second_out.exists()
    subprocess.run([*py, "-m", "pathcraft.cli.main", "worker", "--batch"], env=env, check=True, capture_output=True,
                   cwd=ROOT)  # fmt: skip
    assert second_out.read_text() == "done"
