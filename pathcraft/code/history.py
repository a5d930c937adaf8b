"""Aggregate the history while it streams: per path and raw identity, never per commit.

The state only holds sums, logical ors and maxima, so adding commits in any order (a full run, or an old state plus
`git log OLD..NEW`) gives the same state. It is JSON-able, which is what incremental re-analysis stores.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pathcraft.code.gitlog import Commit, iter_commits
from pathcraft.code.gitrepo import Repo, is_ancestor
from pathcraft.errors import InputError

STATE_VERSION = 1
HOURS_PER_WEEK = 168
# Fields of a per-(path, identity) record.
DELIVERIES, ADDED, LAST_TIME = 0, 1, 2


def identity_key(name: str, email: str) -> str:
    """Raw identity: the (email, name) pair as committed; .mailmap may map each pair elsewhere, so keep both."""
    return email.strip().lower() + "\t" + name.strip()


def normalize_name(name: str) -> str:
    """Names compared for merging: accents stripped, case and spacing ignored (the reference upper-cases and strips
    accents)."""
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


@dataclass
class HistoryState:
    """Per path: who added it, who changed it how often, and which older paths it was renamed from."""

    head: str | None = None
    commits: int = 0
    identities: list[IdentityStats] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    # path -> identity index -> [deliveries (M and R records), added (0/1), last author time]
    paths: dict[str, dict[int, list[int]]] = field(default_factory=dict)
    renamed_from: dict[str, set[str]] = field(default_factory=dict)
    # The file filters' verdicts at head (filters.FileSelection.cache), so a re-run only classifies changed blobs.
    files_cache: dict = field(default_factory=dict)

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
        stats = self.identities[who]
        stats.names[commit.name] = stats.names.get(commit.name, 0) + 1
        stats.commits += 1
        when = commit.author_time
        stats.first_time = when if stats.commits == 1 else min(stats.first_time, when)
        stats.last_time = max(stats.last_time, when)
        stats.hours[local_slot(when, commit.author_offset_minutes)] += 1
        paths = self.paths
        for change in commit.changes:
            status = change.status
            if status not in "AMR":
                continue
            per_dev = paths.get(change.path)
            if per_dev is None:
                per_dev = paths[change.path] = {}
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

    def to_dict(self) -> dict:
        """A JSON-able copy (paths with undecodable bytes survive json.dumps/loads as escaped surrogates)."""
        return {
            "version": STATE_VERSION,
            "head": self.head,
            "commits": self.commits,
            "identities": [
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
            ],
            "paths": {p: [[i, *rec] for i, rec in per.items()] for p, per in self.paths.items()},
            "renamed_from": {p: sorted(olds) for p, olds in self.renamed_from.items()},
            "files_cache": self.files_cache,
        }

    def canonical(self) -> dict:
        """The content keyed by identity instead of by the order identities were met (for comparisons)."""
        keys = [s.key for s in self.identities]
        data = self.to_dict()
        data.pop("files_cache")
        data["identities"] = sorted(data["identities"], key=lambda s: s["key"])
        data["paths"] = {
            p: sorted([keys[r[0]], *r[1:]] for r in recs) for p, recs in sorted(data["paths"].items())
        }
        return data

    @classmethod
    def from_dict(cls, data: dict) -> HistoryState:
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise InputError("saved code-analysis state has an unknown format; run a full analysis")
        state = cls(head=data["head"], commits=int(data["commits"]))
        for raw in data["identities"]:
            stats = IdentityStats(
                key=raw["key"],
                email=raw["email"],
                names=dict(raw["names"]),
                commits=raw["commits"],
                first_time=raw["first_time"],
                last_time=raw["last_time"],
                hours=list(raw["hours"]),
            )
            state.index[stats.key] = len(state.identities)
            state.identities.append(stats)
        state.paths = {p: {rec[0]: list(rec[1:]) for rec in recs} for p, recs in data["paths"].items()}
        state.renamed_from = {p: set(olds) for p, olds in data["renamed_from"].items()}
        state.files_cache = data.get("files_cache") or {}
        return state


def collect_history(
    repo: Repo,
    commit: str,
    rename_limit: int,
    state: HistoryState | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[HistoryState, bool]:
    """The state at COMMIT: from scratch, or STATE plus only the commits since its head. Returns (state, incremental)."""
    incremental = False
    if state is not None and state.head and is_ancestor(repo, state.head, commit):
        revisions = [f"{state.head}..{commit}"]
        incremental = True
    else:
        state = HistoryState()
        revisions = [commit]
    fold(state, iter_commits(repo, revisions, rename_limit), progress)
    state.head = commit
    return state, incremental


def fold(
    state: HistoryState, commits: Iterable[Commit], progress: Callable[[int], None] | None = None
) -> None:
    """Add COMMITS to STATE, reporting the count every 1,000 commits."""
    count = 0
    add = state.add_commit
    for item in commits:
        add(item)
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
