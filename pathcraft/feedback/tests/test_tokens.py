"""Private answer links: tokens, stored hashes, and link states."""

from datetime import UTC, datetime, timedelta

import pytest

from pathcraft.errors import InputError
from pathcraft.feedback.tokens import (
    LinkRecord,
    check_link,
    expiry,
    hash_token,
    new_token,
    require_usable,
    token_matches,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_new_tokens_are_random_urlsafe_and_stored_only_as_hash():
    pairs = [new_token() for _ in range(50)]
    tokens = {token for token, _ in pairs}
    assert len(tokens) == 50
    for token, stored in pairs:
        assert len(token) >= 43  # 32 random bytes in URL-safe base64
        assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        assert stored == hash_token(token) and len(stored) == 64
        assert token not in stored
        assert token_matches(token, stored)
        assert not token_matches(token + "x", stored)


def test_too_short_tokens_are_refused():
    with pytest.raises(InputError, match="at least 16 random bytes"):
        new_token(8)


def test_hash_of_empty_token_is_refused():
    with pytest.raises(InputError, match="non-empty string"):
        hash_token("")


def test_default_expiry_is_the_configured_lifetime():
    assert expiry(NOW) == NOW + timedelta(days=30)
    assert expiry(NOW, days=7) == NOW + timedelta(days=7)


LATER = NOW + timedelta(days=1)
EARLIER = NOW - timedelta(days=1)


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        (None, "unknown"),
        (LinkRecord(expires_at=LATER), "ok"),
        (LinkRecord(expires_at=NOW), "expired"),  # the expiry instant itself no longer works
        (LinkRecord(expires_at=EARLIER), "expired"),
        (LinkRecord(expires_at=LATER, answered_at=EARLIER), "answered"),
        (LinkRecord(expires_at=EARLIER, answered_at=EARLIER), "answered"),
        (LinkRecord(expires_at=LATER, revoked_at=EARLIER), "revoked"),
        (LinkRecord(expires_at=EARLIER, answered_at=EARLIER, revoked_at=EARLIER), "revoked"),
    ],
)
def test_link_states(link, reason):
    result = check_link(link, NOW)
    assert result.reason == reason
    assert result.ok == (reason == "ok")


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (None, "not valid"),
        (LinkRecord(expires_at=EARLIER), "has expired"),
        (LinkRecord(expires_at=LATER, answered_at=EARLIER), "already used to answer"),
        (LinkRecord(expires_at=LATER, revoked_at=EARLIER), "withdrawn"),
    ],
)
def test_unusable_link_raises_its_reason(link, message):
    with pytest.raises(InputError, match=message):
        require_usable(link, NOW)


def test_usable_link_passes():
    require_usable(LinkRecord(expires_at=LATER), NOW)


def test_naive_datetimes_are_refused():
    with pytest.raises(InputError, match="now must be a timezone-aware datetime"):
        check_link(LinkRecord(expires_at=LATER), datetime(2026, 3, 2, 9, 0))
    with pytest.raises(InputError, match="expires_at must be a timezone-aware datetime"):
        check_link(LinkRecord(expires_at=datetime(2026, 3, 3)), NOW)
