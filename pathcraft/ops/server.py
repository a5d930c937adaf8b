"""The production web server: gunicorn with pathcraft's defaults (ops/data/server.yaml) and JSON access logs."""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

import yaml

from pathcraft.errors import InputError

DATA_FILE = Path(__file__).parent / "data" / "server.yaml"


@cache
def defaults() -> dict:
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


def _from_env(name: str, fallback: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return fallback
    if not raw.isdigit() or int(raw) < 1:
        raise InputError(f"{name} must be a whole number of 1 or more, not {raw!r}")
    return int(raw)


def worker_count(cores: int | None = None) -> int:
    entry = defaults()["workers_per_core"]
    cores = cores or os.cpu_count() or 1
    return _from_env(entry["env"], entry["value"] * cores + entry["plus"])


def thread_count() -> int:
    entry = defaults()["threads"]
    return _from_env(entry["env"], entry["value"])


def gunicorn_argv(host: str, port: int, workers: int | None = None, threads: int | None = None) -> list[str]:
    """The gunicorn command line `pathcraft serve --production` runs (what the systemd unit runs too)."""
    graceful = defaults()["graceful_timeout_seconds"]
    return [
        sys.executable, "-m", "gunicorn", "pathcraft.wsgi:application",
        "--bind", f"{host}:{port}",
        "--workers", str(workers or worker_count()),
        "--threads", str(threads or thread_count()),
        "--worker-class", "gthread",
        "--graceful-timeout", str(_from_env(graceful["env"], graceful["value"])),
        "--access-logfile", "-",
        "--error-logfile", "-",
        "--logger-class", "pathcraft.ops.gunicorn_log.JsonLogger",
        "--forwarded-allow-ips", os.environ.get("PATHCRAFT_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]  # fmt: skip
