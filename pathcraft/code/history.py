"""Aggregate the history while it streams: per path and raw identity, never per commit.

The state only holds sums, logical ors and maxima, so adding commits in any order (a full run, or an old state plus
`git log OLD..NEW`) gives the same state. It is JSON-able, which is what incremental re-analysis stores.
"""

from __future__ import annotations

import gc
import math
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from pathcraft.code.gitlog import Commit, iter_commits
from pathcraft.code.gitrepo import Repo, start_is_ancestor
from pathcraft.errors import InputError

# 2: compact layout (one string of records per path, sparse hours) and the per-file knowledge cache.
STATE_VERSION = 2
HOURS_PER_WEEK = 168
# Fields of a per-(path, identity) record.
DELIVERIES, ADDED, LAST_TIME = 0, 1, 2


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside: the analysis makes many objects but no cycles, and a collection walks
    the whole state every time (a tenth of an incremental run). Nested and concurrent pauses are counted; the
    collector comes back as it was when the last one ends."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def identity_key(name: str, email: str) -> str:
    """Raw identity: the (email, name) pair as committed; .mailmap may map each pair elsewhere, so keep both."""
    return email.strip().lower() + "\t" + name.strip()


def normalize_name(name: str) -> str:
    """Names compared for merging: accents stripped, case and spacing ignored (the reference upper-cases and strips
    accents)."""
    if name.isascii():  # nothing to decompose: the common case, made cheap
        return " ".join(name.casefold().split())
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


@dataclass
class IdentityStats:
    """What the history says about one raw identity (one email and name as committed)."""

    key: str
    email: str
    names: dict[str, int] = field(default_factory=dict)
    commits: int = 0
    first_time: int = 0
    last_time: int = 0
    # Commits per local weekday*24+hour (Monday = 0) in the author's own UTC offset.
    hours: list[int] = field(default_factory=lambda: [0] * HOURS_PER_WEEK)


def local_slot(timestamp: int, offset_minutes: int) -> int:
    """weekday*24 + hour of a UTC timestamp seen at the given UTC offset (Monday = 0)."""
    local = timestamp + offset_minutes * 60
    days, seconds = divmod(local, 86400)
    return ((days + 3) % 7) * 24 + seconds // 3600  # 1970-01-01 was a Thursday


def _encode_records(per_dev: dict[int, list[int]]) -> str:
    """A path's records as one string of integers: identity, deliveries, added, last time; four per record."""
    return ",".join(f"{ident},{rec[0]},{rec[1]},{rec[2]}" for ident, rec in per_dev.items())


def _decode_records(text: str) -> dict[int, list[int]]:
    if not text:
        return {}
    v = list(map(int, text.split(",")))
    return {v[k]: [v[k + 1], v[k + 2], v[k + 3]] for k in range(0, len(v), 4)}


def _encode_hours(hours: list[int]) -> str:
    """A 168-slot histogram as 'slot,count,...' over its non-empty slots (most developers use few)."""
    return ",".join(f"{slot},{count}" for slot, count in enumerate(hours) if count)


def _decode_hours(text: str) -> list[int]:
    hours = [0] * HOURS_PER_WEEK
    if text:
        v = list(map(int, text.split(",")))
        for k in range(0, len(v), 2):
            hours[v[k]] = v[k + 1]
    return hours


