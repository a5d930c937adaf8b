"""Numbers from a data file, each with its source, each overridable by an environment variable. Pure: no Django.

The file maps a name to `{value: N, source: "..."}`; `PATHCRAFT_<PREFIX>_<NAME>` replaces the value. A missing
source or a value that is not a positive whole number fails loudly at start-up, naming the file or the variable.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml


@functools.cache
def _read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def whole_numbers(path: Path, keys: Iterable[str], env_prefix: str,
                  environ: Mapping[str, str] | None = None) -> dict[str, int]:  # fmt: skip
    """KEYS of the data file at PATH as positive integers, after PATHCRAFT_<ENV_PREFIX>_<KEY> overrides."""
    environ = os.environ if environ is None else environ
    raw = _read(path)
    out = {}
    for key in keys:
        entry = raw.get(key) or {}
        if "value" not in entry or not entry.get("source"):
            raise ValueError(f"{path.name}: {key} needs a value and a source")
        name = f"PATHCRAFT_{env_prefix}_{key.upper()}"
        override = environ.get(name, "").strip()
        value = override or entry["value"]
        if not str(value).isdigit() or int(value) <= 0:
            raise ValueError(f"{name if override else path.name + ': ' + key} must be a positive whole number, "
                             f"not {value!r}")  # fmt: skip
        out[key] = int(value)
    return out
