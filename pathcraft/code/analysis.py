"""One analysis of a repository: history, file selection, DOA, truck factors, recency and timing, as plain data."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from pathcraft.code.defaults import Defaults, load_defaults
from pathcraft.code.doa import PAPER_RULE, REFERENCE_RULE
from pathcraft.code.filters import FileSelection, select_files
from pathcraft.code.gitlog import Commit
from pathcraft.code.gitrepo import Repo, as_of_timestamp, list_tree, open_repo, read_mailmap, resolve_commit
from pathcraft.code.history import DecayedHistory, HistoryState, collect_decayed, collect_history, paused_gc
from pathcraft.code.identities import IdentityMap, parse_mailmap, resolve_identities
from pathcraft.code.knowledge import Knowledge, KnowledgeBuilder, build_knowledge
from pathcraft.code.leave import LeaveImpact, simulate_leave
from pathcraft.code.timing import WorkingHours
from pathcraft.code.truckfactor import TruckFactor
from pathcraft.errors import InputError

Progress = Callable[[str, int], None]


class CommitHook(Protocol):
    log_format: str

    def add_commit(self, commit: Commit) -> None: ...


@dataclass
class AnalysisOptions:
    """What to analyse and how; every default reproduces the published method."""

    ref: str | None = None
    as_of: date | datetime | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    module_depth: int | None = None
    idle_days: int | None = None
    decay: bool = False
    author_rule: str | None = None
    aliases: Mapping[str, Iterable[str]] | None = None
    extra_bots: tuple[str, ...] = ()
    # "Now" for idle days and decay: the as-of date, else the analysed commit's date if None and reproducible
    # results are wanted, else the wall clock. Tests pass it explicitly.
    reference_time: int | None = None
    working_hours: Mapping[str, WorkingHours] = field(default_factory=dict)  # developer email/key -> hours
    # Another engine riding on the history pass (e.g. reviews.trailers.CodePassReviews): its `log_format` is
    # appended to git log's format and `add_commit` sees every commit read. None: the pass is the code engine's own.
    commit_hook: CommitHook | None = None


@dataclass
class Analysis:
    """Everything one run found; `report.analysis_to_dict` turns it into the documented JSON."""

    repo: Repo
    commit: str
    options: AnalysisOptions
    defaults: Defaults
    rule: str
    module_depth: int
    state: HistoryState
    incremental: bool
    selection: FileSelection
    identities: IdentityMap
    knowledge: Knowledge
    reference_time: int
    truck: TruckFactor
    gone: list[int]
    lost: LeaveImpact | None
    notes: list[str]
    seconds: float

    @property
    def partial(self) -> bool:
        return self.repo.shallow

    def module_files(self) -> dict[str, list[int]]:
        return self.knowledge.groups(lambda f: f.module)

    def language_files(self) -> dict[str, list[int]]:
        return self.knowledge.groups(lambda f: f.language)

    def truck_factor_of(self, fids: list[int]) -> TruckFactor:
        return self.knowledge.truck_factor(self.defaults.coverage_threshold, fids, self.gone)

    def leave(self, leavers: Iterable[int]) -> LeaveImpact:
        """What-if on top of this analysis (developers already counted as gone stay gone)."""
        return simulate_leave(
            self.knowledge,
            set(leavers),
            self.defaults.coverage_threshold,
            self.defaults.successors_per_file,
            already_gone=self.gone,
        )

    def idle_developers(self, days: int) -> list[int]:
        """Developers whose last commit is more than DAYS before the reference time."""
        return idle_developers(self.knowledge, self.reference_time, days)


def analyze_repository(
    path: str,
    options: AnalysisOptions | None = None,
    state: HistoryState | None = None,
    progress: Progress | None = None,
    defaults: Defaults | None = None,
) -> Analysis:
    """Analyse the repository at PATH; with STATE (a previous run's), read only the commits since its head."""
    with paused_gc():
        return _analyze(path, options, state, progress, defaults)


def _analyze(
    path: str,
    options: AnalysisOptions | None,
    state: HistoryState | None,
    progress: Progress | None,
    defaults: Defaults | None,
) -> Analysis:
    started = time.perf_counter()
    options = options or AnalysisOptions()
    defaults = defaults or load_defaults()
    rule = options.author_rule or defaults.author_rule
    if rule not in (REFERENCE_RULE, PAPER_RULE):
        raise InputError(f"author rule must be {REFERENCE_RULE!r} or {PAPER_RULE!r}, not {rule!r}")
    depth = defaults.module_depth if options.module_depth is None else options.module_depth
    if depth < 0:
        raise InputError("module depth must be 0 or more")
    if options.idle_days is not None and options.idle_days < 0:
        raise InputError("idle days must be 0 or more")
    repo = open_repo(path)
    commit = resolve_commit(repo, options.ref, options.as_of)
    notes: list[str] = []
    if repo.shallow:
        notes.append(
            "shallow clone: history before the shallow boundary is missing, so the result is partial"
        )

    # The file selection (tree listing, blob reads, enry) runs beside the history pass: git log is the long pole.
    selection_box: dict[str, object] = {}
    previous_cache = state.files_cache if state is not None else None

    def select() -> None:
        try:
            entries = list(list_tree(repo, commit, sizes=False))
            selection_box["value"] = select_files(
                repo, entries, options.include, options.exclude, cache=previous_cache
            )
        except BaseException as exc:  # noqa: BLE001 - handed over to the main thread
            selection_box["error"] = exc

    selector = threading.Thread(target=select, name="pathcraft-code-select", daemon=True)
    selector.start()
    report = (lambda count: progress("commits", count)) if progress else None
    hook = options.commit_hook
    state, incremental = collect_history(
        repo,
        commit,
        defaults.rename_limit,
        state,
        report,
        extra_format=hook.log_format if hook is not None else "",
        on_commit=hook.add_commit if hook is not None else None,
    )
    # .mailmap of the analysed commit, applied here rather than by git so the saved state stays raw. Resolved while
    # the selection may still be classifying changed files (enry runs outside the GIL).
    identities = resolve_identities(
        state.identities,
        (*defaults.bot_patterns, *options.extra_bots),
        options.aliases,
        parse_mailmap(read_mailmap(repo, commit)),
        bot_cache=state.bot_cache,
    )
    builder = None
    if not options.decay:
        builder = KnowledgeBuilder(state, identities, defaults, rule)
        builder.prepare()  # the files the new commits changed, and the cached rest, while the selection runs
    selector.join()
    if "error" in selection_box:
        raise selection_box["error"]  # type: ignore[misc]
    selection: FileSelection = selection_box["value"]  # type: ignore[assignment]
    state.files_cache = selection.cache

    if options.reference_time is not None:
        reference_time = options.reference_time
    elif options.as_of is not None:
        reference_time = as_of_timestamp(options.as_of)
    else:
        reference_time = int(time.time())
    decayed: DecayedHistory | None = None
    if options.decay:
        decayed = collect_decayed(
            repo,
            commit,
            defaults.rename_limit,
            reference_time,
            defaults.decay_tau_days,
            defaults.decay_window_days,
        )
        notes.append(
            f"time decay on: changes weigh exp(-days/{defaults.decay_tau_days:g}) over the last "
            f"{defaults.decay_window_days:g} days; older changes count for nothing"
        )
    knowledge = build_knowledge(state, selection.kept, identities, defaults, rule, depth, decayed, builder)
    if not knowledge.files:
        notes.append("no file left to analyse after filtering: the truck factor is 0")
    gone: list[int] = []
    lost = None
    if options.idle_days is not None:
        gone = idle_developers(knowledge, reference_time, options.idle_days)
        lost = simulate_leave(knowledge, gone, defaults.coverage_threshold, defaults.successors_per_file)
        notes.append(
            f"{len(gone)} developer(s) idle for more than {options.idle_days} days are treated as gone; "
            f"{len(lost.orphaned)} file(s) already lost their last author"
        )
    return Analysis(
        repo=repo,
        commit=commit,
        options=options,
        defaults=defaults,
        rule=rule,
        module_depth=depth,
        state=state,
        incremental=incremental,
        selection=selection,
        identities=identities,
        knowledge=knowledge,
        reference_time=reference_time,
        truck=knowledge.truck_factor(defaults.coverage_threshold, None, gone),
        gone=gone,
        lost=lost,
        notes=notes,
        seconds=time.perf_counter() - started,
    )


def idle_developers(knowledge: Knowledge, reference_time: int, days: int) -> list[int]:
    """Developers whose last commit is more than DAYS before REFERENCE_TIME."""
    limit = reference_time - days * 86400
    return [i for i, d in enumerate(knowledge.developers) if d.last_time < limit]
