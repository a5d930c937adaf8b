"""Why a single sign-on attempt failed: one code per cause and the one line the login page shows for it.

Pure: no Django. The code travels in the login page's query string (`/login/?sso=unknown-person`), so the page
only ever shows one of these fixed sentences, never text from the provider or the request.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "not-configured": "Single sign-on is not set up on this installation; log in with your password.",
    "provider-down": "The sign-in service could not be reached; try again in a few minutes or tell an admin.",
    "discovery-mismatch": "The sign-in service describes a different issuer than configured; tell an admin "
    "to check PATHCRAFT_OIDC_ISSUER.",
    "provider-rejected": "The sign-in service refused to finish the sign-in; start again or tell an admin.",
    "denied": "Sign-in was cancelled at the sign-in service.",
    "state": "This sign-in was not started in this browser or was already used; start again.",
    "state-expired": "This sign-in took too long and expired; start again.",
    "wrong-audience": "The sign-in service issued its answer to another application; tell an admin to check "
    "the SSO client id.",
    "wrong-issuer": "The sign-in answer came from another issuer than configured; tell an admin.",
    "token-expired": "The sign-in answer had already expired; check this server's clock or start again.",
    "invalid-token": "The sign-in answer could not be verified; start again or tell an admin.",
    "no-email": "The sign-in service sent no email address; tell an admin to check the SSO email claim.",
    "unverified-email": "The sign-in service has not verified your email address, so it cannot be matched; "
    "verify it there and start again.",
    "unknown-person": "You signed in, but nobody with your email address is in pathcraft; ask an admin to add "
    "you.",
    "ambiguous": "More than one pathcraft account has your email address; ask an admin to merge them.",
    "inactive-person": "Your pathcraft account is deactivated; ask an admin.",
    "failed": "Sign-in failed; start again or tell an admin.",
}


class SsoFailure(Exception):
    """A sign-in attempt that must stop, with the code of MESSAGES that says why."""

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown SSO failure code {code!r}")
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def message_for(code: str | None) -> str | None:
    """The login page's line for a failure code; None for no code or one we never send."""
    return MESSAGES.get(code or "")
