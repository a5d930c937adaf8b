"""The numbers behind review load, from data/review_load.yaml with their sources. Pure: no Django."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).parent / "data" / "review_load.yaml"


@dataclass(frozen=True)
class Defaults:
    over_fair: float
    window_weeks: int
    min_weeks: int
    min_team_reviews_per_week: int
    minutes_per_review: int
    estimate_weeks: int
    suggest_min_hours: float
    suggest_min_difference: float
    concentration_share: float
    trend_weeks: int
    sources: dict[str, str]

    def source(self, key: str) -> str:
        return self.sources[key]


WHOLE = ("window_weeks", "min_weeks", "min_team_reviews_per_week", "minutes_per_review", "estimate_weeks",
         "trend_weeks")  # fmt: skip
NUMBERS = ("over_fair", "suggest_min_hours", "suggest_min_difference", "concentration_share")


def parse(raw: dict, name: str = DATA_FILE.name) -> Defaults:
    """Check every entry: a positive value, and a source or an estimate with its reason (ValueError naming it)."""
    values, sources = {}, {}
    for key in WHOLE + NUMBERS:
        entry = raw.get(key)
        if not isinstance(entry, dict) or "value" not in entry:
            raise ValueError(f"{name}: {key} needs a value")
        value = entry["value"]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError(f"{name}: {key} must be a positive number, not {value!r}")
        if key in WHOLE and value != int(value):
            raise ValueError(f"{name}: {key} must be a whole number, not {value!r}")
        if entry.get("source"):
            sources[key] = " ".join(str(entry["source"]).split())
        elif entry.get("estimate") and entry.get("reason"):
            sources[key] = "our estimate: " + " ".join(str(entry["reason"]).split())
        else:
            raise ValueError(f"{name}: {key} needs a source, or estimate: true and a reason")
        values[key] = int(value) if key in WHOLE else float(value)
    if values["min_weeks"] > values["window_weeks"]:
        raise ValueError(f"{name}: min_weeks cannot exceed window_weeks")
    if values["concentration_share"] >= 1:
        raise ValueError(f"{name}: concentration_share must be a share below 1")
    return Defaults(**values, sources=sources)


@functools.cache
def load_defaults() -> Defaults:
    return parse(yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")) or {})