@dataclass
class HistoryState:
    """Per path: who added it, who changed it how often, and which older paths it was renamed from.

    Saved as JSON (`to_dict`) in a compact layout: each path's records are one string, decoded only when that path
    is read or changed, so a re-analysis after a few commits does not pay for the whole history. `knowledge_cache`
    holds the per-file authorship of the last run (knowledge.py) and `touched` the paths changed since it was made.
    """

    head: str | None = None
    commits: int = 0
    identities: list[IdentityStats] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    # path -> identity index -> [deliveries (M and R records), added (0/1), last author time]; a str until decoded
    records_by_path: dict[str, dict[int, list[int]] | str] = field(default_factory=dict, repr=False)
    renamed_from: dict[str, set[str]] = field(default_factory=dict)
    # The file filters' verdicts at head (filters.FileSelection.cache), so a re-run only classifies changed blobs.
    files_cache: dict = field(default_factory=dict)
    # Per-file results of the last run (knowledge.build_knowledge); None when there is none to reuse.
    knowledge_cache: dict | None = None
    # Which identities, as committed, are bots under which patterns (identities.resolve_identities keeps it).
    bot_cache: dict = field(default_factory=dict)
    # Paths given new records since knowledge_cache was made (None: all of them, e.g. a fresh state).
    touched: set[str] | None = None
    # The saved text of paths decoded only to be read: saved again as it was, without encoding it anew.
    _read_only: dict[str, str] = field(default_factory=dict, repr=False)
    # The saved identity rows, and which identities changed since (None: no saved rows): the others are saved as read.
    _raw_identities: list | None = field(default=None, repr=False)
    _dirty_identities: set[int] | None = field(default=None, repr=False)

    @property
    def paths(self) -> dict[str, dict[int, list[int]]]:
        """Every path's records, decoded (costly on a large history: the engine reads `records(path)` instead)."""
        table = self.records_by_path
        for path, value in table.items():
            if type(value) is str:
                table[path] = _decode_records(value)
                self._read_only[path] = value
        return table  # type: ignore[return-value]

    def records(self, path: str) -> dict[int, list[int]]:
        """PATH's records (identity index -> [deliveries, added, last time]); empty when it has none."""
        value = self.records_by_path.get(path)
        if value is None:
            return {}
        if type(value) is str:
            self._read_only[path] = value
            value = self.records_by_path[path] = _decode_records(value)
        return value

    def identity(self, name: str, email: str) -> int:
        key = identity_key(name, email)
        found = self.index.get(key)
        if found is None:
            found = len(self.identities)
            self.index[key] = found
            self.identities.append(IdentityStats(key=key, email=email.strip().lower()))
        return found

    def add_commit(self, commit: Commit) -> None:
        """Fold one commit in: A, M and R count; D, T and C records are dropped, as in the reference tool."""
        self.commits += 1
        who = self.identity(commit.name, commit.email)
        if self._dirty_identities is not None:
            self._dirty_identities.add(who)
        stats = self.identities[who]
        stats.names[commit.name] = stats.names.get(commit.name, 0) + 1
        stats.commits += 1
        when = commit.author_time
        stats.first_time = when if stats.commits == 1 else min(stats.first_time, when)
        stats.last_time = max(stats.last_time, when)
        stats.hours[local_slot(when, commit.author_offset_minutes)] += 1
        paths = self.records_by_path
        read_only = self._read_only
        touched = self.touched  # None in a fresh state: there is no cache to keep up to date
        for change in commit.changes:
            status = change.status
            if status not in "AMR":
                continue
            if touched is not None:
                touched.add(change.path)
            per_dev = paths.get(change.path)
            if per_dev is None:
                per_dev = paths[change.path] = {}
            elif type(per_dev) is str:
                per_dev = paths[change.path] = _decode_records(per_dev)
            elif read_only:
                read_only.pop(change.path, None)
            record = per_dev.get(who)
            if record is None:
                record = per_dev[who] = [0, 0, when]
            elif when > record[LAST_TIME]:
                record[LAST_TIME] = when
            if status == "A":
                record[ADDED] = 1
            else:
                # A rename is one delivery by the renamer, and the old path's history becomes part of this file's.
                record[DELIVERIES] += 1
                if status == "R" and change.old_path is not None:
                    self.renamed_from.setdefault(change.path, set()).add(change.old_path)

    def history_paths(self, path: str) -> set[str]:
        """PATH plus every path it was renamed from, transitively (the reference tool's expandCommitFileList)."""
        seen = {path}
        todo = [path]
        while todo:
            for old in self.renamed_from.get(todo.pop(), ()):
                if old not in seen:
                    seen.add(old)
                    todo.append(old)
        return seen

    def affected_paths(self) -> set[str] | None:
        """The touched paths and every path whose history includes one through renames (None: all paths)."""
        if self.touched is None:
            return None
        affected = set(self.touched)
        if not affected or not self.renamed_from:
            return affected
        renamed_to: dict[str, list[str]] = {}
        for new, olds in self.renamed_from.items():
            for old in olds:
                renamed_to.setdefault(old, []).append(new)
        todo = list(affected)
        while todo:
            for new in renamed_to.get(todo.pop(), ()):
                if new not in affected:
                    affected.add(new)
                    todo.append(new)
        return affected

    def _identity_row(self, index: int) -> list:
        raw = self._raw_identities
        if raw is not None and index < len(raw) and index not in (self._dirty_identities or ()):
            return raw[index]
        s = self.identities[index]
        return [s.key, s.email, s.names, s.commits, s.first_time, s.last_time, _encode_hours(s.hours)]

    def to_dict(self) -> dict:
        """A JSON-able copy (paths with undecodable bytes survive json.dumps/loads as escaped surrogates)."""
        # The knowledge cache is only worth saving when it is up to date with every path's records.
        knowledge = self.knowledge_cache if self.touched is not None and not self.touched else None
        return {
            "version": STATE_VERSION,
            "head": self.head,
            "commits": self.commits,
            # [key, email, {name: commits}, commits, first time, last time, sparse hours]
            "identities": [self._identity_row(i) for i in range(len(self.identities))],
            "paths": {
                p: value if type(value) is str else self._read_only.get(p) or _encode_records(value)
                for p, value in self.records_by_path.items()
            },
            "renamed_from": {p: sorted(olds) for p, olds in self.renamed_from.items()},
            "files_cache": self.files_cache,
            "knowledge_cache": knowledge,
            "bot_cache": self.bot_cache,
        }

    def canonical(self) -> dict:
        """The content keyed by identity instead of by the order identities were met (for comparisons)."""
        keys = [s.key for s in self.identities]
        return {
            "head": self.head,
            "commits": self.commits,
            "identities": sorted(
                (
                    {
                        "key": s.key,
                        "email": s.email,
                        "names": s.names,
                        "commits": s.commits,
                        "first_time": s.first_time,
                        "last_time": s.last_time,
                        "hours": s.hours,
                    }
                    for s in self.identities
                ),
                key=lambda s: s["key"],
            ),
            "paths": {
                p: sorted([keys[ident], *rec] for ident, rec in per.items())
                for p, per in sorted(self.paths.items())
            },
            "renamed_from": {p: sorted(olds) for p, olds in sorted(self.renamed_from.items())},
        }

    @classmethod
    def from_dict(cls, data: dict) -> HistoryState:
        """A saved state; one of an older layout gives an empty state (so the next run reads the whole history)."""
        version = data.get("version") if isinstance(data, dict) else None
        if isinstance(version, int) and not isinstance(version, bool) and 0 < version < STATE_VERSION:
            return cls()
        if version != STATE_VERSION:
            raise InputError("saved code-analysis state has an unknown format; run a full analysis")
        try:
            with paused_gc():
                return cls._from_current(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(
                f"saved code-analysis state is broken ({type(exc).__name__}); run a full analysis"
            ) from exc

    @classmethod
    def _from_current(cls, data: dict) -> HistoryState:
        state = cls(head=data["head"], commits=int(data["commits"]))
        rows = data["identities"]
        for key, email, names, commits, first_time, last_time, hours in rows:
            stats = IdentityStats(
                key=key,
                email=email,
                names=dict(names),
                commits=int(commits),
                first_time=int(first_time),
                last_time=int(last_time),
                hours=_decode_hours(hours),
            )
            state.index[key] = len(state.identities)
            state.identities.append(stats)
        state.records_by_path = dict(data["paths"])
        if not all(type(v) is str for v in state.records_by_path.values()):
            raise InputError("saved code-analysis state has broken path records; run a full analysis")
        state.renamed_from = {p: set(olds) for p, olds in data["renamed_from"].items()}
        state.files_cache = data.get("files_cache") or {}
        cache = data.get("knowledge_cache")
        state.knowledge_cache = cache if isinstance(cache, dict) else None
        bots = data.get("bot_cache")
        state.bot_cache = bots if isinstance(bots, dict) else {}
        state.touched = set()
        state._raw_identities = rows
        state._dirty_identities = set()
        return state


def collect_history(
    repo: Repo,
    commit: str,
    rename_limit: int,
    state: HistoryState | None = None,
    progress: Callable[[int], None] | None = None,
    extra_format: str = "",
    on_commit: Callable[[Commit], None] | None = None,
) -> tuple[HistoryState, bool]:
    """The state at COMMIT: from scratch, or STATE plus only the commits since its head. Returns (state, incremental).

    EXTRA_FORMAT and ON_COMMIT let another engine ride on the same pass: git prints its fields too (Commit.extra)
    and ON_COMMIT sees every commit folded in — the new ones only, or all of them when the run is a full one."""
    if state is not None and state.head:
        if _fold_if_descendant(repo, state, commit, rename_limit, progress, extra_format, on_commit):
            state.head = commit
            return state, True
    state = HistoryState()
    fold(state, iter_commits(repo, [commit], rename_limit, extra_format=extra_format), progress, on_commit)
    state.head = commit
    return state, False


def _fold_if_descendant(
    repo: Repo,
    state: HistoryState,
    commit: str,
    rename_limit: int,
    progress: Callable[[int], None] | None,
    extra_format: str = "",
    on_commit: Callable[[Commit], None] | None = None,
) -> bool:
    """Fold `git log OLD..NEW` into STATE when OLD (its head) is an ancestor of COMMIT; False (STATE untouched)
    otherwise. The ancestry check runs beside the log: commits read before its answer wait in a list, so the
    state changes only once the answer is yes (after a force-push OLD..NEW is not the whole difference)."""
    check = start_is_ancestor(repo, state.head, commit)
    waiting: list[Commit] = []
    answered = False
    count = 0

    def add(item: Commit) -> None:
        nonlocal count
        state.add_commit(item)
        if on_commit is not None:
            on_commit(item)
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)

    commits = iter_commits(repo, [f"{state.head}..{commit}"], rename_limit, extra_format=extra_format)
    try:
        for item in commits:
            if not answered:
                if check.poll() is None:
                    waiting.append(item)
                    continue
                if check.returncode != 0:
                    return False
                answered = True
                for held in waiting:
                    add(held)
                waiting.clear()
            add(item)
    finally:
        commits.close()  # stops git log early when the answer is no
        check.wait()
    if not answered:
        if check.returncode != 0:
            return False
        for held in waiting:
            add(held)
    if progress is not None:
        progress(count)
    return True


