"""The documented JSON of an analysis and of a leave simulation (stable keys; see docs/code.md)."""

from __future__ import annotations

from datetime import UTC, datetime

from pathcraft.code.analysis import Analysis
from pathcraft.code.gitrepo import display_path
from pathcraft.code.leave import GroupImpact, LeaveImpact
from pathcraft.code.timing import commit_timing, team_histogram
from pathcraft.code.truckfactor import TruckFactor

JSON_VERSION = 1


def _iso(timestamp: int) -> str:
    # isoformat: strftime costs ~0.1 ms a call here, which adds up over thousands of developers.
    return datetime.fromtimestamp(timestamp, UTC).isoformat().replace("+00:00", "Z")


def _dev(analysis: Analysis, index: int) -> dict:
    dev = analysis.knowledge.developers[index]
    return {"key": dev.key, "name": dev.name}


def _removals(analysis: Analysis, truck: TruckFactor, fids: list[int] | None = None) -> list[dict]:
    files = analysis.knowledge.files
    chosen = range(len(files)) if fids is None else fids
    rows = []
    for removal in truck.removals:
        authored = [
            display_path(files[fid].path)
            for fid in chosen
            if removal.developer in analysis.knowledge.authors_of(fid, analysis.gone)
        ]
        rows.append(
            {
                **_dev(analysis, removal.developer),
                "files_authored": removal.files,
                "coverage_after": round(removal.coverage_after, 6),
                "files": authored,
            }
        )
    return rows


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


def analysis_to_dict(analysis: Analysis) -> dict:
    """The full result: the keys of issue 7 (truck_factor, truck_factor_developers, files_analysed, files_filtered,
    per-file authors with DOA and normalised DOA, coverage after each removal) and the per-module/language views."""
    k = analysis.knowledge
    d = analysis.defaults
    truck = analysis.truck
    filtered = {**analysis.selection.filtered, **k.left_out}
    authored_counts = k.authored(None, analysis.gone)
    gone = set(analysis.gone)
    working = analysis.options.working_hours
    developers = []
    for index, dev in enumerate(k.developers):
        hours = next((working[h] for h in [dev.key, *dev.emails] if h in working), None)
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
                "timing": commit_timing(dev.hours, d, hours).to_dict(),
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
                "contributors": len(f.authorships),
                "authors": [
                    {
                        **_dev(analysis, a.developer),
                        "doa": round(a.doa, 4),
                        "doa_normalized": round(a.normalized, 4),
                        "created": a.created,
                        "changes": a.deliveries,
                        "changes_by_others": a.acceptances,
                    }
                    for a in f.authorships
                    if a.is_author and a.developer not in gone
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
        "timing": {"team": commit_timing(team_histogram(dev.hours for dev in k.developers), d).to_dict()},
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
