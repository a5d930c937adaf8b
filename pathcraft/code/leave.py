"""What if someone leaves: files that lose their last author, coverage and truck factor before and after, and who
is best placed to take each orphaned file over."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from pathcraft.code.knowledge import Knowledge


@dataclass(frozen=True)
class Successor:
    """A remaining developer ranked by their DOA on an orphaned file."""

    developer: int
    doa: float
    normalized: float


@dataclass
class OrphanedFile:
    path: str
    module: str
    language: str
    former_authors: list[int]
    successors: list[Successor]


@dataclass
class GroupImpact:
    """Before/after figures for one module or language."""

    name: str
    files: int
    orphaned: int
    coverage_before: float
    coverage_after: float
    truck_factor_before: int
    truck_factor_after: int


@dataclass
class LeaveImpact:
    leavers: list[int]
    already_gone: list[int]
    files: int
    orphaned: list[OrphanedFile]
    coverage_before: float
    coverage_after: float
    truck_factor_before: int
    truck_factor_after: int
    modules: list[GroupImpact] = field(default_factory=list)
    languages: list[GroupImpact] = field(default_factory=list)


def _coverage(knowledge: Knowledge, fids: list[int], without: Collection[int]) -> float:
    if not fids:
        return 0.0
    return sum(1 for fid in fids if knowledge.authors_of(fid, without)) / len(fids)


def simulate_leave(
    knowledge: Knowledge,
    leavers: Collection[int],
    coverage_threshold: float,
    successors_per_file: int,
    already_gone: Collection[int] = (),
) -> LeaveImpact:
    """Take LEAVERS out (on top of ALREADY_GONE, e.g. long-idle developers) and report what loses its authors.

    Successors are the remaining developers with any history on the orphaned file, highest DOA first: those who
    already know a part of it (Rigby et al., ICSE 2016: a successor with some knowledge of abandoned files cuts the
    expected loss).
    """
    before = set(already_gone)
    after = before | set(leavers)
    all_ids = list(range(len(knowledge.files)))
    orphaned = []
    for fid in all_ids:
        f = knowledge.files[fid]
        had = f.authors(before)
        if had and not f.authors(after):
            successors = [
                Successor(a.developer, a.doa, a.normalized) for a in f.authorships if a.developer not in after
            ][:successors_per_file]
            orphaned.append(OrphanedFile(f.path, f.module, f.language, had, successors))
    orphan_paths = {o.path for o in orphaned}

    def impacts(groups: dict[str, list[int]]) -> list[GroupImpact]:
        rows = []
        for name, fids in groups.items():
            rows.append(
                GroupImpact(
                    name=name,
                    files=len(fids),
                    orphaned=sum(1 for fid in fids if knowledge.files[fid].path in orphan_paths),
                    coverage_before=_coverage(knowledge, fids, before),
                    coverage_after=_coverage(knowledge, fids, after),
                    truck_factor_before=knowledge.truck_factor(coverage_threshold, fids, before).truck_factor,
                    truck_factor_after=knowledge.truck_factor(coverage_threshold, fids, after).truck_factor,
                )
            )
        return rows

    return LeaveImpact(
        leavers=sorted(set(leavers)),
        already_gone=sorted(before),
        files=len(all_ids),
        orphaned=orphaned,
        coverage_before=_coverage(knowledge, all_ids, before),
        coverage_after=_coverage(knowledge, all_ids, after),
        truck_factor_before=knowledge.truck_factor(coverage_threshold, None, before).truck_factor,
        truck_factor_after=knowledge.truck_factor(coverage_threshold, None, after).truck_factor,
        modules=impacts(knowledge.groups(lambda f: f.module)),
        languages=impacts(knowledge.groups(lambda f: f.language)),
    )
