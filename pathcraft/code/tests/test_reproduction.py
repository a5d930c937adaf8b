"""Published truck factors of Avelino et al. (the reference tool's gh-pages table, history to about 2015-02-25).

Fetched repositories are never part of this project: set PATHCRAFT_GIT_MIRRORS to a folder holding mirrors named
`owner+name/repo` or `owner+name` or `name` (bare or not). Without it these tests are skipped, saying why.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from pathcraft.code.analysis import AnalysisOptions, analyze_repository

pytestmark = pytest.mark.mirrors

AS_OF = date(2015, 2, 25)
# repository, published TF (aserg-ufmg/Truck-Factor gh-pages index.html), commit at 2015-02-25 (end of day UTC)
PUBLISHED = [
    ("janl/mustache.js", 1, "d4ba5a19d4d04b139bbf7840fe342bb43930aee3"),
    ("jashkenas/backbone", 2, "e109f6d3e7a366f933f1f34405ca97effecae6c5"),
]


def find_mirror(root: Path, full_name: str) -> Path | None:
    owner, name = full_name.split("/")
    for candidate in (
        root / f"{owner}+{name}" / "repo",
        root / f"{owner}+{name}",
        root / name,
        root / f"{name}.git",
    ):
        if candidate.is_dir():
            return candidate
    return None


@pytest.mark.parametrize(("full_name", "published", "commit"), PUBLISHED)
def test_published_truck_factor(full_name, published, commit):
    root = os.environ.get("PATHCRAFT_GIT_MIRRORS")
    if not root:
        pytest.skip(
            "PATHCRAFT_GIT_MIRRORS is not set: no fetched repositories to reproduce published values with"
        )
    mirror = find_mirror(Path(root), full_name)
    if mirror is None:
        pytest.skip(f"no mirror of {full_name} under {root}")
    analysis = analyze_repository(str(mirror), AnalysisOptions(as_of=AS_OF))
    assert analysis.commit == commit
    assert analysis.truck.truck_factor == published