def fold(
    state: HistoryState,
    commits: Iterable[Commit],
    progress: Callable[[int], None] | None = None,
    on_commit: Callable[[Commit], None] | None = None,
) -> None:
    """Add COMMITS to STATE, reporting the count every 1,000 commits (and handing each to ON_COMMIT)."""
    count = 0
    add = state.add_commit
    for item in commits:
        add(item)
        if on_commit is not None:
            on_commit(item)
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
    if progress is not None:
        progress(count)


@dataclass
class DecayedHistory:
    """Recent history weighted by exp(-age/tau) within a window: path -> identity key -> [weighted DL, FA weight]."""

    paths: dict[str, dict[str, list[float]]] = field(default_factory=dict)


def collect_decayed(
    repo: Repo, commit: str, rename_limit: int, reference_time: int, tau_days: float, window_days: float
) -> DecayedHistory:
    """One extra pass over the window only (`git log --since`): cheap next to the full history."""
    since = int(reference_time - window_days * 86400)
    decayed = DecayedHistory()
    for item in iter_commits(repo, [commit], rename_limit, since=since):
        age_days = max(0.0, (reference_time - item.author_time) / 86400)
        if age_days > window_days:
            continue
        weight = math.exp(-age_days / tau_days)
        key = identity_key(item.name, item.email)
        for change in item.changes:
            if change.status not in "AMR":
                continue
            record = decayed.paths.setdefault(change.path, {}).setdefault(key, [0.0, 0.0])
            if change.status == "A":
                record[1] = max(record[1], weight)
            else:
                record[0] += weight
    return decayed
