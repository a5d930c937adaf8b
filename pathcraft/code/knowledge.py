"""Who knows which file: DOA of every developer on every analysed file, and truck factors over any subset."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from pathcraft.code.defaults import Defaults
from pathcraft.code.doa import (
    Authorship,
    Contribution,
    doa_scores,
    file_authorships,
    is_author,
)
from pathcraft.code.history import ADDED, DELIVERIES, LAST_TIME, DecayedHistory, HistoryState
from pathcraft.code.identities import Developer, IdentityMap
from pathcraft.code.truckfactor import TruckFactor, greedy_truck_factor

ROOT_MODULE = "."
# Version of the per-file entries in HistoryState.knowledge_cache (a different one is simply not reused).
CACHE_VERSION = 1


def module_of(path: str, depth: int) -> str:
    """The directory of PATH cut to DEPTH levels ('.' for files at the top)."""
    if depth <= 0 or "/" not in path:
        return ROOT_MODULE
    if depth == 1:
        return path[: path.index("/")]
    parts = path.split("/")[:-1]
    return "/".join(parts[:depth])


class FileKnowledge:
    """One analysed file: where it sits, its language, its authors (strongest first) and how many developers have
    history on it; every contributor's authorship (`authorships`) is worked out when first asked for."""

    __slots__ = (
        "path",
        "module",
        "language",
        "last_change",
        "author_rows",
        "contributors",
        "_authorships",
        "_loader",
    )

    def __init__(
        self,
        path: str,
        module: str,
        language: str,
        authorships: list[Authorship] | None = None,
        last_change: int = 0,
        *,
        authors: list[Authorship] | None = None,
        contributors: int | None = None,
        loader: Callable[[str], list[Authorship]] | None = None,
    ):
        self.path = path
        self.module = module
        self.language = language
        self.last_change = last_change
        self._authorships = authorships
        self._loader = loader
        if authors is None:
            authors = [a for a in authorships or () if a.is_author]
        if contributors is None:
            contributors = len(authorships) if authorships is not None else len(authors)
        self.author_rows: list[Authorship] = authors  # the is_author rows only, strongest first
        self.contributors = contributors

    @property
    def authorships(self) -> list[Authorship]:
        """Every contributor's DOA on this file, strongest first (ties by developer index)."""
        if self._authorships is None:
            self._authorships = (
                self._loader(self.path) if self._loader is not None else list(self.author_rows)
            )
            self._loader = None
        return self._authorships

    def authors(self, without: Collection[int] = ()) -> list[int]:
        return [a.developer for a in self.author_rows if a.developer not in without]

    def __repr__(self) -> str:
        return (
            f"FileKnowledge({self.path!r}, {self.module!r}, {self.language!r}, authors={self.author_rows!r})"
        )


@dataclass
class Knowledge:
    """The analysed files with their authorships, and the developers they refer to (by index)."""

    files: list[FileKnowledge]
    developers: list[Developer]
    left_out: dict[str, str] = field(default_factory=dict)  # kept by the filters but without usable history

    _authors_memo: dict = field(default_factory=dict, repr=False, compare=False)
    _names: dict[int, str] | None = field(default=None, repr=False, compare=False)

    def authors_of(self, fid: int, without: Collection[int] = ()) -> list[int]:
        """Authors of file FID minus WITHOUT (memoised per WITHOUT: reports ask the same question many times)."""
        return self._authors_table(without)[fid]

    def authored(
        self, files: Collection[int] | None = None, without: Collection[int] = ()
    ) -> dict[int, set[int]]:
        """developer -> ids (positions in self.files) of the files they author, within FILES."""
        chosen = range(len(self.files)) if files is None else files
        table = self._authors_table(without)
        result: dict[int, set[int]] = {}
        for fid in chosen:
            for dev in table[fid]:
                found = result.get(dev)
                if found is None:
                    result[dev] = {fid}
                else:
                    found.add(fid)
        return result

    def _authors_table(self, without: Collection[int]) -> list[list[int]]:
        key = frozenset(without)
        table = self._authors_memo.get(key)
        if table is None:
            table = self._authors_memo[key] = [f.authors(key) for f in self.files]
        return table

    def truck_factor(
        self, coverage_threshold: float, files: Collection[int] | None = None, without: Collection[int] = ()
    ) -> TruckFactor:
        """Greedy truck factor over FILES (default all), with the developers in WITHOUT already gone."""
        chosen = list(range(len(self.files))) if files is None else list(files)
        gone = frozenset(without)
        authored: dict[int, set[int]] = {}
        weight: dict[int, float] = {}  # summed DOA on the authored files, in file order
        for fid in chosen:
            for a in self.files[fid].author_rows:
                dev = a.developer
                if dev in gone:
                    continue
                found = authored.get(dev)
                if found is None:
                    authored[dev] = {fid}
                else:
                    found.add(fid)
                weight[dev] = weight.get(dev, 0.0) + a.doa
        if self._names is None:
            self._names = {i: d.key for i, d in enumerate(self.developers)}
        return greedy_truck_factor(authored, len(chosen), coverage_threshold, weight, self._names)

    def groups(self, key: Callable[[FileKnowledge], str]) -> dict[str, list[int]]:
        """File ids grouped by KEY (module or language), groups sorted by name."""
        grouped: dict[str, list[int]] = {}
        for fid, f in enumerate(self.files):
            grouped.setdefault(key(f), []).append(fid)
        return dict(sorted(grouped.items()))


