"""The configured OpenID Provider: settings, its discovery document, and the bridge that hands both to
mozilla-django-oidc (which otherwise wants every endpoint spelled out in settings)."""

from __future__ import annotations

import threading
import time

import requests
from django.conf import settings

from pathcraft.sso.failures import SsoFailure

_cache: dict[str, tuple[float, dict]] = {}
_cache_lock = threading.Lock()


def enabled() -> bool:
    """SSO is on when an issuer and a client id are configured."""
    return bool(settings.SSO_OIDC_ISSUER and settings.SSO_OIDC_CLIENT_ID)


def issuer() -> str:
    return settings.SSO_OIDC_ISSUER.rstrip("/")


def timeout() -> float:
    return settings.SSO_HTTP_TIMEOUT_SECONDS


def forget_discovery() -> None:
    """Drop cached discovery documents (tests, and after the issuer changes)."""
    with _cache_lock:
        _cache.clear()


def discovered() -> dict:
    """The provider's /.well-known/openid-configuration, cached; SsoFailure("provider-down") if unreachable."""
    url = f"{issuer()}/.well-known/openid-configuration"
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(url)
    if hit and hit[0] > now:
        return hit[1]
    try:
        response = requests.get(url, timeout=timeout())
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SsoFailure("provider-down", f"discovery at {url}: {type(exc).__name__}") from exc
    # OpenID Connect Discovery 1.0 section 4.3: the issuer in the document MUST equal the one it was fetched for.
    if not isinstance(document, dict) or document.get("issuer", "").rstrip("/") != issuer():
        raise SsoFailure("discovery-mismatch", f"document names issuer {document.get('issuer')!r}")
    missing = [k for k in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not document.get(k)]
    if missing:
        raise SsoFailure("discovery-mismatch", f"document lacks {', '.join(missing)}")
    with _cache_lock:
        _cache[url] = (now + settings.SSO_DISCOVERY_CACHE_SECONDS, document)
    return document


# The settings mozilla-django-oidc reads, answered from pathcraft's own settings; anything else falls back to
# a Django setting of that name (so a sysadmin can still reach an option we do not expose).
_FIXED = {
    "OIDC_USE_PKCE": True,
    "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
    "OIDC_USE_NONCE": True,
    "OIDC_STORE_ID_TOKEN": True,  # the id_token_hint of RP-initiated logout
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_CREATE_USER": False,  # people come from provisioning; see backends.OidcBackend
    "OIDC_AUTHENTICATION_CALLBACK_URL": "sso:callback",
    "OIDC_REDIRECT_FIELD_NAME": "next",
}


def library_setting(name: str, *default):
    """Answer one mozilla-django-oidc setting."""
    if name in _FIXED:
        return _FIXED[name]
    dynamic = {
        "OIDC_RP_CLIENT_ID": lambda: settings.SSO_OIDC_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": lambda: settings.SSO_OIDC_CLIENT_SECRET,
        "OIDC_RP_SCOPES": lambda: settings.SSO_OIDC_SCOPES,
        "OIDC_RP_SIGN_ALGO": lambda: settings.SSO_OIDC_SIGN_ALGO,
        "OIDC_TIMEOUT": timeout,
        "OIDC_TOKEN_USE_BASIC_AUTH": lambda: settings.SSO_OIDC_TOKEN_AUTH == "client_secret_basic",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": lambda: discovered()["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": lambda: discovered()["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": lambda: discovered().get("userinfo_endpoint"),
        "OIDC_OP_JWKS_ENDPOINT": lambda: discovered()["jwks_uri"],
    }
    if name in dynamic:
        return dynamic[name]()
    if hasattr(settings, name):
        return getattr(settings, name)
    if default:
        return default[0]
    raise AttributeError(f"no setting {name}")
