"""Database commands of career paths: `pathcraft framework import FILE` and `pathcraft framework list`.

They join the `framework` group of cli_framework.py (validate, export, show, readiness), which needs
no database; these two call setup_django() first.
"""

from __future__ import annotations

from pathlib import Path

import click

from pathcraft.errors import InputError
from pathcraft.paths.cli_framework import FORMAT_OPTION, GENERIC_OPTION, framework_group


def _organisation(slug: str | None):
    from pathcraft.people.models import Organisation

    if slug:
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            raise InputError(f"no organisation with slug {slug!r}")
        return org
    orgs = list(Organisation.objects.all()[:2])
    if not orgs:
        raise InputError(
            "no organisation yet: import people first (pathcraft import people FILE) or load the demo"
        )
    if len(orgs) > 1:
        raise InputError("several organisations exist: choose one with --org")
    return orgs[0]


@framework_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@FORMAT_OPTION
@GENERIC_OPTION
@click.option("--activate", is_flag=True, help="Make it the organisation's framework for positions.")
@click.option("--org", "org_slug", metavar="SLUG", help="Organisation (default: the only one).")
def import_command(
    file: Path, format_: str, generic: Path | None, activate: bool, org_slug: str | None
) -> None:
    """Store FILE (our YAML, FT or Monzo) in the database; an existing framework with its id is replaced."""
    from pathcraft.cli.main import setup_django

    setup_django()
    from pathcraft.paths.actions import import_framework_file

    org = _organisation(org_slug)
    row, warnings = import_framework_file(org, file, format_, generic, activate)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    state = "active" if row.is_active else "not active"
    click.echo(
        f"imported {row.key} ({row.name}): {row.tracks} tracks, {row.levels} levels, "
        f"{row.criteria} criteria; {state}"
    )


@framework_group.command("list")
@click.option("--org", "org_slug", metavar="SLUG", help="Organisation (default: the only one).")
def list_command(org_slug: str | None) -> None:
    """The frameworks stored in the database (the active one is marked with *)."""
    from pathcraft.cli.main import setup_django

    setup_django()
    from pathcraft.paths.models import Framework

    org = _organisation(org_slug)
    rows = Framework.objects.filter(organisation=org)
    if not rows:
        click.echo("no frameworks stored yet (the default one is imported on first use of the Career pages)")
    for row in rows:
        mark = "*" if row.is_active else " "
        click.echo(
            f"{mark} {row.key}: {row.name} ({row.tracks} tracks, {row.levels} levels, {row.criteria} criteria)"
        )


# The group itself is registered by cli_framework.py; this module only adds commands to it.
commands: list = []
