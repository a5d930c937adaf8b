"""Single sign-on settings, read from the environment: imported by pathcraft.settings (like ops/security.py).

Timing defaults live in sso/data/sso.yaml with their sources; docs/sso.md explains every variable.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import yaml

_TIMING = yaml.safe_load((Path(__file__).parent / "data" / "sso.yaml").read_text())


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name) or default


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value in (None, "") else value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, key: str) -> int:
    value = os.environ.get(name)
    return _TIMING[key]["value"] if value in (None, "") else int(value)


def _list(name: str) -> list[str]:
    return [part.strip() for part in _env(name).split(",") if part.strip()]


SSO_OIDC_ISSUER = _env("PATHCRAFT_OIDC_ISSUER")
SSO_OIDC_CLIENT_ID = _env("PATHCRAFT_OIDC_CLIENT_ID")
SSO_OIDC_CLIENT_SECRET = _env("PATHCRAFT_OIDC_CLIENT_SECRET")
SSO_OIDC_SCOPES = _env("PATHCRAFT_OIDC_SCOPES", "openid email profile")
SSO_OIDC_SIGN_ALGO = _env("PATHCRAFT_OIDC_SIGN_ALGO", "RS256")
SSO_OIDC_TOKEN_AUTH = _env("PATHCRAFT_OIDC_TOKEN_AUTH", "client_secret_post")
SSO_OIDC_PROVIDER_NAME = _env("PATHCRAFT_OIDC_PROVIDER_NAME", "single sign-on")
SSO_OIDC_EMAIL_CLAIM = _env("PATHCRAFT_OIDC_EMAIL_CLAIM", "email")
# "none" trusts the email claim without a verified flag (Entra ID sends none; see docs/sso.md).
_verified = _env("PATHCRAFT_OIDC_EMAIL_VERIFIED_CLAIM", "email_verified")
SSO_OIDC_EMAIL_VERIFIED_CLAIM = None if _verified.lower() == "none" else _verified
SSO_OIDC_GROUPS_CLAIM = _env("PATHCRAFT_OIDC_GROUPS_CLAIM", "groups")
SSO_OIDC_ADMIN_GROUPS = _list("PATHCRAFT_OIDC_ADMIN_GROUPS")
SSO_OIDC_CREATE_PEOPLE = _bool("PATHCRAFT_OIDC_CREATE_PEOPLE", False)
SSO_PASSWORD_LOGIN = _bool("PATHCRAFT_PASSWORD_LOGIN", True)
SSO_STATE_MAX_AGE_SECONDS = _int("PATHCRAFT_OIDC_STATE_MAX_AGE", "state_max_age_seconds")
SSO_DISCOVERY_CACHE_SECONDS = _int("PATHCRAFT_OIDC_DISCOVERY_CACHE", "discovery_cache_seconds")
SSO_HTTP_TIMEOUT_SECONDS = _int("PATHCRAFT_OIDC_TIMEOUT", "http_timeout_seconds")


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def csp_with_issuer(policy: dict, issuer_url: str) -> dict:
    """The Content-Security-Policy with the issuer's origin allowed as a form target: the logout button posts to
    pathcraft, which redirects to the provider's logout page, and browsers check form-action on redirects too."""
    if not issuer_url:
        return policy
    directives = dict(policy["DIRECTIVES"])
    allowed = origin(issuer_url)
    if allowed not in directives["form-action"]:
        directives["form-action"] = [*directives["form-action"], allowed]
    return {**policy, "DIRECTIVES": directives}


__all__ = [name for name in dir() if name.startswith("SSO_")]
