"""The test OpenID Provider's accounts and clients, its installation, and a helper that drives its pages over HTTP."""

from __future__ import annotations

import fcntl
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from pathcraft.demo.organisation import SEED, generate

PROVIDER_DIR = Path(__file__).parent / "provider"
CLIENT_ID = "pathcraft"
CLIENT_SECRET = "test-client-secret-0123456789abcdef"
OTHER_CLIENT_ID = "other-app"  # another application at the same provider: its tokens must not open pathcraft
OTHER_REDIRECT = "http://other-app.test/callback"
PASSWORD = "provider-password"
ADMIN_GROUP = "pathcraft-admins"

_DEMO = {p.key: p for p in generate(SEED).people}


@dataclass(frozen=True)
class Account:
    sub: str
    email: str
    email_verified: bool = True
    groups: tuple[str, ...] = ()
    name: str = ""


# Provider accounts, by role in the tests; the emails are the demo organisation's.
ACCOUNTS = {
    "engineer": Account("sub-engineer", _DEMO["platform-1"].email, name=_DEMO["platform-1"].name),
    "no-login": Account("sub-no-login", _DEMO["mira"].email, name=_DEMO["mira"].name),
    "admin": Account(
        "sub-admin", _DEMO["dana"].email, groups=(ADMIN_GROUP, "everyone"), name=_DEMO["dana"].name
    ),
    "not-admin": Account("sub-not-admin", _DEMO["joao"].email, groups=("everyone",), name=_DEMO["joao"].name),
    "unverified": Account("sub-unverified", _DEMO["platform-2"].email, email_verified=False),
    "unknown": Account("sub-unknown", "nobody.known@elsewhere.test", name="Nob Known"),
}


def npm_ci() -> None:
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.fail("Node.js and npm are needed for the SSO tests: `apt-get install nodejs npm`")
    with open(PROVIDER_DIR / ".npm-ci.lock", "w") as lock:  # pytest-xdist workers install once, in turn
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = PROVIDER_DIR / "node_modules" / ".package-lock.json"
        if (
            not marker.exists()
            or marker.stat().st_mtime < (PROVIDER_DIR / "package-lock.json").stat().st_mtime
        ):
            subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PROVIDER_DIR, check=True
            )


@dataclass
class RunningProvider:
    issuer: str
    process: subprocess.Popen

    def account(self, role: str) -> Account:
        return ACCOUNTS[role]


_FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


def through_provider(authorize_url: str, issuer: str, email: str, password: str = PASSWORD, consent: str = "consent",
                     http: requests.Session | None = None) -> str:  # fmt: skip
    """Drive the provider's own login and consent pages over HTTP, as a browser would; returns the URL the
    provider finally redirects to (the client's callback with code and state, or with an error)."""
    http = http or requests.Session()
    method, url, data = "GET", authorize_url, None
    for _ in range(20):
        response = http.request(method, url, data=data, allow_redirects=False, timeout=10)
        if response.is_redirect:
            target = urljoin(url, response.headers["location"])
            if not target.startswith(issuer):
                return target
            method, url, data = "GET", target, None
            continue
        assert response.status_code == 200, response.text
        action = _FORM_ACTION.search(response.text)
        assert action, response.text
        if 'name="login"' in response.text:
            data = {"login": email, "password": password, "action": "login"}
        else:
            data = {"action": consent}
        method, url = "POST", urljoin(url, action.group(1))
    raise AssertionError("the provider kept redirecting")
