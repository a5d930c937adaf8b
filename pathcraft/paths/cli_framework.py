"""`pathcraft framework validate|export|show|readiness`: career framework files, no database needed."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pathcraft.errors import InputError
from pathcraft.paths.frameworks import FORMATS, dump_framework, parse_pathcraft, read_framework
from pathcraft.paths.frameworks.located import parse_yaml
from pathcraft.paths.frameworks.readiness import assess_readiness, parse_assessment

FORMAT_OPTION = click.option(
    "--format",
    "format_",
    type=click.Choice(FORMATS),
    default="auto",
    show_default=True,
    help="pathcraft (ours), ft (Financial Times job family YAML), monzo (Monzo Markdown), or guess.",
)
GENERIC_OPTION = click.option(
    "--generic",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Monzo only: the generic.md that topics inherit from (default: beside the file or in ../).",
)


def _read(path: Path, format_: str, generic: Path | None):
    framework, warnings = read_framework(path, format_, generic)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    return framework


@click.group("framework")
def framework_group() -> None:
    """Career frameworks: tracks, levels, competencies and bridges (our YAML, FT, Monzo)."""


@framework_group.command("validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@FORMAT_OPTION
@GENERIC_OPTION
def validate_command(file: Path, format_: str, generic: Path | None) -> None:
    """Check FILE; every problem is printed as `file:line: problem`."""
    framework = _read(file, format_, generic)
    levels = sum(len(t.levels) for t in framework.tracks)
    click.echo(
        f"{file}: valid ({len(framework.tracks)} tracks, {levels} levels, "
        f"{len(framework.areas)} areas, {len(framework.criteria())} criteria, {len(framework.bridges)} bridges)"
    )


@framework_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--to",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file ('-' for stdout).",
)
@FORMAT_OPTION
@GENERIC_OPTION
def export_command(file: Path, out: Path, format_: str, generic: Path | None) -> None:
    """Convert FILE (any supported format) into pathcraft's YAML format."""
    framework = _read(file, format_, generic)
    text = dump_framework(framework, header=f"Converted by `pathcraft framework export` from {file.name}.")
    if parse_pathcraft(text, str(out)) != framework:  # never write a file that would lose something
        raise InputError(f"{file}: the export would not read back identically; nothing written")
    if str(out) == "-":
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    click.echo(f"wrote {out} ({len(framework.criteria())} criteria)", err=True)


@framework_group.command("show")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@FORMAT_OPTION
@GENERIC_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def show_command(file: Path, format_: str, generic: Path | None, as_json: bool) -> None:
    """Summarise FILE: tracks, their levels, criteria per level, and bridges."""
    framework = _read(file, format_, generic)
    summary = {
        "id": framework.id,
        "name": framework.name,
        "areas": [{"id": a.id, "name": a.name} for a in framework.areas],
        "tracks": [
            {
                "id": t.id,
                "name": t.name,
                "kind": t.kind,
                "levels": [
                    {"id": lv.id, "title": lv.title, "rank": lv.rank, "criteria": len(lv.criteria())}
                    for lv in t.levels
                ],
            }
            for t in framework.tracks
        ],
        "bridges": [{"from": str(b.source), "to": str(b.target), "note": b.note} for b in framework.bridges],
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    click.echo(f"{framework.name} ({framework.id})")
    click.echo(f"{len(framework.areas)} areas: " + ", ".join(a.name for a in framework.areas))
    for track in summary["tracks"]:
        click.echo(f"\n{track['name']} [{track['id']}, {track['kind']}]")
        for lv in track["levels"]:
            click.echo(f"  {lv['rank']:>2}  {lv['title']} ({lv['id']}): {lv['criteria']} criteria")
    if framework.bridges:
        click.echo(f"\n{len(framework.bridges)} bridges:")
        for bridge in framework.bridges:
            click.echo(f"  {bridge.source} -> {bridge.target}")


@framework_group.command("readiness")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("assessment", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@FORMAT_OPTION
@GENERIC_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def readiness_command(
    file: Path, assessment: Path, format_: str, generic: Path | None, as_json: bool
) -> None:
    """Readiness for the target position of ASSESSMENT (YAML: target, current, ratings)."""
    framework = _read(file, format_, generic)
    data = parse_yaml(assessment.read_text(encoding="utf-8"), str(assessment)).data
    parsed = parse_assessment(data, str(assessment))
    result = assess_readiness(framework, parsed.target, parsed)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "target": str(result.target),
                    "verdict": result.verdict,
                    "met": result.met,
                    "total": result.total,
                    "rules_failed": result.rules_failed,
                    "gaps": [
                        {"area": g.area, "criterion": g.criterion, "reason": g.reason} for g in result.gaps
                    ],
                    "route": [
                        {"from": str(s.source), "to": str(s.target), "kind": s.kind} for s in result.route
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    for line in result.explain():
        click.echo(line)
    if result.route:
        click.echo(
            "Route: " + " -> ".join([str(result.route[0].source), *(str(s.target) for s in result.route)])
        )


commands = [framework_group]
