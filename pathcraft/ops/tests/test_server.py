"""`pathcraft serve --production`: a real gunicorn process, JSON access logs without secrets, graceful SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from pathcraft.ops import server
from pathcraft.testing.processes import free_port


@pytest.mark.parametrize(
    "cores,env,expected",
    [(1, {}, 3), (2, {}, 5), (8, {}, 17), (2, {"PATHCRAFT_WEB_WORKERS": "4"}, 4)],
)
def test_workers_default_to_two_per_core_plus_one(monkeypatch, cores, env, expected):
    monkeypatch.delenv("PATHCRAFT_WEB_WORKERS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert server.worker_count(cores) == expected


def test_a_bad_worker_count_is_one_clear_error(monkeypatch):
    from pathcraft.errors import InputError

    monkeypatch.setenv("PATHCRAFT_WEB_WORKERS", "many")
    with pytest.raises(InputError, match="PATHCRAFT_WEB_WORKERS must be a whole number"):
        server.worker_count(2)


def test_gunicorn_serves_logs_json_without_the_token_and_stops_gracefully(tmp_path):
    env = {
        **os.environ,
        "PATHCRAFT_PRODUCTION": "1",
        "PATHCRAFT_SECRET_KEY": "test-" + "k" * 60,
        "PATHCRAFT_ALLOWED_HOSTS": "127.0.0.1",
        "PATHCRAFT_SECURE_SSL_REDIRECT": "0",
        "PATHCRAFT_DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
        "PATHCRAFT_DATA_DIR": str(tmp_path),
    }
    cli = [sys.executable, "-m", "pathcraft.cli.main"]
    subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    web = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", "2", "--threads", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:
                    assert json.loads(response.read()) == {"alive": True}
                    break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer /healthz")
        secret = "s3cr3t-answer-token-abcdefghijklmnop"
        try:
            urllib.request.urlopen(f"{base}/feedback/answer/{secret}/?t={secret}", timeout=5)
        except urllib.error.HTTPError:
            pass  # an unknown token: the page says so; what matters is the log line
        web.send_signal(signal.SIGTERM)
        output, _ = web.communicate(timeout=40)
    finally:
        if web.poll() is None:
            web.kill()
    assert web.returncode == 0, output
    assert "Booting worker" in output or "Listening at" in output  # gunicorn itself, not the dev server
    access = [json.loads(line) for line in output.splitlines() if line.startswith("{") and '"access"' in line]
    assert {line["path"] for line in access} >= {"/healthz", "/feedback/answer/<token>/"}
    assert all(set(line) >= {"method", "path", "status", "ms"} for line in access)
    assert secret not in output
