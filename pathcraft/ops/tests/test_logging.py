"""Structured logs: JSON lines in production, and no secrets from URLs."""

import json
import os
import subprocess
import sys

from pathcraft.ops.logging import _safe_path

SCRIPT = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathcraft.settings")
import django; django.setup()
import structlog
structlog.get_logger("t").info("hello", answer=42)
"""


def test_json_logs_in_production(tmp_path):
    env = {
        **os.environ,
        "PATHCRAFT_PRODUCTION": "1",
        "PATHCRAFT_SECRET_KEY": "s" * 50,
        "PATHCRAFT_DATA_DIR": str(tmp_path),
    }
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True)
    record = json.loads(out.stderr.strip().splitlines()[-1])
    assert record["event"] == "hello" and record["answer"] == 42 and record["level"] == "info"


def test_readable_logs_in_development(tmp_path):
    env = {**os.environ, "PATHCRAFT_DATA_DIR": str(tmp_path)}
    env.pop("PATHCRAFT_PRODUCTION", None)
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True)
    line = out.stderr.strip().splitlines()[-1]
    assert "hello" in line and "answer=42" in line and not line.startswith("{")


def test_tokens_in_paths_are_not_logged():
    assert _safe_path("/feedback/answer/AbCdEfGhIjKlMnOpQrStUvWx/") == "/feedback/answer/<token>/"
    assert _safe_path("/people/12/") == "/people/12/"


def test_djangos_own_not_found_warning_loses_the_token_too():
    import logging

    from pathcraft.ops.logging import RedactPaths

    token = "a-secret-answer-token-0123456789"
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "%s: %s",
        ("Not Found", f"/feedback/answer/{token}/"),
        None,
    )
    assert RedactPaths().filter(record) is True
    assert record.getMessage() == "Not Found: /feedback/answer/<token>/"
    assert token not in record.getMessage()
