"""`pathcraft sso check` against the real provider: the values to register, and one-line errors."""

from __future__ import annotations

import socket

import pytest

from pathcraft.cli.main import cli
from pathcraft.errors import PathcraftError

from .idp import CLIENT_SECRET

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args):
    cli.main(args=["sso", *args], prog_name="pathcraft", standalone_mode=False)


def test_check_prints_what_to_register_and_never_the_secret(sso, settings, capsys):
    settings.SITE_URL = "https://pathcraft.example.org"
    run("check")
    out = capsys.readouterr().out
    values = dict(line.split(": ", 1) for line in out.splitlines())
    values = {label: value.strip() for label, value in values.items()}
    assert values["redirect URI to register"] == "https://pathcraft.example.org/sso/callback/"
    assert values["post-logout redirect URI"] == "https://pathcraft.example.org/login/"
    assert values["authorization endpoint"] == f"{sso.issuer}/auth"
    assert values["provider logout"] == f"{sso.issuer}/session/end"
    assert values["client secret"] == "set" and CLIENT_SECRET not in out


def test_check_errors_are_one_line(sso, settings):
    from pathcraft.sso import provider

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.SSO_OIDC_ISSUER = f"http://127.0.0.1:{port}"
    provider.forget_discovery()
    with pytest.raises(PathcraftError, match="could not be reached") as down:
        run("check")
    assert "\n" not in str(down.value)
    settings.SSO_OIDC_ISSUER = ""
    with pytest.raises(PathcraftError, match="SSO is off"):
        run("check")


def test_help():
    with pytest.raises(SystemExit) as done:
        cli.main(args=["sso", "check", "--help"], prog_name="pathcraft")
    assert done.value.code == 0
