"""Defaults for the stored side of workload (pulses, windows) from data/survey.yaml. Pure: no Django."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

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
