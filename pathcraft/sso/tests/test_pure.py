"""The pure parts: claims reading, audience rule, failure messages, the CSP change. Table-driven."""

from __future__ import annotations

import pytest

from pathcraft.sso.claims import audience_ok, groups_of, is_admin, verified_email
from pathcraft.sso.conf import csp_with_issuer
from pathcraft.sso.failures import MESSAGES, SsoFailure, message_for


@pytest.mark.parametrize(
    "claims, email_claim, verified_claim, expected",
    [
        ({"email": "A@X.test", "email_verified": True}, "email", "email_verified", "a@x.test"),
        ({"email": "a@x.test", "email_verified": "true"}, "email", "email_verified", "a@x.test"),
        ({"upn": "b@x.test"}, "upn", None, "b@x.test"),
        ({"email": "a@x.test", "email_verified": False}, "email", "email_verified", "unverified-email"),
        ({"email": "a@x.test", "email_verified": "false"}, "email", "email_verified", "unverified-email"),
        ({"email": "a@x.test"}, "email", "email_verified", "unverified-email"),
        ({"email": "not-an-address", "email_verified": True}, "email", "email_verified", "no-email"),
        ({"email": ["a@x.test"], "email_verified": True}, "email", "email_verified", "no-email"),
        ({}, "email", None, "no-email"),
    ],
)
def test_verified_email(claims, email_claim, verified_claim, expected):
    if "@" in expected:
        assert verified_email(claims, email_claim, verified_claim) == expected
    else:
        with pytest.raises(SsoFailure) as failure:
            verified_email(claims, email_claim, verified_claim)
        assert failure.value.code == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (["a", "b"], {"a", "b"}),
        ("a b,c", {"a", "b", "c"}),
        (None, set()),
        (42, set()),
    ],
)
def test_groups_of(value, expected):
    assert groups_of({"groups": value}, "groups") == expected


def test_is_admin():
    assert is_admin({"roles": ["pathcraft-admins"]}, "roles", ["pathcraft-admins"])
    assert not is_admin({"roles": ["pathcraft-admins"]}, "groups", ["pathcraft-admins"])
    assert not is_admin({"groups": ["pathcraft-admins-old"]}, "groups", ["pathcraft-admins"])


@pytest.mark.parametrize(
    "aud, azp, ok",
    [
        ("pathcraft", None, True),
        (["pathcraft"], None, True),
        ("other", None, False),
        (["other", "pathcraft"], "pathcraft", True),
        (["other", "pathcraft"], "other", False),
        (["other", "pathcraft"], None, False),
        (None, None, False),
    ],
)
def test_audience_rule(aud, azp, ok):
    assert audience_ok(aud, azp, "pathcraft") is ok


def test_messages_are_one_line_and_unknown_codes_show_nothing():
    assert all("\n" not in m and m.endswith(".") for m in MESSAGES.values())
    assert message_for("nope") is None and message_for(None) is None
    with pytest.raises(ValueError):
        SsoFailure("nope")


def test_csp_allows_the_issuer_as_form_target_only_when_configured():
    policy = {"DIRECTIVES": {"form-action": ["'self'"], "script-src": ["'self'"]}}
    assert csp_with_issuer(policy, "") is policy
    changed = csp_with_issuer(policy, "https://login.example.com/realms/acme")
    assert changed["DIRECTIVES"]["form-action"] == ["'self'", "https://login.example.com"]
    assert changed["DIRECTIVES"]["script-src"] == ["'self'"] and policy["DIRECTIVES"]["form-action"] == [
        "'self'"
    ]


def test_timing_defaults_come_from_the_data_file_with_sources(settings):
    from pathlib import Path

    import yaml

    data = yaml.safe_load((Path(__file__).parent.parent / "data" / "sso.yaml").read_text())
    assert all(entry.get("source") and entry.get("url") and entry.get("unit") for entry in data.values())
    assert settings.SSO_STATE_MAX_AGE_SECONDS == data["state_max_age_seconds"]["value"]
    assert settings.SSO_DISCOVERY_CACHE_SECONDS == data["discovery_cache_seconds"]["value"]
    assert settings.SSO_HTTP_TIMEOUT_SECONDS == data["http_timeout_seconds"]["value"]
