"""`pathcraft overlap PEOPLE.csv`: a team's working-hour overlap for one week, with no server or database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from pathcraft.errors import InputError
from pathcraft.workload import overlap as ov


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None


def _week(text: str | None) -> date:
    if not text:
        return ov.week_start(date.today())
    try:
        return ov.week_start(date.fromisoformat(text))
    except ValueError:
        raise InputError(f"--week {text!r} is not a date (YYYY-MM-DD)") from None


def overlap_report(people: list[ov.Person], week: date, min_overlap: float | None) -> dict:
    """Everything the command shows, as plain data (the --json output; its keys are stable)."""
    matrix = ov.overlap_matrix(people, week, min_overlap)
    slots = {minutes: ov.best_slots(people, week, minutes) for minutes in ov.defaults().slot_lengths}
    longest = max(slots)
    rotation = None
    if slots[longest] and not slots[longest][0].inside_everyones_hours:
        rotation = ov.rotation(people, week, longest)
    return {
        "week_start": matrix.week_start.isoformat(),
        "min_overlap_hours": matrix.min_overlap_minutes / 60,
        "people": [
            {
                "name": p.name,
                "email": p.email,
                "timezone": p.timezone,
                "hours": p.hours_label,
                "work_days": p.days_label,
                "weekly_working_hours": round(matrix.minutes[i][i] / 60, 2),
            }
            for i, p in enumerate(people)
        ],
        "matrix_hours": [[round(m / 60, 2) for m in row] for row in matrix.minutes],
        "pairs": [
            {
                "a": p.a,
                "b": p.b,
                "weekly_hours": p.weekly_hours,
                "best_day_hours": round(p.best_window_minutes / 60, 2),
                "live": p.live,
            }
            for p in matrix.pairs
        ],
        "cannot_collaborate_live": [[p.a, p.b] for p in matrix.cannot_collaborate_live],
        "slots": {str(minutes): [_slot(s) for s in found] for minutes, found in slots.items()},
        "rotation": None
        if rotation is None
        else {
            "minutes": longest,
            "weeks": [_slot(s) for s in rotation.slots],
            "burden_minutes": rotation.burden,
        },
    }


def _slot(s: ov.Slot) -> dict:
    return {
        "start_utc": s.start.isoformat().replace("+00:00", "Z"),
        "minutes": s.minutes,
        "inside_everyones_hours": s.inside_everyones_hours,
        "burden_minutes": s.burden,
        "local_start": s.local_starts,
    }


@click.command("overlap")
@click.argument("people_csv", metavar="PEOPLE.csv", type=click.Path(dir_okay=False))
@click.option(
    "--week", "week_text", metavar="DATE", help="Any date in the ISO week to analyse (default: this week)."
)
@click.option(
    "--min-overlap",
    type=float,
    default=None,
    metavar="H",
    help=f"Hours of shared working time a day needed to collaborate live (default {ov.defaults().min_overlap_hours:g}).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON report instead of text.")
@click.option(
    "--svg", "svg_path", type=click.Path(dir_okay=False, writable=True), help="Write an SVG heatmap here."
)
def overlap_command(
    people_csv: str, week_text: str | None, min_overlap: float | None, as_json: bool, svg_path: str | None
) -> None:
    """Working-hour overlap of a distributed team for one week.

    PEOPLE.csv has a header and the columns name,email,timezone,work_start,work_end and optionally work_days:
    timezone is an IANA name (Europe/Berlin), times are local HH:MM (an end before the start means an overnight
    shift), work_days like Mon-Fri, Sun-Thu or Mon,Wed,Fri (default Mon-Fri). Daylight saving is applied for the
    week asked for.
    """
    people = ov.parse_people_csv(_read(people_csv), source=people_csv)
    week = _week(week_text)
    report = overlap_report(people, week, min_overlap)
    if svg_path:
        svg = ov.heatmap_svg(ov.overlap_matrix(people, week, min_overlap))
        try:
            Path(svg_path).write_text(svg, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {svg_path}: {exc.strerror or exc}") from None
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    click.echo(_text(report, people))


def _text(report: dict, people: list[ov.Person]) -> str:
    names = {p.key: p.name for p in people}
    lines = [f"Week of {report['week_start']}: {len(people)} people"]
    lines.append("")
    lines.append("Shared working hours per week:")
    for pair in sorted(report["pairs"], key=lambda p: (p["weekly_hours"], p["a"], p["b"])):
        mark = "" if pair["live"] else "   <- cannot collaborate live"
        lines.append(
            f"  {names[pair['a']]} / {names[pair['b']]}: {pair['weekly_hours']:.1f} h "
            f"(best day {pair['best_day_hours']:.1f} h){mark}"
        )
    live_line = report["min_overlap_hours"]
    lines.append(f"  (live collaboration needs at least {live_line:g} h shared on some day)")
    for minutes, slots in report["slots"].items():
        lines.append("")
        lines.append(
            f"Best {minutes}-minute slots (fairest first: smallest worst off-hours burden, then total):"
        )
        for s in slots:
            burden = ", ".join(f"{names[k]} {v} min" for k, v in s["burden_minutes"].items() if v) or "no one"
            local = ", ".join(f"{names[k]} {t}" for k, t in s["local_start"].items())
            lines.append(f"  {s['start_utc']}  off hours: {burden}  [{local}]")
    rotation = report["rotation"]
    if rotation:
        lines.append("")
        lines.append(f"No {rotation['minutes']}-minute slot fits everyone's hours; rotate week by week:")
        for i, s in enumerate(rotation["weeks"], start=1):
            local = ", ".join(f"{names[k]} {t}" for k, t in s["local_start"].items())
            lines.append(f"  week {i}: {s['start_utc']}  [{local}]")
        carried = ", ".join(
            f"{names[k]} {v} min"
            for k, v in sorted(rotation["burden_minutes"].items(), key=lambda kv: -kv[1])
        )
        lines.append(f"  off-hours burden over the rotation: {carried}")
    return "\n".join(lines)


commands = [overlap_command]
