"""Private answer links: token generation, hashing for storage, and the state of a link.

Only the hash of a token is stored. A token carries 256 random bits, so a plain SHA-256 is
enough (a slow password hash protects low-entropy secrets; this one cannot be guessed), and
lookups by hash stay a single indexed query.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pathcraft.errors import InputError
from pathcraft.feedback.defaults import load_defaults

LinkReason = Literal["ok", "unknown", "revoked", "answered", "expired"]

MESSAGES: dict[LinkReason, str] = {
    "ok": "This link is valid.",
    "unknown": "This link is not valid. Check that you copied all of it.",
    "revoked": "This link was withdrawn by the person who asked for feedback.",
    "answered": "This link was already used to answer; each link answers once.",
    "expired": "This link has expired.",
}


def new_token(nbytes: int | None = None) -> tuple[str, str]:
    """A fresh URL-safe token and the hash to store in its place."""
    nbytes = nbytes or load_defaults().token_bytes
    if nbytes < 16:
        raise InputError(f"a link token needs at least 16 random bytes, got {nbytes}")
    token = secrets.token_urlsafe(nbytes)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """The stored form of a token (hex SHA-256)."""
    if not isinstance(token, str) or not token:
        raise InputError("a link token must be a non-empty string")
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    """Compare a presented token with a stored hash in constant time."""
    return hmac.compare_digest(hash_token(token), stored_hash)


def expiry(sent_at: datetime, days: int | None = None) -> datetime:
    """When a link sent at ``sent_at`` stops working."""
    _require_aware(sent_at, "sent_at")
    return sent_at + timedelta(days=load_defaults().link_lifetime_days if days is None else days)


@dataclass(frozen=True)
class LinkRecord:
    """What the storage layer knows about one link (plain values, no model)."""

    expires_at: datetime
    answered_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class LinkCheck:
    reason: LinkReason
    message: str

    @property
    def ok(self) -> bool:
        return self.reason == "ok"


def _require_aware(moment: datetime, name: str) -> None:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(f"{name} must be a timezone-aware datetime, got {moment!r}")


def check_link(link: LinkRecord | None, now: datetime) -> LinkCheck:
    """Whether a link may be used now, with the reason when not.

    Order matters: a revoked link says so even if it also expired; an answered link says
    "already answered" rather than "expired", which is the more useful thing to hear.
    """
    _require_aware(now, "now")
    if link is None:
        reason: LinkReason = "unknown"
    elif link.revoked_at is not None:
        reason = "revoked"
    elif link.answered_at is not None:
        reason = "answered"
    else:
        _require_aware(link.expires_at, "expires_at")
        reason = "expired" if now >= link.expires_at else "ok"
    return LinkCheck(reason, MESSAGES[reason])


def require_usable(link: LinkRecord | None, now: datetime) -> None:
    """Raise InputError with the reason if the link cannot be used now."""
    result = check_link(link, now)
    if not result.ok:
        raise InputError(result.message)
