"""Degree of authorship (Fritz et al. 2010 as used by Avelino et al. 2016) and who counts as a file's author."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from pathcraft.code.defaults import Defaults

REFERENCE_RULE = "reference"
PAPER_RULE = "paper"


class Contribution(NamedTuple):
    """A developer's history on one file: created it (FA, 0..1 with decay), and their changes (DL)."""

    created: float
    deliveries: float


class Authorship(NamedTuple):
    """A developer's DOA on one file and whether it makes them an author (immutable; cheap to make by the thousand)."""

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


def doa_scores(
    created: Sequence[float], deliveries: Sequence[float], d: Defaults
) -> tuple[list[float], list[float], float]:
    """For contributors given as parallel lists (FA, DL): each one's DOA and AC, and the file's total changes.

    AC is the file's changes by everyone else (the creating ADD is not a change). Every file's DOA is computed here
    (the formula of `degree_of_authorship`), so a cached figure and a recomputed one are bit-identical."""
    total = sum(deliveries)
    base, first, changes, others = d.doa_base, d.doa_first_authorship, d.doa_deliveries, d.doa_acceptances
    log1p = math.log1p
    acceptances = [rest if (rest := total - mine) > 0.0 else 0.0 for mine in deliveries]
    doas = [
        base + first * fa + changes * dl - others * log1p(ac)
        for fa, dl, ac in zip(created, deliveries, acceptances, strict=True)
    ]
    return doas, acceptances, total


def scored_contributions(
    contributions: Mapping[int, Contribution], d: Defaults
) -> tuple[list[tuple[int, Contribution, float, float]], float]:
    """(developer, contribution, AC, DOA) for every contributor, and the best DOA (0 when there is none)."""
    items = list(contributions.items())
    doas, acceptances, _ = doa_scores([c.created for _, c in items], [c.deliveries for _, c in items], d)
    raw = [(dev, c, ac, doa) for (dev, c), ac, doa in zip(items, acceptances, doas, strict=True)]
    return raw, max(doas, default=0.0)


def is_author(doa: float, created: float, best: float, d: Defaults, rule: str) -> bool:
    """DOA / max DOA strictly above 0.75 and, under the reference rule, DOA >= 3.293 or added the file; the paper's
    rule asks DOA >= 3.293 of everyone. A file whose best DOA is not positive has no author (the reference tool never
    records a best authorship then)."""
    if best <= 0 or doa / best <= d.normalized_threshold:
        return False
    return doa >= d.absolute_threshold or (rule == REFERENCE_RULE and created > 0)


def file_authorships(contributions: Mapping[int, Contribution], d: Defaults, rule: str) -> list[Authorship]:
    """Every contributor's DOA on one file, strongest first (ties by developer index); see `is_author`."""
    raw, best = scored_contributions(contributions, d)
    result = [
        Authorship(
            developer=dev,
            doa=doa,
            normalized=doa / best if best > 0 else 0.0,
            created=contrib.created > 0,
            deliveries=contrib.deliveries,
            acceptances=acceptances,
            is_author=is_author(doa, contrib.created, best, d, rule),
        )
        for dev, contrib, acceptances, doa in raw
    ]
    result.sort(key=lambda a: (-a.doa, a.developer))
    return result
