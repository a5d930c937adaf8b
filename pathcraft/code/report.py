"""The documented JSON of an analysis and of a leave simulation (stable keys; see docs/code.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import compress
from time import gmtime, strftime

from pathcraft.code.analysis import Analysis
from pathcraft.code.defaults import Defaults
from pathcraft.code.gitrepo import display_path
from pathcraft.code.history import HOURS_PER_WEEK, paused_gc
from pathcraft.code.identities import Developer
from pathcraft.code.leave import GroupImpact, LeaveImpact
from pathcraft.code.timing import CommitTiming, WorkingHours, commit_timing
from pathcraft.code.truckfactor import TruckFactor

JSON_VERSION = 1
SLOTS = range(HOURS_PER_WEEK)


def _iso(timestamp: int) -> str:
    """UTC ISO 8601 with a Z, as datetime.isoformat would write it, at a fraction of its cost (thousands of calls)."""
    if type(timestamp) is not int or not 0 <= timestamp < 253402300800:  # else: whole seconds in 1970..9999
        return datetime.fromtimestamp(timestamp, UTC).isoformat().replace("+00:00", "Z")
    return strftime("%Y-%m-%dT%H:%M:%SZ", gmtime(timestamp))  # time.strftime: cheap, unlike datetime's


def _dev(analysis: Analysis, index: int) -> dict:
    dev = analysis.knowledge.developers[index]
    return {"key": dev.key, "name": dev.name}


def _removals(analysis: Analysis, truck: TruckFactor, fids: list[int] | None = None) -> list[dict]:
    files = analysis.knowledge.files
    chosen = range(len(files)) if fids is None else fids
    authored: dict[int, list[str]] = {removal.developer: [] for removal in truck.removals}
    for fid in chosen:  # one pass over the files for every removed developer
        for dev in analysis.knowledge.authors_of(fid, analysis.gone):
            bucket = authored.get(dev)
            if bucket is not None:
                bucket.append(display_path(files[fid].path))
    rows = []
    for removal in truck.removals:
        rows.append(
            {
                **_dev(analysis, removal.developer),
                "files_authored": removal.files,
                "coverage_after": round(removal.coverage_after, 6),
                "files": authored[removal.developer],
            }
        )
    return rows


class _Timing:
    """commit_timing for many histograms at once. Its counts are sums over the histogram's slots, so each slot's
    class (night, weekend, outside working hours) is read once from commit_timing itself, per working week."""

    def __init__(self, defaults: Defaults):
        self.defaults = defaults
        self.masks: dict[WorkingHours | None, tuple[list[int], list[int], list[int]]] = {}
        self.shown: dict[tuple, dict] = {}

    def _masks(self, working: WorkingHours | None) -> tuple[list[int], list[int], list[int]]:
        found = self.masks.get(working)
        if found is None:
            night, weekend, outside = [0] * HOURS_PER_WEEK, [0] * HOURS_PER_WEEK, [0] * HOURS_PER_WEEK
            for slot in range(HOURS_PER_WEEK):
                one = [0] * HOURS_PER_WEEK
                one[slot] = 1
                timing = commit_timing(one, self.defaults, working)
                night[slot], weekend[slot], outside[slot] = timing.night, timing.weekend, timing.outside_hours
            found = self.masks[working] = (night, weekend, outside)
        return found

    def __call__(self, hours: list[int], working: WorkingHours | None = None) -> dict:
        night_mask, weekend_mask, outside_mask = self._masks(working)
        total = night = weekend = outside = 0
        for slot in compress(SLOTS, hours):  # most people use few slots
            count = hours[slot]
            total += count
            if night_mask[slot]:
                night += count
            if weekend_mask[slot]:
                weekend += count
            if outside_mask[slot]:
                outside += count
        key = (total, night, weekend, outside, working is not None)
        shown = self.shown.get(key)
        if shown is None:
            shown = self.shown[key] = CommitTiming(*key).to_dict()
        return dict(shown)


def _group(analysis: Analysis, name: str, fids: list[int], kind: str) -> dict:
    truck = analysis.truck_factor_of(fids)
    authored = analysis.knowledge.authored(fids, analysis.gone)
    authors = sorted(authored, key=lambda d: (-len(authored[d]), analysis.knowledge.developers[d].key))
    return {
        kind: name,
        "files": len(fids),
        "truck_factor": truck.truck_factor,
        "coverage": round(truck.coverage_before, 6),
        "authors": [{**_dev(analysis, d), "files": len(authored[d])} for d in authors],
        "single_author": len(authors) == 1,
        "orphaned_files": sum(1 for fid in fids if not analysis.knowledge.authors_of(fid, analysis.gone)),
    }


def _team_hours(developers: list[Developer]) -> list[int]:
    """timing.team_histogram of everyone, summed slot by slot in one go."""
    if not developers:
        return [0] * HOURS_PER_WEEK
    return [sum(slot) for slot in zip(*(dev.hours for dev in developers), strict=True)]


def analysis_to_dict(analysis: Analysis) -> dict:
    """The full result: the keys of issue 7 (truck_factor, truck_factor_developers, files_analysed, files_filtered,
    per-file authors with DOA and normalised DOA, coverage after each removal) and the per-module/language views."""
    with paused_gc():
        return _analysis_to_dict(analysis)


def _analysis_to_dict(analysis: Analysis) -> dict:
    k = analysis.knowledge
    d = analysis.defaults
    truck = analysis.truck
    filtered = {**analysis.selection.filtered, **k.left_out}
    authored_counts = k.authored(None, analysis.gone)
    gone = set(analysis.gone)
    working = analysis.options.working_hours
    timing = _Timing(d)
    developers = []
    for index, dev in enumerate(k.developers):
        hours = next((working[h] for h in [dev.key, *dev.emails] if h in working), None) if working else None
        developers.append(
            {
                "key": dev.key,
                "name": dev.name,
                "emails": dev.emails,
                "names": dev.names,
                "commits": dev.commits,
                "first_commit": _iso(dev.first_time),
                "last_commit": _iso(dev.last_time),
                "idle_days": max(0, (analysis.reference_time - dev.last_time) // 86400),
                "gone": index in gone,
                "files_authored": len(authored_counts.get(index, ())),
                "timing": timing(dev.hours, hours),
            }
        )
    modules = [_group(analysis, name, fids, "module") for name, fids in analysis.module_files().items()]
    languages = [_group(analysis, name, fids, "language") for name, fids in analysis.language_files().items()]
    result = {
        "version": JSON_VERSION,
        "repository": analysis.repo.path,
        "commit": analysis.commit,
        "ref": analysis.options.ref or "HEAD",
        "as_of": analysis.options.as_of.isoformat() if analysis.options.as_of else None,
        "partial": analysis.partial,
        "incremental": analysis.incremental,
        "notes": analysis.notes,
        "commits_analysed": analysis.state.commits,
        "seconds": round(analysis.seconds, 3),
        "method": {
            "author_rule": analysis.rule,
            "normalized_doa_threshold": d.normalized_threshold,
            "absolute_doa_threshold": d.absolute_threshold,
            "coverage_threshold": d.coverage_threshold,
            "module_depth": analysis.module_depth,
            "idle_days": analysis.options.idle_days,
            "decay": analysis.options.decay,
            "reference_time": _iso(analysis.reference_time),
        },
        "truck_factor": truck.truck_factor,
        "coverage_before": round(truck.coverage_before, 6),
        "coverage_after_removal": [round(r.coverage_after, 6) for r in truck.removals],
        "truck_factor_developers": _removals(analysis, truck),
        "files_analysed": len(k.files),
        "files_filtered": [
            {"path": display_path(p), "reason": reason} for p, reason in sorted(filtered.items())
        ],
        "files": [
            {
                "path": display_path(f.path),
                "module": display_path(f.module),
                "language": f.language,
                "contributors": f.contributors,
                "authors": [
                    {
                        **_dev(analysis, a.developer),
                        "doa": round(a.doa, 4),
                        "doa_normalized": round(a.normalized, 4),
                        "created": a.created,
                        "changes": a.deliveries,
                        "changes_by_others": a.acceptances,
                    }
                    for a in f.author_rows
                    if a.developer not in gone
                ],
            }
            for f in k.files
        ],
        "developers": developers,
        "modules": [{**m, "module": display_path(m["module"])} for m in modules],
        "languages": languages,
        "single_points_of_failure": {
            "modules": [display_path(m["module"]) for m in modules if m["single_author"]],
            "languages": [lang["language"] for lang in languages if lang["single_author"]],
        },
        "timing": {"team": timing(_team_hours(k.developers))},
        "bots": analysis.identities.bots,
        "knowledge_already_lost": leave_to_dict(analysis, analysis.lost) if analysis.lost else None,
    }
    return result


def _impact(row: GroupImpact, kind: str) -> dict:
    return {
        kind: display_path(row.name),
        "files": row.files,
        "orphaned": row.orphaned,
        "coverage_before": round(row.coverage_before, 6),
        "coverage_after": round(row.coverage_after, 6),
        "truck_factor_before": row.truck_factor_before,
        "truck_factor_after": row.truck_factor_after,
    }


def leave_to_dict(analysis: Analysis, impact: LeaveImpact) -> dict:
    """A leave simulation: who leaves, orphaned files with successors, before/after overall and per group."""
    return {
        "leavers": [_dev(analysis, i) for i in impact.leavers],
        "already_gone": [_dev(analysis, i) for i in impact.already_gone],
        "files": impact.files,
        "orphaned_count": len(impact.orphaned),
        "coverage_before": round(impact.coverage_before, 6),
        "coverage_after": round(impact.coverage_after, 6),
        "truck_factor_before": impact.truck_factor_before,
        "truck_factor_after": impact.truck_factor_after,
        "orphaned_files": [
            {
                "path": display_path(o.path),
                "module": display_path(o.module),
                "language": o.language,
                "former_authors": [_dev(analysis, i) for i in o.former_authors],
                "successors": [
                    {
                        **_dev(analysis, s.developer),
                        "doa": round(s.doa, 4),
                        "doa_normalized": round(s.normalized, 4),
                    }
                    for s in o.successors
                ],
            }
            for o in impact.orphaned
        ],
        "modules": [_impact(m, "module") for m in impact.modules],
        "languages": [_impact(lang, "language") for lang in impact.languages],
    }
