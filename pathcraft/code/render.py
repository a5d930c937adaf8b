"""Readable summaries (rich tables) of the JSON that report.py builds."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

TOP_ROWS = 15


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def print_analysis(data: dict, console: Console | None = None) -> None:
    console = console or Console()
    filtered = data["files_filtered"]
    console.print(
        f"[bold]{data['repository']}[/] at {data['commit'][:12]} ({data['ref']}"
        + (f", as of {data['as_of']}" if data["as_of"] else "")
        + f"): {data['commits_analysed']:,} commits, {data['files_analysed']:,} files analysed, "
        f"{len(filtered):,} left out"
    )
    for note in data["notes"]:
        console.print(f"[yellow]note:[/] {note}")
    console.print(
        f"[bold]Truck factor {data['truck_factor']}[/] (files with an author: {_pct(data['coverage_before'])})"
    )
    table = Table("#", "developer", "files authored", "coverage after", title="Removal order")
    for n, dev in enumerate(data["truck_factor_developers"], start=1):
        table.add_row(
            str(n), f"{dev['name']} <{dev['key']}>", str(dev["files_authored"]), _pct(dev["coverage_after"])
        )
    console.print(table)
    modules = sorted(data["modules"], key=lambda m: (m["truck_factor"], -m["files"]))[:TOP_ROWS]
    table = Table(
        "module",
        "files",
        "truck factor",
        "authors",
        "single author",
        title="Modules (lowest truck factor first)",
    )
    for m in modules:
        names = ", ".join(a["name"] for a in m["authors"][:3]) + (" …" if len(m["authors"]) > 3 else "")
        table.add_row(
            m["module"], str(m["files"]), str(m["truck_factor"]), names, "yes" if m["single_author"] else ""
        )
    console.print(table)
    table = Table("language", "files", "truck factor", "who can work in it", title="Language stack")
    for lang in sorted(data["languages"], key=lambda x: -x["files"])[:TOP_ROWS]:
        names = ", ".join(f"{a['name']} ({a['files']})" for a in lang["authors"][:4])
        table.add_row(lang["language"], str(lang["files"]), str(lang["truck_factor"]), names)
    console.print(table)
    reasons: dict[str, int] = {}
    for row in filtered:
        kind = row["reason"].split(" (")[0]
        reasons[kind] = reasons.get(kind, 0) + 1
    if reasons:
        console.print(
            "Left out: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items(), key=lambda x: -x[1]))
        )
    team = data["timing"]["team"]
    if team["commits"]:
        console.print(
            f"Commits at night {_pct(team['night_share'])}, at weekends {_pct(team['weekend_share'])} "
            "(authors' own local time)"
        )


def print_leave(data: dict, console: Console | None = None) -> None:
    console = console or Console()
    who = ", ".join(f"{d['name']} <{d['key']}>" for d in data["leavers"]) or "nobody"
    console.print(
        f"[bold]If {who} leave(s):[/] {data['orphaned_count']} of {data['files']} files lose their last author"
    )
    console.print(
        f"coverage {_pct(data['coverage_before'])} -> {_pct(data['coverage_after'])}, "
        f"truck factor {data['truck_factor_before']} -> {data['truck_factor_after']}"
    )
    table = Table("file", "successors (DOA)", title="Orphaned files")
    for row in data["orphaned_files"][: TOP_ROWS * 2]:
        successors = (
            ", ".join(f"{s['name']} ({s['doa']:.2f})" for s in row["successors"]) or "nobody knows it"
        )
        table.add_row(row["path"], successors)
    console.print(table)
    changed = [m for m in data["modules"] if m["orphaned"]]
    if changed:
        table = Table("module", "files", "orphaned", "coverage", "truck factor", title="Modules affected")
        for m in changed[:TOP_ROWS]:
            table.add_row(
                m["module"], str(m["files"]), str(m["orphaned"]),
                f"{_pct(m['coverage_before'])} -> {_pct(m['coverage_after'])}",
                f"{m['truck_factor_before']} -> {m['truck_factor_after']}",
            )  # fmt: skip
        console.print(table)