def canonical_partition(owner: list[int | None]) -> list[int]:
    """For each raw identity, the first identity of its developer (-1 for a bot): equal lists over the identities two
    runs share mean those identities are grouped into developers, and set apart as bots, the same way."""
    first: dict[int, int] = {}
    return [-1 if dev is None else first.setdefault(dev, index) for index, dev in enumerate(owner)]


def _method(defaults: Defaults, rule: str) -> list:
    """What a cached authorship depends on besides the history and the identities: the method's constants."""
    d = defaults
    numbers = (d.doa_base, d.doa_first_authorship, d.doa_deliveries, d.doa_acceptances)
    return [
        CACHE_VERSION,
        rule,
        *map(repr, numbers),
        repr(d.normalized_threshold),
        repr(d.absolute_threshold),
    ]


def _partition_text(partition: list[int], count: int) -> str:
    return ",".join(map(str, partition[:count]))


def _usable_cache(state: HistoryState, method: list, partition: list[int]) -> dict[str, str] | None:
    """The cached entries per file when they may be reused for the files without new history, else None."""
    cache = state.knowledge_cache
    if state.touched is None or not isinstance(cache, dict) or cache.get("method") != method:
        return None
    count = cache.get("identities")
    if not isinstance(count, int) or not 0 <= count <= len(partition):
        return None
    # New identities may join a developer or be new developers; identities already known must be grouped as before.
    if cache.get("partition") != _partition_text(partition, count):
        return None
    files = cache.get("files")
    return files if isinstance(files, dict) else None


