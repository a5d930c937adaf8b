"""Degree of authorship (Fritz et al. 2010 as used by Avelino et al. 2016) and who counts as a file's author."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from pathcraft.code.defaults import Defaults

REFERENCE_RULE = "reference"
PAPER_RULE = "paper"


@dataclass(frozen=True)
class Contribution:
    """A developer's history on one file: created it (FA, 0..1 with decay), and their changes (DL)."""

    created: float
    deliveries: float


@dataclass(frozen=True)
class Authorship:
    """A developer's DOA on one file and whether it makes them an author."""

    developer: int
    doa: float
    normalized: float
    created: bool
    deliveries: float
    acceptances: float
    is_author: bool


def degree_of_authorship(created: float, deliveries: float, acceptances: float, d: Defaults) -> float:
    """DOA = 3.293 + 1.098*FA + 0.164*DL - 0.321*ln(1 + AC)."""
    return (
        d.doa_base
        + d.doa_first_authorship * created
        + d.doa_deliveries * deliveries
        - d.doa_acceptances * math.log1p(acceptances)
    )


def file_authorships(contributions: Mapping[int, Contribution], d: Defaults, rule: str) -> list[Authorship]:
    """Every contributor's DOA on one file, strongest first (ties by developer index).

    AC is the file's changes by everyone else (the creating ADD is not a change). An author has DOA / max DOA
    strictly above 0.75 and, under the reference rule, DOA >= 3.293 or added the file; the paper's rule asks
    DOA >= 3.293 of everyone. A file whose best DOA is not positive has no author (the reference tool never
    records a best authorship then).
    """
    total = sum(c.deliveries for c in contributions.values())
    raw = []
    for dev, contrib in contributions.items():
        acceptances = max(0.0, total - contrib.deliveries)
        raw.append(
            (
                dev,
                contrib,
                acceptances,
                degree_of_authorship(contrib.created, contrib.deliveries, acceptances, d),
            )
        )
    best = max((doa for *_, doa in raw), default=0.0)
    result = []
    for dev, contrib, acceptances, doa in raw:
        normalized = doa / best if best > 0 else 0.0
        absolute_ok = doa >= d.absolute_threshold or (rule == REFERENCE_RULE and contrib.created > 0)
        result.append(
            Authorship(
                developer=dev,
                doa=doa,
                normalized=normalized,
                created=contrib.created > 0,
                deliveries=contrib.deliveries,
                acceptances=acceptances,
                is_author=best > 0 and normalized > d.normalized_threshold and absolute_ok,
            )
        )
    result.sort(key=lambda a: (-a.doa, a.developer))
    return result
