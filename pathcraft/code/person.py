"""A person's "what I know" across repositories: files, modules and languages they author (degree of authorship),
where they are the only author, and (for themself and their manager only) when they commit."""

from __future__ import annotations

from pathcraft.code.defaults import WEEKDAYS, load_defaults
from pathcraft.code.matching import matches_for
from pathcraft.code.models import Repository
from pathcraft.people.models import Person
from pathcraft.people.permissions import can_view
from pathcraft.people.policy import Kind

TIMING_COUNTS = ("commits", "night", "weekend", "outside_working_hours")


def _keys_of(repository: Repository, person: Person) -> set[str]:
    matches = matches_for(repository.report, repository.team.organisation_id)
    return {key for key, m in matches.items() if m.person is not None and m.person.pk == person.pk}


def _share(part: int, whole: int) -> dict:
    return {"count": part, "of": whole, "pct": round(100 * part / whole) if whole else 0}


def repository_knowledge(repository: Repository, person: Person, keys: set[str]) -> dict:
    """What PERSON (developer KEYS) knows in one analysed repository."""
    report = repository.report
    files = []
    for f in report["files"]:
        mine = [a for a in f["authors"] if a["key"] in keys]
        if mine:
            best = max(mine, key=lambda a: a["doa"])
            sole = all(a["key"] in keys for a in f["authors"])
            files.append({"path": f["path"], "module": f["module"], "language": f["language"], "doa": best["doa"],
                          "doa_normalized": best["doa_normalized"], "created": any(a["created"] for a in mine),
                          "co_authors": len(f["authors"]) - len(mine), "sole": sole})  # fmt: skip
    files.sort(key=lambda f: (not f["sole"], f["path"]))

    def groups(rows: list[dict], kind: str) -> list[dict]:
        found = []
        for row in rows:
            mine = sum(a["files"] for a in row["authors"] if a["key"] in keys)
            if mine:
                sole = bool(row["authors"]) and all(a["key"] in keys for a in row["authors"])
                found.append({"name": row[kind], "files": row["files"], "authored": mine,
                              "truck_factor": row["truck_factor"], "sole": sole,
                              "others": len([a for a in row["authors"] if a["key"] not in keys])})  # fmt: skip
        return sorted(found, key=lambda g: (not g["sole"], -g["authored"], g["name"]))

    devs = [d for d in report["developers"] if d["key"] in keys]
    timing = {name: sum(d["timing"][name] for d in devs) for name in TIMING_COUNTS}
    timing["hours_known"] = any(d["timing"]["working_hours_known"] for d in devs)
    truck_keys = [d["key"] for d in report["truck_factor_developers"]]
    return {
        "repository": repository,
        "files_analysed": report["files_analysed"],
        "files": files,
        "authored": len(files),
        "sole_files": [f for f in files if f["sole"]],
        "modules": groups(report["modules"], "module"),
        "languages": groups(report["languages"], "language"),
        "commits": sum(d["commits"] for d in devs),
        "first_commit": min(d["first_commit"] for d in devs)[:10],
        "last_commit": max(d["last_commit"] for d in devs)[:10],
        "emails": sorted({e for d in devs for e in d["emails"]}),
        "in_truck_factor": next((n for n, k in enumerate(truck_keys, start=1) if k in keys), None),
        "truck_factor": report["truck_factor"],
        "timing": timing,
    }


def person_knowledge(user, person: Person, repositories) -> dict:
    """The "what I know" page: REPOSITORIES are those the viewer may see (the caller checked CODE_KNOWLEDGE on
    PERSON); commit timing only when the permission core allows CODE_ACTIVITY (the person and their manager)."""
    found = []
    for repository in repositories.filter(team__organisation_id=person.organisation_id).exclude(report=None):
        keys = _keys_of(repository, person)
        if keys:
            found.append(repository_knowledge(repository, person, keys))
    show_timing = can_view(user, person, Kind.CODE_ACTIVITY)
    timing = None
    if show_timing and found:
        sums = {name: sum(r["timing"][name] for r in found) for name in TIMING_COUNTS}
        commits = sums["commits"]
        d = load_defaults()
        days = [WEEKDAYS[int(c) - 1] for c in person.work_days if c.isdigit() and 1 <= int(c) <= 7]
        timing = {
            "commits": commits,
            "night": _share(sums["night"], commits),
            "weekend": _share(sums["weekend"], commits),
            "outside": _share(sums["outside_working_hours"], commits),
            "hours_known": any(r["timing"]["hours_known"] for r in found),
            "work_hours": f"{person.work_start:%H:%M}–{person.work_end:%H:%M}",
            "work_days": ", ".join(days),
            "timezone": person.timezone,
            "night_hours": f"{d.night_start_hour:02d}:00–{d.night_end_hour:02d}:00",
            "default_hours": f"{d.work_start_hour:02d}:00–{d.work_end_hour:02d}:00",
        }
    return {
        "person": person,
        "repositories": found,
        "files": sum(r["authored"] for r in found),
        "sole_files": sum(len(r["sole_files"]) for r in found),
        "sole_modules": sum(1 for r in found for m in r["modules"] if m["sole"]),
        "sole_languages": sum(1 for r in found for lang in r["languages"] if lang["sole"]),
        "show_timing": show_timing,
        "timing": timing,
    }