class KnowledgeBuilder:
    """Each file's authorship for one run: read from the state's knowledge cache when the file's history has no new
    commit since the cache was made, computed from the history otherwise.

    The cache (`state.knowledge_cache`: per file, its authors and the figures their DOA came from) is reused only while
    the method's constants are the same and the identities both runs know are merged into developers, and set apart
    as bots, the same way (.mailmap, aliases, bot patterns); otherwise every file is computed again. Either way the
    result equals a full run's. `prepare` does the work that does not need the kept files, so it can run while the
    file selection is still going; `build` finishes and brings the cache up to date.
    """

    def __init__(self, state: HistoryState, identities: IdentityMap, defaults: Defaults, rule: str):
        self.state, self.identities, self.defaults, self.rule = state, identities, defaults, rule
        self.owner = owner = identities.owner
        self.partition = canonical_partition(owner)
        self.method = _method(defaults, rule)
        self.cached = _usable_cache(state, self.method, self.partition)
        self.affected = state.affected_paths() if self.cached is not None else None
        self.first_identity = [0] * len(identities.developers)
        for index, first in enumerate(self.partition):
            if first == index:
                self.first_identity[owner[index]] = index  # type: ignore[index]
        self.entries: dict[str, str] = {}
        # path -> (last change, contributors, authors) or the reason it is left out
        self.decoded: dict[str, tuple[int, int, list[Authorship]] | str] = {}
        self.reused = 0  # files read from the cache (for tests and benchmarks)

    def prepare(self) -> None:
        """Read every reusable cache entry and compute the files the new commits changed (kept or not)."""
        if self.cached is None or self.affected is None:
            return
        for path, entry in self.cached.items():
            if path not in self.affected:
                self._reuse(path, entry)
        for path in self.affected:
            if path not in self.decoded:
                self._take(
                    path, _entry(self.state, path, self.owner, self.first_identity, self.defaults, self.rule)
                )

    def _reuse(self, path: str, entry: object) -> tuple[int, int, list[Authorship]] | str | None:
        """A cached entry decoded (None if it does not read back, e.g. a hand-edited state: then it is computed)."""
        if not isinstance(entry, str) or not entry:
            return None
        try:
            found = self._take(path, entry)
        except (ValueError, IndexError, TypeError):
            self.entries.pop(path, None)
            self.decoded.pop(path, None)
            return None
        self.reused += 1
        return found

    def _take(self, path: str, entry: str) -> tuple[int, int, list[Authorship]] | str:
        self.entries[path] = entry
        found = self.decoded[path] = self._decode(entry)
        return found

    def _decode(self, entry: str) -> tuple[int, int, list[Authorship]] | str:
        if entry[0] == "!":
            return entry[1:]
        owner = self.owner
        last, contributors, best_text, total_text, *rows = entry.split(";")
        best, total = float(best_text), float(total_text)
        authors = []
        for row in rows:
            rep, created, deliveries_text, doa_text = row.split(",")
            doa, deliveries = float(doa_text), float(deliveries_text)
            authors.append(
                Authorship(
                    owner[int(rep)],  # type: ignore[arg-type]
                    doa,
                    doa / best,
                    created == "1",
                    deliveries,
                    max(0.0, total - deliveries),
                    True,
                )
            )
        if len(authors) > 1:  # developer numbers may have moved since the entry was made
            authors.sort(key=lambda a: (-a.doa, a.developer))
        return int(last), int(contributors), authors

    def result(self, path: str) -> tuple[int, int, list[Authorship]] | str:
        """PATH's (last change, contributors, authors), or the reason it is left out."""
        found = self.decoded.get(path)
        if found is not None:
            return found
        if self.cached is not None and path not in self.affected:  # type: ignore[operator]
            found = self._reuse(path, self.cached.get(path))
            if found is not None:
                return found
        return self._take(
            path, _entry(self.state, path, self.owner, self.first_identity, self.defaults, self.rule)
        )

    def build(self, kept: dict[str, str], module_depth: int) -> Knowledge:
        state, owner, defaults, rule = self.state, self.owner, self.defaults, self.rule

        def full_authorships(path: str) -> list[Authorship]:
            return file_authorships(_contributions(state, path, owner)[0], defaults, rule)

        files: list[FileKnowledge] = []
        left_out: dict[str, str] = {}
        entries: dict[str, str] = {}
        for path in sorted(kept):
            found = self.result(path)
            entries[path] = self.entries[path]
            if type(found) is str:
                left_out[path] = found
                continue
            last, contributors, authors = found  # type: ignore[misc]
            files.append(
                FileKnowledge(
                    path,
                    module_of(path, module_depth),
                    kept[path],
                    last_change=last,
                    authors=authors,
                    contributors=contributors,
                    loader=full_authorships,
                )
            )
        state.knowledge_cache = {
            "method": self.method,
            "identities": len(owner),
            "partition": _partition_text(self.partition, len(owner)),
            "files": entries,
        }
        state.touched = set()
        return Knowledge(files=files, developers=self.identities.developers, left_out=left_out)


