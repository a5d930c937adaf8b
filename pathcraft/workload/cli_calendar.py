"""`pathcraft calendar analyze FILE.ics`: weekly meeting load from an export, with no server and no database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from pathcraft.errors import InputError
from pathcraft.workload.calendar import CalendarReport, analyze_calendar, load_settings


@click.group(name="calendar")
def calendar_group() -> None:
    """Analyse calendar exports (.ics from Google, Outlook, Apple, Fastmail)."""


@calendar_group.command(name="analyze")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--tz", "tz", required=True, help="The person's time zone (IANA, e.g. Europe/Berlin).")
@click.option("--hours", default=None, help="Working hours in that zone, HH:MM-HH:MM [default: 09:00-17:00].")
@click.option("--days", default=None, help="Working days, e.g. Mon-Fri or Sun-Thu [default: Mon-Fri].")
@click.option(
    "--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First day (YYYY-MM-DD)."
)
@click.option(
    "--to", "end", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Day after the last (exclusive)."
)
@click.option(
    "--me", multiple=True, help="The person's email address (repeat for aliases); decides 'declined'."
)
@click.option(
    "--focus-min", type=click.IntRange(15, 600), default=None, help="Shortest focus block in minutes."
)
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON report instead of tables.")
def analyze_command(file, tz, hours, days, start, end, me, focus_min, as_json) -> None:
    """Weekly meetings, focus time, after-hours meetings, back-to-back chains and async candidates of FILE.

    Without --from/--to the last 52 weeks that the file covers are analysed. Declined and cancelled meetings,
    events marked free, all-day events and single-person blocks are not meeting time.
    """
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{file}: cannot read: {exc.strerror or exc}") from None
    settings = load_settings().with_overrides(focus_block_minutes=focus_min)
    try:
        report = analyze_calendar(
            data,
            tz=tz,
            me=set(me),
            hours=hours,
            days=days,
            start=_day(start),
            end=_day(end),
            settings=settings,
        )
    except InputError as exc:
        raise InputError(f"{file.name}: {exc}", exc.problems) from None
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    _print_report(report, file.name)


def _day(value) -> date | None:
    return value.date() if value is not None else None


def _print_report(report: CalendarReport, name: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    focus = report.settings["focus_block_minutes"]
    table = Table(
        title=f"{name}: {report.start} to {report.end} ({report.tz}, working hours {report.working_hours})",
        title_justify="left",
    )
    for column in (
        "Week",
        "Work",
        "Meet",
        "#",
        "1:1",
        "Large",
        "Rec%",
        "Focus",
        "After",
        "B2B",
        "Chain",
        "Async",
    ):
        table.add_column(column, justify="left" if column == "Week" else "right", no_wrap=column == "Week")
    for row in report.weeks:
        table.add_row(
            row.week,
            f"{row.working_hours:g}",
            f"{row.meeting_hours:g}",
            str(row.meeting_count),
            str(row.one_on_one_count),
            str(row.large_meeting_count),
            f"{row.recurring_share * 100:.0f}",
            f"{row.focus_hours:g}" + ("" if row.focus_target_met else " ↓"),
            f"{row.after_hours_meeting_hours:g}",
            str(row.back_to_back_chains),
            str(row.longest_chain_meetings),
            str(row.async_candidate_count),
        )
    console.print(table)
    target = report.settings["focus_target_hours_per_week"]
    console.print(
        f"Work/Meet/Focus/After = hours of working time, meetings, focus blocks of {focus}+ min, meetings outside"
        f" working hours; # meetings; B2B chains (gaps < {report.settings['back_to_back_gap_minutes']} min), the"
        f" longest chain's meetings; Async = meetings that could be written updates; ↓ = under {target:g} h focus.",
        highlight=False,
    )
    if report.trends:
        lines = [
            f"{t.metric.replace('_', ' ')}: {t.direction} ({t.slope_per_week:+g}/week; "
            f"first {t.first_average:g} → last {t.last_average:g})"
            for t in report.trends
        ]
        console.print("[bold]Trends[/bold]\n  " + "\n  ".join(lines))
    if report.async_candidates:
        console.print("[bold]Could be asynchronous[/bold]")
        for candidate in report.async_candidates[:10]:
            reasons = "; ".join(r["reason"] for r in candidate.reasons)
            console.print(
                f"  {candidate.summary or '(no title)'} — {candidate.occurrences}×, {candidate.hours:g} h, "
                f"{candidate.participants} people: {reasons}",
                highlight=False,
            )
    counted = ", ".join(f"{k} {v}" for k, v in report.counted.items() if v)
    console.print(f"Counted: {counted or 'no events in the window'}", highlight=False)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)


commands = [calendar_group]
