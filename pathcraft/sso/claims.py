"""Reading a person's identity out of OpenID Connect claims. Pure: plain dicts in, plain values out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pathcraft.sso.failures import SsoFailure


def verified_email(
    claims: Mapping, email_claim: str = "email", verified_claim: str | None = "email_verified"
) -> str:
    """The email address to match a person by, lower-cased; SsoFailure if absent or not verified.

    VERIFIED_CLAIM None trusts the email claim as it is (Entra ID sends no email_verified: its `email` or `upn`
    is an address the tenant owns)."""
    value = claims.get(email_claim)
    if not isinstance(value, str) or "@" not in value:
        raise SsoFailure("no-email", f"claim {email_claim!r} missing or not an address")
    if verified_claim:
        verified = claims.get(verified_claim)
        # Some providers send the flag as a string ("true"); anything else is "not verified".
        if verified is not True and str(verified).lower() != "true":
            raise SsoFailure("unverified-email", f"claim {verified_claim!r} is {verified!r}")
    return value.strip().lower()


def groups_of(claims: Mapping, groups_claim: str) -> set[str]:
    """The groups a claim lists: a list of names, or one name, or a space- or comma-separated string."""
    value = claims.get(groups_claim)
    if value is None:
        return set()
    if isinstance(value, str):
        return {part for part in value.replace(",", " ").split() if part}
    if isinstance(value, Iterable):
        return {str(part) for part in value}
    return set()


def is_admin(claims: Mapping, groups_claim: str, admin_groups: Iterable[str]) -> bool:
    """Whether the person belongs to one of the groups that make a pathcraft admin."""
    return bool(groups_of(claims, groups_claim) & set(admin_groups))


def audience_ok(aud, azp, client_id: str) -> bool:
    """OpenID Connect Core 3.1.3.7 steps 3-5: the ID token names this client as (one of) its audience, and when
    there are several audiences, the authorised party is this client."""
    audiences = [aud] if isinstance(aud, str) else list(aud or [])
    if client_id not in audiences:
        return False
    return len(audiences) == 1 or azp == client_id