def build_knowledge(
    state: HistoryState,
    kept: dict[str, str],
    identities: IdentityMap,
    defaults: Defaults,
    rule: str,
    module_depth: int,
    decayed: DecayedHistory | None = None,
    builder: KnowledgeBuilder | None = None,
) -> Knowledge:
    """DOA for each kept file from the aggregated history (renames followed), bots counting for nobody.

    Files whose history did not change since the last run come from the state's knowledge cache (KnowledgeBuilder,
    which BUILDER is when the caller prepared one). With DECAYED (time decay) every file is computed."""
    if decayed is not None:
        # Decayed weights depend on "now": nothing to reuse, and nothing worth keeping for the next run.
        state.knowledge_cache = None
        state.touched = None
        return _build_decayed(state, kept, identities, defaults, rule, module_depth, decayed)
    if builder is None:
        builder = KnowledgeBuilder(state, identities, defaults, rule)
    return builder.build(kept, module_depth)


def _aggregate(
    state: HistoryState, path: str, owner: list[int | None]
) -> tuple[dict[int, float], dict[int, float], int, bool, bool]:
    """Over PATH's history: developer -> FA, developer -> DL (same keys, same order), the last change by a human,
    whether there is any record, and any by a human."""
    history = state.history_paths(path) if path in state.renamed_from else (path,)
    created: dict[int, float] = {}
    deliveries: dict[int, float] = {}
    last_change = 0
    seen_any = human = False
    for hpath in history:
        for ident, record in state.records(hpath).items():
            seen_any = True
            dev = owner[ident]
            if dev is None:
                continue
            human = True
            if record[LAST_TIME] > last_change:
                last_change = record[LAST_TIME]
            if record[ADDED]:
                created[dev] = 1.0
            elif dev not in created:
                created[dev] = 0.0
            deliveries[dev] = deliveries.get(dev, 0.0) + record[DELIVERIES]
    return created, deliveries, last_change, seen_any, human


def _contributions(
    state: HistoryState, path: str, owner: list[int | None]
) -> tuple[dict[int, Contribution], int, bool, bool]:
    """(developer -> contribution, last change by a human, any record, any human record) over PATH's history."""
    created, deliveries, last_change, seen_any, human = _aggregate(state, path, owner)
    contributions = {dev: Contribution(flag, deliveries[dev]) for dev, flag in created.items()}
    return contributions, last_change, seen_any, human


def _entry(
    state: HistoryState,
    path: str,
    owner: list[int | None],
    first_identity: list[int],
    defaults: Defaults,
    rule: str,
) -> str:
    """One file's cache entry: '!reason' when it is left out, else 'last;contributors;best;total' then one
    ';identity,created,deliveries,doa' per author (identity: the developer's first raw identity; floats as repr,
    which reads back exactly)."""
    created, deliveries, last_change, seen_any, human = _aggregate(state, path, owner)
    if not seen_any:
        # As the reference tool: a file with no A/M/R record (e.g. it came in through a merge) is not counted.
        return "!no add or change in the history"
    if not human:
        return "!changed only by bots"
    devs = list(created)
    fa = list(created.values())
    dl = [deliveries[dev] for dev in devs]
    doas, _acceptances, total = doa_scores(fa, dl, defaults)
    best = max(doas)
    parts = [f"{last_change};{len(devs)};{best!r};{total!r}"]
    if best > 0:
        cut = defaults.normalized_threshold
        for dev, created_weight, changes, doa in zip(devs, fa, dl, doas, strict=True):
            if doa / best > cut and is_author(doa, created_weight, best, defaults, rule):
                parts.append(f"{first_identity[dev]},{1 if created_weight > 0 else 0},{changes!r},{doa!r}")
    return ";".join(parts)


def _build_decayed(
    state: HistoryState,
    kept: dict[str, str],
    identities: IdentityMap,
    defaults: Defaults,
    rule: str,
    module_depth: int,
    decayed: DecayedHistory,
) -> Knowledge:
    """With time decay: FA and DL are the decayed weights of the window; every file computed."""
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
            for ident, record in state.records(hpath).items():
                seen_any = True
                if owner[ident] is None:
                    continue
                human = True
                last_change = max(last_change, record[LAST_TIME])
        if not seen_any:
            left_out[path] = "no add or change in the history"
            continue
        if not human:
            left_out[path] = "changed only by bots"
            continue
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
        files.append(FileKnowledge(path, module_of(path, module_depth), kept[path], authorships, last_change))
    return Knowledge(files=files, developers=identities.developers, left_out=left_out)
