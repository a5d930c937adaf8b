"""The method's default numbers, read once from data/truckfactor.yaml (each with its source there)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from pathcraft.datafile import whole_numbers
from pathcraft.errors import InputError

DATA_FILE = Path(__file__).parent / "data" / "truckfactor.yaml"
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@dataclass(frozen=True)
class Defaults:
    """Constants of the DOA / truck-factor method and of the recency and timing options."""

    doa_base: float
    doa_first_authorship: float
    doa_deliveries: float
    doa_acceptances: float
    normalized_threshold: float
    absolute_threshold: float
    author_rule: str
    coverage_threshold: float
    rename_limit: int
    decay_tau_days: float
    decay_window_days: float
    idle_days_suggested: int
    module_depth: int
    successors_per_file: int
    work_start_hour: int
    work_end_hour: int
    night_start_hour: int
    night_end_hour: int
    weekend_days: tuple[int, ...]
    bot_patterns: tuple[str, ...]


@functools.cache
def load_defaults(path: Path = DATA_FILE) -> Defaults:
    """Read and check the data file; a broken file is an InputError naming the key."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        weights = raw["doa_weights"]["value"]
        defaults = Defaults(
            doa_base=float(weights["base"]),
            doa_first_authorship=float(weights["first_authorship"]),
            doa_deliveries=float(weights["deliveries"]),
            doa_acceptances=float(weights["acceptances"]),
            normalized_threshold=float(raw["normalized_doa_threshold"]["value"]),
            absolute_threshold=float(raw["absolute_doa_threshold"]["value"]),
            author_rule=str(raw["author_rule"]["value"]),
            coverage_threshold=float(raw["coverage_threshold"]["value"]),
            rename_limit=int(raw["rename_limit"]["value"]),
            decay_tau_days=float(raw["decay"]["tau_days"]),
            decay_window_days=float(raw["decay"]["window_days"]),
            idle_days_suggested=int(raw["idle_days"]["suggested"]),
            module_depth=int(raw["module_depth"]["value"]),
            successors_per_file=int(raw["successors_per_file"]["value"]),
            work_start_hour=int(raw["working_hours"]["start_hour"]),
            work_end_hour=int(raw["working_hours"]["end_hour"]),
            night_start_hour=int(raw["night_hours"]["start_hour"]),
            night_end_hour=int(raw["night_hours"]["end_hour"]),
            weekend_days=tuple(WEEKDAYS.index(d) for d in raw["weekend_days"]["value"]),
            bot_patterns=tuple(str(p) for p in raw["bots"]["patterns"]),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: broken truck-factor data file ({type(exc).__name__}: {exc})") from exc
    if defaults.author_rule not in ("reference", "paper"):
        raise InputError(f"{path}: author_rule must be 'reference' or 'paper', not {defaults.author_rule!r}")
    if not 0 < defaults.coverage_threshold <= 1 or not 0 < defaults.normalized_threshold <= 1:
        raise InputError(f"{path}: thresholds must lie in (0, 1]")
    return defaults


REMOTES_FILE = Path(__file__).parent / "data" / "remotes.yaml"
REMOTE_KEYS = (
    "default_interval_minutes",
    "min_interval_minutes",
    "clone_timeout_seconds",
    "fetch_timeout_seconds",
)


def remote_defaults(environ: dict[str, str] | None = None) -> dict[str, int]:
    """data/remotes.yaml, each value overridable by PATHCRAFT_REMOTE_<NAME>."""
    return whole_numbers(REMOTES_FILE, REMOTE_KEYS, "REMOTE", environ)
