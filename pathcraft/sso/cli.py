"""`pathcraft sso check`: what to register at the provider, and whether pathcraft can reach it."""

from __future__ import annotations

import click

from pathcraft.errors import PathcraftError


@click.group()
def sso():
    """Single sign-on (OpenID Connect)."""


@sso.command()
def check():
    """Fetch the provider's discovery document and print the values to enter at the provider.

    Exits with an error line when SSO is not configured, the provider cannot be reached, or it lacks what
    pathcraft needs (PKCE with S256). The client secret is never printed."""
    from pathcraft.cli.main import setup_django

    setup_django()
    from django.conf import settings
    from django.urls import reverse

    from pathcraft.sso import provider
    from pathcraft.sso.failures import MESSAGES, SsoFailure

    if not provider.enabled():
        raise PathcraftError(
            "SSO is off: set PATHCRAFT_OIDC_ISSUER and PATHCRAFT_OIDC_CLIENT_ID (docs/sso.md)"
        )
    try:
        document = provider.discovered()
    except SsoFailure as failure:
        raise PathcraftError(f"{MESSAGES[failure.code]} ({failure.detail})") from failure
    site = settings.SITE_URL.rstrip("/")
    methods = document.get("code_challenge_methods_supported")
    rows = [
        ("issuer", provider.issuer()),
        ("client id", settings.SSO_OIDC_CLIENT_ID),
        ("client secret", "set" if settings.SSO_OIDC_CLIENT_SECRET else "NOT SET"),
        ("redirect URI to register", f"{site}{reverse('sso:callback')}"),
        ("post-logout redirect URI", f"{site}{reverse('login')}"),
        ("scopes requested", settings.SSO_OIDC_SCOPES),
        ("email claim", settings.SSO_OIDC_EMAIL_CLAIM),
        ("verified-email claim", settings.SSO_OIDC_EMAIL_VERIFIED_CLAIM or "none (trusted as sent)"),
        ("admin groups", ", ".join(settings.SSO_OIDC_ADMIN_GROUPS) or "none (admins managed in pathcraft)"),
        ("password login", "on" if settings.SSO_PASSWORD_LOGIN else "off (superusers only)"),
        ("authorization endpoint", document["authorization_endpoint"]),
        ("token endpoint", document["token_endpoint"]),
        ("userinfo endpoint", document.get("userinfo_endpoint") or "none (claims from the ID token)"),
        (
            "provider logout",
            document.get("end_session_endpoint") or "not supported: logout ends pathcraft's only",
        ),
    ]
    for label, value in rows:
        click.echo(f"{label + ':':<26} {value}")
    # Providers that publish no methods may still do PKCE (Entra ID did not list them for years); only a list
    # without S256 is a sure refusal.
    if methods is not None and "S256" not in methods:
        raise PathcraftError(f"the provider does not offer PKCE with S256 (it lists {methods})")


commands = [sso]
