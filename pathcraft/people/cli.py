"""People and organisation on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pathcraft.cli.main import setup_django
from pathcraft.errors import InputError


@click.group("import")
def import_group() -> None:
    """Import data from other systems."""


@import_group.command("people")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--org", "org_slug", default=None, help="Organisation slug (default: the only one, or a new one)."
)
@click.option("--org-name", default="My organisation", show_default=True, help="Name for a new organisation.")
def import_people(file: Path, org_slug: str | None, org_name: str) -> None:
    """Import people from an HR system's CSV export (see docs/people-csv.md); a bad row refuses the whole file.

    Columns: name, email, manager_email, team, title, timezone, location, work_start, work_end, work_days.
    """
    setup_django()
    from pathcraft.people.actions import get_or_create_organisation, import_people_csv
    from pathcraft.people.models import Organisation

    if org_slug:
        org = Organisation.objects.filter(slug=org_slug).first()
        if org is None:
            raise InputError(f"no organisation with slug {org_slug!r}")
    else:
        orgs = list(Organisation.objects.all()[:2])
        if len(orgs) > 1:
            raise InputError("several organisations exist: choose one with --org")
        org = orgs[0] if orgs else get_or_create_organisation(org_name)
    counts = import_people_csv(org, file.read_bytes())
    click.echo(
        f"Imported {file}: {counts['created']} created, {counts['updated']} updated, {counts['teams']} teams"
    )


@click.group()
def people() -> None:
    """Look at people (as a viewer, through the permission core) and invite them."""


@people.command("list")
@click.option("--as", "viewer_email", required=True, help="Email of the person whose view to show.")
@click.option("--team", default=None, help="Only this team (slug).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def people_list(viewer_email: str, team: str | None, as_json: bool) -> None:
    """List the people VIEWER may see in the directory."""
    setup_django()
    from pathcraft.people.models import Person
    from pathcraft.people.permissions import visible_people
    from pathcraft.people.policy import Kind

    viewer = Person.objects.filter(email__iexact=viewer_email).select_related("user").first()
    if viewer is None or viewer.user is None:
        raise InputError(f"no person with an account has the email {viewer_email}")
    rows = visible_people(viewer.user, Kind.DIRECTORY).select_related("team", "manager")
    if team:
        rows = rows.filter(team__slug=team)
    data = [
        {"name": p.name, "email": p.email, "title": p.title, "team": p.team.slug if p.team else None,
         "manager": p.manager.email if p.manager else None, "timezone": p.timezone}
        for p in rows.order_by("name")
    ]  # fmt: skip
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    for row in data:
        click.echo(f"{row['name']:<28} {row['title']:<30} {row['team'] or '-':<10} {row['timezone']}")


@people.command("invite")
@click.argument("email")
def people_invite(email: str) -> None:
    """Create an invitation link for the person with EMAIL and print it."""
    setup_django()
    from django.conf import settings

    from pathcraft.people.actions import create_invitation
    from pathcraft.people.models import Person

    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        raise InputError(f"no person with the email {email}")
    invitation = create_invitation(person)
    click.echo(
        f"{settings.SITE_URL}/invite/{invitation.token}/ (valid until {invitation.expires_at:%Y-%m-%d})"
    )


commands = [import_group, people]
