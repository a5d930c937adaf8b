"""A real OpenID Provider for the SSO tests: panva/oidc-provider from npm, run by provider/server.mjs on a free
port. `npm ci` runs here the first time (from the committed package-lock.json), so `make test` on a fresh clone
needs nothing but Node.js and the npm registry."""

from __future__ import annotations

import json
import subprocess

import pytest

from .idp import (
    ACCOUNTS,
    ADMIN_GROUP,
    CLIENT_ID,
    CLIENT_SECRET,
    OTHER_CLIENT_ID,
    OTHER_REDIRECT,
    PASSWORD,
    PROVIDER_DIR,
    RunningProvider,
    npm_ci,
)


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """The provider, with pathcraft registered for the test client's host and the live server's."""
    npm_ci()
    bases = ["http://testserver", live_server.url]
    config = {
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [f"{base}/sso/callback/" for base in bases],
                "post_logout_redirect_uris": [f"{base}/login/" for base in bases],
            },
            {"client_id": OTHER_CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [OTHER_REDIRECT]},
        ],
        "accounts": [
            {
                "sub": a.sub,
                "email": a.email,
                "email_verified": a.email_verified,
                "password": PASSWORD,
                "name": a.name,
                "groups": list(a.groups),
            }
            for a in ACCOUNTS.values()
        ],
    }
    path = tmp_path_factory.mktemp("oidc") / "provider.json"
    path.write_text(json.dumps(config))
    process = subprocess.Popen(
        ["node", str(PROVIDER_DIR / "server.mjs"), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = process.stdout.readline()
    if not line:
        process.kill()
        pytest.fail(f"the test OpenID provider did not start (exit {process.wait()})")
    running = RunningProvider(issuer=json.loads(line)["issuer"], process=process)
    yield running
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sso(settings, oidc_provider):
    """pathcraft configured for the running provider, as the environment variables of docs/sso.md would."""
    from pathcraft.sso import provider
    from pathcraft.sso.conf import csp_with_issuer

    settings.SSO_OIDC_ISSUER = oidc_provider.issuer
    settings.SSO_OIDC_CLIENT_ID = CLIENT_ID
    settings.SSO_OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.SSO_OIDC_SCOPES = "openid email profile groups"
    settings.SSO_OIDC_PROVIDER_NAME = "Test IdP"
    settings.SSO_OIDC_ADMIN_GROUPS = [ADMIN_GROUP]
    settings.CONTENT_SECURITY_POLICY = csp_with_issuer(settings.CONTENT_SECURITY_POLICY, oidc_provider.issuer)
    provider.forget_discovery()
    yield oidc_provider
    provider.forget_discovery()
