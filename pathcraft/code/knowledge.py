"""Who knows which file: DOA of every developer on every analysed file, and truck factors over any subset."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from pathcraft.code.defaults import Defaults
from pathcraft.code.doa import Authorship, Contribution, file_authorships
from pathcraft.code.history import ADDED, DELIVERIES, LAST_TIME, DecayedHistory, HistoryState
from pathcraft.code.identities import Developer, IdentityMap
from pathcraft.code.truckfactor import TruckFactor, greedy_truck_factor

ROOT_MODULE = "."


def module_of(path: str, depth: int) -> str:
    """The directory of PATH cut to DEPTH levels ('.' for files at the top)."""
    parts = path.split("/")[:-1]
    return "/".join(parts[:depth]) if parts and depth > 0 else ROOT_MODULE


@dataclass
class FileKnowledge:
    """One analysed file: where it sits, its language, and every contributor's authorship (strongest first)."""

    path: str
    module: str
    language: str
    authorships: list[Authorship]
    last_change: int

    def authors(self, without: Collection[int] = ()) -> list[int]:
        return [a.developer for a in self.authorships if a.is_author and a.developer not in without]


@dataclass
class Knowledge:
    """The analysed files with their authorships, and the developers they refer to (by index)."""

    files: list[FileKnowledge]
    developers: list[Developer]
    left_out: dict[str, str] = field(default_factory=dict)  # kept by the filters but without usable history

    _authors_memo: dict = field(default_factory=dict, repr=False, compare=False)

    def authors_of(self, fid: int, without: Collection[int] = ()) -> list[int]:
        """Authors of file FID minus WITHOUT (memoised per WITHOUT: reports ask the same question many times)."""
        key = frozenset(without)
        table = self._authors_memo.get(key)
        if table is None:
            table = self._authors_memo[key] = [f.authors(key) for f in self.files]
        return table[fid]

    def authored(
        self, files: Collection[int] | None = None, without: Collection[int] = ()
    ) -> dict[int, set[int]]:
        """developer -> ids (positions in self.files) of the files they author, within FILES."""
        chosen = range(len(self.files)) if files is None else files
        result: dict[int, set[int]] = {}
        for fid in chosen:
            for dev in self.authors_of(fid, without):
                result.setdefault(dev, set()).add(fid)
        return result

    def truck_factor(
        self, coverage_threshold: float, files: Collection[int] | None = None, without: Collection[int] = ()
    ) -> TruckFactor:
        """Greedy truck factor over FILES (default all), with the developers in WITHOUT already gone."""
        chosen = list(range(len(self.files))) if files is None else list(files)
        authored = self.authored(chosen, without)
        weight: dict[int, float] = {}
        for fid in chosen:
            for a in self.files[fid].authorships:
                if a.is_author and a.developer not in without:
                    weight[a.developer] = weight.get(a.developer, 0.0) + a.doa
        names = {i: d.key for i, d in enumerate(self.developers)}
        return greedy_truck_factor(authored, len(chosen), coverage_threshold, weight, names)

    def groups(self, key: Callable[[FileKnowledge], str]) -> dict[str, list[int]]:
        """File ids grouped by KEY (module or language), groups sorted by name."""
        grouped: dict[str, list[int]] = {}
        for fid, f in enumerate(self.files):
            grouped.setdefault(key(f), []).append(fid)
        return dict(sorted(grouped.items()))


def build_knowledge(
    state: HistoryState,
    kept: dict[str, str],
    identities: IdentityMap,
    defaults: Defaults,
    rule: str,
    module_depth: int,
    decayed: DecayedHistory | None = None,
) -> Knowledge:
    """DOA for each kept file from the aggregated history (renames followed), bots counting for nobody."""
    owner = identities.owner
    files: list[FileKnowledge] = []
    left_out: dict[str, str] = {}
    for path in sorted(kept):
        history = state.history_paths(path) if path in state.renamed_from else (path,)
        created: dict[int, float] = {}
        deliveries: dict[int, float] = {}
        last_change = 0
        seen_any = human = False
        for hpath in history:
            for ident, record in state.paths.get(hpath, {}).items():
                seen_any = True
                dev = owner[ident]
                if dev is None:
                    continue
                human = True
                last_change = max(last_change, record[LAST_TIME])
                if decayed is None:
                    created[dev] = max(created.get(dev, 0.0), float(record[ADDED]))
                    deliveries[dev] = deliveries.get(dev, 0.0) + record[DELIVERIES]
        if not seen_any:
            # As the reference tool: a file with no A/M/R record (e.g. it came in through a merge) is not counted.
            left_out[path] = "no add or change in the history"
            continue
        if not human:
            left_out[path] = "changed only by bots"
            continue
        if decayed is not None:
            for hpath in history:
                for key, (weighted, add_weight) in decayed.paths.get(hpath, {}).items():
                    ident = state.index.get(key)
                    dev = owner[ident] if ident is not None else None
                    if dev is None:
                        continue
                    created[dev] = max(created.get(dev, 0.0), add_weight)
                    deliveries[dev] = deliveries.get(dev, 0.0) + weighted
        contributions = {
            dev: Contribution(created.get(dev, 0.0), deliveries.get(dev, 0.0))
            for dev in created.keys() | deliveries.keys()
        }
        authorships = file_authorships(contributions, defaults, rule)
        files.append(
            FileKnowledge(
                path=path,
                module=module_of(path, module_depth),
                language=kept[path],
                authorships=authorships,
                last_change=last_change,
            )
        )
    return Knowledge(files=files, developers=identities.developers, left_out=left_out)
