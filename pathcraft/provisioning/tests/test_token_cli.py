"""`pathcraft token create --scim`: printed once, hashed at rest, for one organisation, opening only SCIM."""

from __future__ import annotations

import pytest

from pathcraft.api.models import hash_token
from pathcraft.cli.main import cli
from pathcraft.errors import PathcraftError
from pathcraft.people.tests.factories import make_org
from pathcraft.provisioning.models import TOKEN_PREFIX, ScimToken
from pathcraft.provisioning.tests.scim_client import Scim

pytestmark = pytest.mark.django_db


def run(*args):
    cli.main(args=["token", "create", *args], prog_name="pathcraft", standalone_mode=False)


def test_scim_token_is_printed_once_and_only_its_hash_kept(client, capsys):
    org = make_org("acme")
    run("--scim", "--name", "okta")
    token = capsys.readouterr().out.strip()
    assert token.startswith(TOKEN_PREFIX)
    row = ScimToken.objects.get()
    assert (row.organisation, row.name, row.token_hash) == (org, "okta", hash_token(token))
    assert Scim(client, token).get("/Users")[0] == 200
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


@pytest.mark.parametrize(("args", "orgs", "message"), [
    (["--scim", "someone"], ["acme"], "a SCIM token belongs to the organisation, not a user: drop USERNAME"),
    (["--scim"], [], "no organisation yet"),
    (["--scim"], ["acme", "globex"], "several organisations exist: choose one with --org"),
    (["--scim", "--org", "initech"], ["acme"], "no organisation with slug 'initech'"),
    ([], ["acme"], "give the USERNAME the API token acts as (or --scim for a provisioning token)"),
], ids=["username", "no-org", "two-orgs", "unknown-org", "neither"])  # fmt: skip
def test_errors_are_one_line(args, orgs, message):
    for slug in orgs:
        make_org(slug)
    with pytest.raises(PathcraftError) as info:
        run(*args)
    assert str(info.value) == message
    assert not ScimToken.objects.exists()


def test_org_option_picks_the_organisation(capsys):
    make_org("acme")
    globex = make_org("globex")
    run("--scim", "--org", "globex")
    assert ScimToken.objects.get().organisation == globex


def leave(*args):
    cli.main(args=["leave", *args], prog_name="pathcraft", standalone_mode=False)


def test_leave_command_runs_the_leaver_flow_and_back_reverses_access(org_people, capsys):
    from pathcraft.provisioning.models import Departure

    dee = org_people["dev"]
    leave(dee.email.upper())
    out = capsys.readouterr().out
    assert (
        out.startswith("Dee Dev has left: 0 session(s) and 0 API token(s) ended") and "Lee Lead sees" in out
    )
    dee.refresh_from_db()
    assert not dee.is_active and not dee.user.is_active
    assert Departure.objects.get(person=dee).source == "cli"
    with pytest.raises(PathcraftError, match="^dee.dev@acme.test has already left$"):
        leave(dee.email)
    leave(dee.email, "--back")
    dee.refresh_from_db()
    assert dee.is_active and dee.user.is_active
    with pytest.raises(PathcraftError, match="^no person with the email ghost@acme.test$"):
        leave("ghost@acme.test")
