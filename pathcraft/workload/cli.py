"""Workload commands that use the database: import calendars and incidents, show a manager's team health.

(`pathcraft calendar analyze` and `pathcraft overlap` need no database: see cli_calendar.py and cli_overlap.py.)
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from pathcraft.cli.main import setup_django
from pathcraft.errors import InputError


@click.group()
def workload() -> None:
    """Store calendar analyses and incidents; show a manager's team health."""


def _person(email: str):
    from pathcraft.people.models import Person

    person = Person.objects.filter(email__iexact=email.strip()).select_related("organisation").first()
    if person is None:
        raise InputError(f"no person has the email {email}")
    return person


@workload.command("import-calendar")
@click.option("--person", "email", required=True, help="Email of the person whose calendar this is.")
@click.option(
    "--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First day (inclusive)."
)
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Last day (exclusive).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_calendar(email: str, start, end, file: Path) -> None:
    """Analyse FILE.ics in the person's zone and working hours and keep the weekly figures (not the file)."""
    setup_django()
    from pathcraft.workload.actions import import_calendar as run

    person = _person(email)
    row = run(
        person, file.read_bytes(), start=start.date() if start else None, end=end.date() if end else None
    )
    click.echo(f"Analysed {file} for {person.name}: {len(row.weeks)} weeks, {row.start} to {row.end}")


@workload.command("import-incidents")
@click.option("--org", "org_slug", default=None, help="Organisation slug (default: the only one).")
@click.option("--format", "fmt", default="auto", show_default=True,
              type=click.Choice(["auto", "csv", "pagerduty", "opsgenie"]),
              help="auto: detect. pagerduty: REST API JSON of GET /incidents (+ \"log_entries\"). "
                   "opsgenie: REST API JSON of GET /v2/alerts (+ \"recipients\", \"logs\"). csv: generic columns.")  # fmt: skip
@click.option("--kind", "default_kind", default="oncall", show_default=True,
              type=click.Choice(["escalation", "support", "oncall"]), help="Kind of rows the file does not type.")  # fmt: skip
@click.option("--assume-tz", default=None, help="Zone of CSV times written without a UTC offset.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_incidents(
    org_slug: str | None, fmt: str, default_kind: str, assume_tz: str | None, file: Path
) -> None:
    """Import an incident export: PagerDuty or Opsgenie as their REST APIs return it, or a generic CSV.

    Each page counts for every person it reached, at the moment it reached them (who was paged, who acknowledged,
    escalations). All or nothing: one bad row or item refuses the file, naming its line (CSV) or place in the
    JSON (incidents[3]) and the field. See docs/workload.md.
    """
    setup_django()
    from pathcraft.people.models import Organisation
    from pathcraft.workload.actions import import_incidents as run

    if org_slug:
        org = Organisation.objects.filter(slug=org_slug).first()
        if org is None:
            raise InputError(f"no organisation with slug {org_slug!r}")
    else:
        orgs = list(Organisation.objects.all()[:2])
        if len(orgs) != 1:
            raise InputError("choose the organisation with --org" if orgs else "no organisation yet")
        org = orgs[0]
    batch = run(
        org, file.read_bytes(), source=file.name, default_kind=default_kind, assume_tz=assume_tz, fmt=fmt
    )
    click.echo(f"Imported {batch.rows} incident(s) from {file} ({batch.get_format_display()})")
    if batch.unknown_people:
        click.echo(f"Not in the organisation, not stored: {', '.join(batch.unknown_people)}", err=True)


@workload.command("status")
@click.option(
    "--manager", "email", required=True, help="The manager whose team health to show (as they see it)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status(email: str, as_json: bool) -> None:
    """The manager's team health, as the manager sees it: their load, reports' signals, aggregates of >= k."""
    setup_django()
    from pathcraft.people.permissions import visible_people
    from pathcraft.people.policy import Kind, Relation, decide
    from pathcraft.workload import health
    from pathcraft.workload.api import _jsonable

    manager = _person(email)
    if manager.user is not None:
        visible = set(visible_people(manager.user, Kind.WORKLOAD).values_list("pk", flat=True))
    else:  # no account: the manager's relation to their direct reports, asked of the same policy table
        allowed = decide(Kind.WORKLOAD, {Relation.MANAGER}, set())
        visible = set(manager.reports.values_list("pk", flat=True)) if allowed else set()
    data = health.team_health(manager, dt.date.today(), visible_ids=visible)
    if as_json:
        data["own"]["calendar"] = None
        data["overlap"].pop("svg")
        click.echo(json.dumps(_jsonable(data), indent=2))
        return
    load = data["load"]
    click.echo(f"{manager.name}: {load['span'].message}")
    if load["cost"]:
        click.echo(f"  1:1s: {load['cost'].hours_per_week:.1f} h/week ({load['cost'].share_of_week:.0%})")
    if load["change"]:
        click.echo(
            f"  moving {load['suggest_biweekly']} to biweekly frees {load['change'].hours_freed:.1f} h/week"
        )
    for s in data["own_signals"]:
        click.echo(f"  [{s['level']}] {s['title']}: {s['saw']}")
    click.echo("Team:")
    for row in data["reports"]:
        titles = "; ".join(s["title"] for s in row["signals"]) or "no signals"
        click.echo(f"  {row['person'].name:<24} escalations {row['escalations']:>3}  {titles}")
    for s in data["team_signals"]:
        click.echo(f"  [{s['level']}] {s['title']}: {s['saw']}")
    burnout = data["burnout"]
    for a in burnout.get("scales", []):
        shown = f"mean {a['mean']} over {a['n']}" if a["shown"] else a["reason"]
        click.echo(f"  {a['label']}: {shown}")


commands = [workload]
