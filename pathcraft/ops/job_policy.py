"""What happens to a background job after an attempt: the lease and retry rules, as plain data and functions.

No Django here: pathcraft/ops/jobs.py applies these rules to the queue's rows, and reads the numbers from
data/jobs.yaml (overridable by the environment) through `load_policy`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).parent / "data" / "jobs.yaml"
FIELDS = ("lease_seconds", "max_attempts", "retry_delay_seconds", "stalled_after_seconds")


class PolicyError(ValueError):
    """data/jobs.yaml or an override in the environment is not a usable number."""


@dataclass(frozen=True)
class JobPolicy:
    lease_seconds: float
    max_attempts: int
    retry_delay_seconds: float
    stalled_after_seconds: float

    @property
    def renew_every(self) -> float:
        """How often a worker renews the lease of its job in hand: four renewals per lease."""
        return self.lease_seconds / 4

    def after_failure(self, attempts: int, permanent: bool) -> str:
        """ "retry" or "park", after attempt number ATTEMPTS failed (PERMANENT: bad input, the same again)."""
        return "park" if permanent or attempts >= self.max_attempts else "retry"

    def retry_delay(self, attempts: int) -> float:
        """Seconds to wait before the next try after a failed attempt number ATTEMPTS (linear back-off)."""
        return self.retry_delay_seconds * max(1, attempts)


def _number(name: str, raw, source: str) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise PolicyError(f"{source}: {name} must be a number, not {raw!r}") from None
    if isinstance(raw, bool) or not value > 0 or value != value or value == float("inf"):
        raise PolicyError(f"{source}: {name} must be a positive number, not {raw!r}")
    return value


def load_policy(text: str, environ: Mapping[str, str], source: str = "jobs.yaml") -> JobPolicy:
    """The policy from the data file's TEXT, each value replaced by its environment variable when that is set."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PolicyError(f"{source}: not valid YAML ({exc})") from None
    values = {}
    for name in FIELDS:
        entry = data.get(name) if isinstance(data, dict) else None
        if not isinstance(entry, dict) or "value" not in entry or "env" not in entry or "reason" not in entry:
            raise PolicyError(f"{source}: {name} needs a value, an env and a reason")
        raw, where = entry["value"], source
        if environ.get(entry["env"], "").strip():
            raw, where = environ[entry["env"]].strip(), f"environment variable {entry['env']}"
        values[name] = _number(name, raw, where)
    if values["max_attempts"] != int(values["max_attempts"]):
        raise PolicyError(f"{source}: max_attempts must be a whole number")
    values["max_attempts"] = int(values["max_attempts"])
    return JobPolicy(**values)


def default_policy() -> JobPolicy:
    return load_policy(DATA_FILE.read_text(encoding="utf-8"), os.environ, str(DATA_FILE))


_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://\S+")
_SECRET = re.compile(r"(?i)\b(token|password|secret|key|authorization)\b(\s*[=:]\s*|\s+)\S+")


def one_line_error(traceback_text: str, limit: int = 300) -> str:
    """The last line of a traceback ("ValueError: ..."), with URLs and token-like values blanked: errors are
    shown on pages, the API and the CLI, and a calendar feed URL or a password must not reach them."""
    lines = [line.strip() for line in (traceback_text or "").splitlines() if line.strip()]
    text = lines[-1] if lines else "unknown error"
    text = _URL.sub("<url>", text)
    text = _SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}<hidden>", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
