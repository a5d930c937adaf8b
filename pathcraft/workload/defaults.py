"""Defaults for the stored side of workload (pulses, windows) from data/survey.yaml. Pure: no Django."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from pathcraft.datafile import whole_numbers

DATA_FILE = Path(__file__).parent / "data" / "survey.yaml"


@cache
def survey_defaults() -> dict[str, int]:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    out = {}
    for key in ("pulse_months", "incident_window_weeks"):
        entry = raw[key]
        if "source" not in entry and not entry.get("estimate"):
            raise ValueError(f"{DATA_FILE.name}: {key} needs a source or estimate: true")
        out[key] = int(entry["value"])
    return out


FEEDS_FILE = Path(__file__).parent / "data" / "feeds.yaml"
FEED_KEYS = (
    "default_interval_minutes", "min_interval_minutes", "timeout_seconds", "max_bytes", "max_redirects",
    "failures_before_pause", "caldav_window_days_back", "caldav_window_days_ahead",
)  # fmt: skip


def feed_defaults(environ: dict[str, str] | None = None) -> dict[str, int]:
    """The feed limits of data/feeds.yaml, each overridable by PATHCRAFT_FEED_<NAME> (a positive integer)."""
    return whole_numbers(FEEDS_FILE, FEED_KEYS, "FEED", environ)
