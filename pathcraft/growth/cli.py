"""Growth conversations on the command line: the manager dashboard, exports, the .ics series, reminders.

`status --json` output (stable): {"manager": {name, email}, "as_of", "reports": [{name, email, ...figures}],
"team": {...}, "notes": [...]} — every figure as {"numerator", "denominator", "value"} with its threshold.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from pathcraft.cli.main import setup_django
from pathcraft.errors import InputError


def _person(email: str):
    from pathcraft.people.models import Person

    person = Person.objects.filter(email__iexact=email.strip()).select_related("user").first()
    if person is None:
        raise InputError(f"no person with the email {email}")
    return person


def _as_of(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of must be a date like 2026-11-23, got {value!r}") from None
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


@click.group()
def growth() -> None:
    """1:1s, the four questions, fair spotlight, delegation: dashboard, exports, calendar, reminders."""


def status_data(manager, now=None) -> dict:
    """The manager's dashboard as stable JSON data (also used by the API)."""
    from pathcraft.growth import queries
    from pathcraft.growth.dashboard import to_jsonable

    board, people = queries.dashboard(manager, now)
    data = to_jsonable(board)
    for row in data["reports"]:
        person = people[row["report"]]
        row["name"], row["email"] = person.name, person.email
    return {"manager": {"name": manager.name, "email": manager.email}, "as_of": data["today"],
            "reports": data["reports"], "team": data["team"], "notes": data["notes"]}  # fmt: skip


@growth.command("status")
@click.option("--manager", "manager_email", required=True, help="Email of the manager.")
@click.option("--as-of", "as_of", default=None, help="Compute as of this date (default: now).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (stable keys; see the module doc).")
def status(manager_email: str, as_of: str | None, as_json: bool) -> None:
    """The manager dashboard: one row per report with numerator/denominator figures, then the team."""
    setup_django()
    manager = _person(manager_email)
    if not manager.reports.exists():
        raise InputError(f"{manager.name} has no direct reports")
    data = status_data(manager, _as_of(as_of))
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"1:1 dashboard of {manager.name}, as of {data['as_of']} ({len(data['reports'])} reports)")
    click.echo(f"{'report':<24} {'adherence':>10} {'days':>5} {'cancel':>7} {'agenda':>7}  stale questions")
    for row in data["reports"]:
        adh = row["adherence"]["figure"]
        cancelled = row["cancellations_by_manager"]["figure"]
        share = row["agenda_share"]["report_items"]
        stale = [q["question"] for q in row["questions"] if q["stale"]]
        days = row["days_since_last_one_on_one"]["figure"]
        click.echo(f"{row['name']:<24} {adh['numerator']:>4g}/{adh['denominator']:<5g} {days if days is not None else '-':>5} "
                   f"{cancelled['numerator']:>3g}/{cancelled['denominator']:<3g} {share['numerator']:>3g}/{share['denominator']:<3g}  "
                   f"{', '.join(stale) or '-'}")  # fmt: skip
    team = data["team"]
    if team:
        cost = team["cost"]
        click.echo(f"1:1s cost {cost['hours_per_week']:.1f} h a week ({cost['share_of_week']['value']:.0%} of "
                   f"{cost['working_week']['value']:g} h).")  # fmt: skip
        spot = team["spotlight"]
        click.echo(f"Spotlight: top share {spot['top_share']['numerator']:g}/{spot['top_share']['denominator']:g}, "
                   f"normalised Gini {spot['normalised_gini'] if spot['enough_data'] else 'n/a'} — {spot['note']}")  # fmt: skip
    click.echo("Reports are listed by name; nothing here ranks people.")


@growth.command("export")
@click.option("--person", "person_email", required=True, help="Whose view to export.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export(person_email: str, file: Path) -> None:
    """Write FILE.json with everything of 1:1s and growth this person may see (their private notes only)."""
    setup_django()
    from pathcraft.growth.exports import export_for

    data = export_for(_person(person_email))
    _write_json(file, data)
    click.echo(f"Wrote {file}: {len(data['relationships'])} 1:1 relationship(s)")


@growth.command("dsar")
@click.option("--person", "person_email", required=True, help="Whose data to export.")
@click.option(
    "--by", "by", required=True, help="User name of the administrator running the request (logged)."
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def dsar(person_email: str, by: str, file: Path) -> None:
    """An administrator's legal export (data-subject access request) of one person's growth data; logged."""
    setup_django()
    from django.contrib.auth import get_user_model

    from pathcraft.growth.exports import legal_export

    admin = get_user_model().objects.filter(username=by, is_superuser=True).first()
    if admin is None:
        raise InputError(f"--by must name an administrator account; {by!r} is not one")
    data = legal_export(_person(person_email), admin.username)
    _write_json(file, data)
    click.echo(f"Wrote {file} (legal export, logged as run by {admin.username})")


@growth.command("ics")
@click.option("--manager", "manager_email", required=True, help="Email of the manager.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def ics(manager_email: str, file: Path) -> None:
    """Write the manager's 1:1 series as an .ics file any calendar app accepts."""
    setup_django()
    from pathcraft.growth import actions, queries
    from pathcraft.growth.ics_export import to_ics

    manager = _person(manager_email)
    rels = queries.active_reports(manager)
    if not rels:
        raise InputError(f"{manager.name} has no active 1:1s")
    series = []
    for rel in rels:
        actions.settle(rel)
        series.append((rel.to_engine(), actions.engine_occurrences(rel)))
    file.write_bytes(to_ics(series))
    click.echo(f"Wrote {file}: {len(series)} series")


@growth.command("import-ics")
@click.option("--manager", "manager_email", required=True, help="Email of the manager (or mentor).")
@click.option("--report", "report_email", required=True, help="Email of the report (or mentee).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_ics(manager_email: str, report_email: str, file: Path) -> None:
    """Add the 1:1s of this pair found in FILE.ics (one person's calendar export; recurrences expanded)."""
    setup_django()
    from pathcraft.growth import actions
    from pathcraft.growth.models import Relationship

    rel = Relationship.objects.filter(
        manager=_person(manager_email), report=_person(report_email), ended_on=None
    ).first()
    if rel is None:
        raise InputError(f"no active 1:1 between {manager_email} and {report_email}")
    made = actions.import_from_calendar(rel, file.read_bytes())
    click.echo(f"Imported {made} meeting(s) from {file}")


@growth.command("remind")
@click.option("--dry-run", is_flag=True, help="List the reminders without sending or recording them.")
def remind(dry_run: bool) -> None:
    """Send due reminders: before a 1:1, after it, overdue 1:1s and stale questions."""
    setup_django()
    from django.db import transaction

    from pathcraft.growth.emails import reminders, send_reminders

    if dry_run:
        with transaction.atomic():
            messages = reminders()
            for message in messages:
                click.echo(f"{message.to[0]}: {message.subject}")
            transaction.set_rollback(True)
        return
    click.echo(f"Sent {send_reminders()} reminder(s)")


commands = [growth]
