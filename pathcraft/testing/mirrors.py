"""Where tests find fetched public repositories (never part of this project).

PATHCRAFT_GIT_MIRRORS names a folder of mirrors; without it, the folders below are looked at, so the agreement
tests run wherever the mirrors were fetched (the development machines and CI keep them in /work/.mirror). A mirror
of owner/name is `owner+name/repo`, `owner+name`, `name` or `name.git` inside that folder.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_ROOTS = ("/work/.mirror",)


def mirror_roots() -> list[Path]:
    named = os.environ.get("PATHCRAFT_GIT_MIRRORS")
    if named:
        return [Path(named)]
    return [Path(root) for root in DEFAULT_ROOTS if Path(root).is_dir()]


def find_mirror(full_name: str) -> Path | None:
    """The mirror of FULL_NAME (owner/name) in the first root that holds one, or None."""
    owner, name = full_name.split("/")
    for root in mirror_roots():
        for candidate in (
            root / f"{owner}+{name}" / "repo",
            root / f"{owner}+{name}",
            root / name,
            root / f"{name}.git",
        ):
            if candidate.is_dir():
                return candidate
    return None


def where_looked() -> str:
    roots = mirror_roots()
    if not roots:
        return f"PATHCRAFT_GIT_MIRRORS is not set and none of {', '.join(DEFAULT_ROOTS)} exists"
    return "looked in " + ", ".join(str(r) for r in roots)
