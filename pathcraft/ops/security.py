"""Login throttling (django-axes) and security headers (django-csp): settings imported by pathcraft.settings.

Defaults for the throttle live in ops/data/login.yaml with their sources; environment variables override them.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import yaml

_LOGIN = yaml.safe_load((Path(__file__).parent / "data" / "login.yaml").read_text())


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


AXES_FAILURE_LIMIT = _int("PATHCRAFT_LOGIN_FAILURE_LIMIT", _LOGIN["failure_limit"]["value"])
AXES_COOLOFF_MINUTES = _int("PATHCRAFT_LOGIN_COOLOFF_MINUTES", _LOGIN["cooloff_minutes"]["value"])
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
# Two separate counters: one per account (whatever the address) and one per address (whatever the account).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy set PATHCRAFT_AXES_IPWARE_HEADERS=HTTP_X_FORWARDED_FOR so the client address is used.
AXES_IPWARE_META_PRECEDENCE_ORDER = [
    h for h in os.environ.get("PATHCRAFT_AXES_IPWARE_HEADERS", "").split(",") if h
] + ["REMOTE_ADDR"]
AXES_VERBOSE = False

# Content-Security-Policy: no inline scripts anywhere; styles see docs/security.md for 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

__all__ = [name for name in dir() if name.isupper()]
