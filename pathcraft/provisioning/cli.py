"""`pathcraft leave`: make a leaver without a provider (CSV installations, Google Workspace), as SCIM would."""

from __future__ import annotations

import click

from pathcraft.cli.main import setup_django
from pathcraft.errors import InputError


@click.command("leave")
@click.argument("email")
@click.option(
    "--back", is_flag=True, help="The person returns: they may sign in again (nothing revoked comes back)."
)
def leave(email: str, back: bool) -> None:
    """EMAIL leaves: sign-in, sessions and API tokens end, open feedback about them closes (nothing below the
    anonymity threshold is released), their 1:1s end, their manager sees the handover (docs/sso.md#leavers)."""
    setup_django()
    from pathcraft.people.models import Person
    from pathcraft.provisioning import leavers

    person = Person.objects.filter(email__iexact=email).select_related("manager").first()
    if person is None:
        raise InputError(f"no person with the email {email}")
    if back:
        if person.is_active:
            raise InputError(f"{person.email} has not left")
        leavers.reactivate(person)
        click.echo(f"{person.name} is back: they may sign in again.")
        return
    if not person.is_active:
        raise InputError(f"{person.email} has already left")
    ended = leavers.offboard(person, source="cli").ended
    click.echo(
        f"{person.name} has left: {ended['sessions']} session(s) and {ended['api_tokens']} API token(s) ended, "
        f"{ended['feedback_requests']} feedback request(s) closed, {ended['feedback_links']} feedback link(s) "
        f"revoked, {ended['one_on_ones']} 1:1(s) ended."
        + (f" {person.manager.name} sees the handover on Leavers." if person.manager else "")
    )


commands = [leave]
