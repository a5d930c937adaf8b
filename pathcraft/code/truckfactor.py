"""Greedy truck factor (Avelino et al. 2016): remove the top author while at least half the files keep an author."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Removal:
    """One developer taken out by the greedy loop: how many files they author and the coverage left after."""

    developer: int
    files: int
    coverage_after: float


@dataclass
class TruckFactor:
    """Result of the greedy loop on one set of files."""

    truck_factor: int
    total_files: int
    coverage_before: float
    removals: list[Removal] = field(default_factory=list)
    authors: int = 0

    @property
    def final_coverage(self) -> float:
        return self.removals[-1].coverage_after if self.removals else self.coverage_before


def greedy_truck_factor(
    authored: Mapping[int, Collection[int]],
    total_files: int,
    coverage_threshold: float,
    weight: Mapping[int, float] | None = None,
    name: Mapping[int, str] | None = None,
) -> TruckFactor:
    """AUTHORED maps developer -> file ids they author; TOTAL_FILES is the denominator (files with history).

    As the reference tool: a developer's count is all the files they author (not only those still covered), and the
    loop stops only when coverage falls below the threshold, so exactly 50% keeps removing. The tool breaks ties by
    HashMap order; here ties go to the larger WEIGHT (summed DOA on the authored files), then the smaller NAME
    (developer key), then the smaller developer index: deterministic.
    """
    weight = weight or {}
    name = name or {}
    remaining = {dev: files for dev, files in authored.items() if files}
    holders: dict[int, int] = {}
    for files in remaining.values():
        for f in files:
            holders[f] = holders.get(f, 0) + 1
    covered = len(holders)
    denominator = total_files or 1
    coverage = covered / denominator if total_files else 0.0
    order = sorted(
        remaining, key=lambda dev: (-len(remaining[dev]), -weight.get(dev, 0.0), name.get(dev, ""), dev)
    )
    result = TruckFactor(
        truck_factor=0, total_files=total_files, coverage_before=coverage, authors=len(remaining)
    )
    for dev in order:
        if coverage < coverage_threshold:
            break
        for f in remaining[dev]:
            holders[f] -= 1
            if holders[f] == 0:
                covered -= 1
        coverage = covered / denominator if total_files else 0.0
        result.removals.append(Removal(developer=dev, files=len(remaining[dev]), coverage_after=coverage))
        result.truck_factor += 1
    return result
