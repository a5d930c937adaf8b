"""Authentication backends: OpenID Connect sign-in (mozilla-django-oidc, matched to provisioned people) and the
password backend that honours PATHCRAFT_PASSWORD_LOGIN=off while keeping admins' break-glass login."""

from __future__ import annotations

import jwt
import structlog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from pathcraft.people.models import Organisation, Person
from pathcraft.sso import provider
from pathcraft.sso.claims import audience_ok, is_admin, verified_email
from pathcraft.sso.failures import SsoFailure

log = structlog.get_logger("pathcraft.sso")


def active_session_user(user_id):
    """The session's user, or None for a leaver: a deactivated account or person ends the session at the next
    request, whether SCIM deactivated the login or the person. One query (the person comes joined)."""
    user = get_user_model()._default_manager.select_related("person").filter(pk=user_id).first()
    if user is None or not user.is_active:
        return None
    person = getattr(user, "person", None)
    return None if person is not None and not person.is_active else user


class PasswordBackend(ModelBackend):
    """Django's user/password check; with password login off only superusers (the break-glass admins) pass."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and (settings.SSO_PASSWORD_LOGIN or user.is_superuser)

    def get_user(self, user_id):
        user = active_session_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class OidcBackend(OIDCAuthenticationBackend):
    """Authorization Code with PKCE against the configured provider; the person is matched by verified email.

    mozilla-django-oidc does the code exchange, the JWKS lookup and the nonce; this class adds what it leaves
    out (issuer, audience and expiry checks of the ID token; OpenID Connect Core 3.1.3.7) and pathcraft's rules:
    a person must exist (provisioning creates them), be active, and an admin group can make them admin."""

    get_settings = staticmethod(provider.library_setting)

    def __init__(self, *args, **kwargs):
        # The library resolves every endpoint here; Django builds each backend for every authenticate() call, so
        # a provider that is down must not break password logins: endpoints are resolved in authenticate().
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the SSO callback passes code_verifier; password logins reach this backend too and pass on.
        if request is None or "code_verifier" not in kwargs or not provider.enabled():
            return None
        metadata = provider.discovered()
        self.OIDC_OP_TOKEN_ENDPOINT = metadata["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = metadata.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = metadata["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = settings.SSO_OIDC_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.SSO_OIDC_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.SSO_OIDC_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def get_payload_data(self, token, key):
        """Verify the ID token's signature, issuer, audience, expiry and issue time."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise SsoFailure("invalid-token", "not a JWT") from exc
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SsoFailure("invalid-token", f"alg {header.get('alg')!r}, expected {self.OIDC_RP_SIGN_ALGO}")
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                # exactly as the provider spells it (Authentik's ends in "/"); discovery checked it is ours
                issuer=provider.discovered()["issuer"],
                options={"verify_aud": False, "require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise SsoFailure("token-expired") from exc
        except jwt.InvalidIssuerError as exc:
            raise SsoFailure("wrong-issuer") from exc
        except jwt.PyJWTError as exc:
            raise SsoFailure("invalid-token", type(exc).__name__) from exc
        if not audience_ok(payload.get("aud"), payload.get("azp"), self.OIDC_RP_CLIENT_ID):
            raise SsoFailure("wrong-audience", f"aud {payload.get('aud')!r}")
        return payload

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)  # the library checks the nonce
        if not payload:
            raise SsoFailure("invalid-token")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims with the userinfo endpoint's on top (where most providers put email, groups)."""
        if not self.OIDC_OP_USER_ENDPOINT:
            return dict(payload)
        info = super().get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: the userinfo sub MUST match the ID token's, or the answer is not about them.
        if info.get("sub") != payload.get("sub"):
            raise SsoFailure("invalid-token", "userinfo sub differs from the ID token's")
        return {**payload, **info}

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        email = verified_email(claims, settings.SSO_OIDC_EMAIL_CLAIM, settings.SSO_OIDC_EMAIL_VERIFIED_CLAIM)
        with transaction.atomic():
            person = self._person(email, claims)
            user = self._account(person, email)
            if settings.SSO_OIDC_ADMIN_GROUPS:
                admin = is_admin(claims, settings.SSO_OIDC_GROUPS_CLAIM, settings.SSO_OIDC_ADMIN_GROUPS)
                if user.is_superuser != admin or user.is_staff != admin:
                    user.is_superuser = user.is_staff = admin
                    user.save(update_fields=["is_superuser", "is_staff"])
                    log.info("sso admin changed", user_id=user.pk, admin=admin)
        log.info("sso login", user_id=user.pk, person_id=person.pk)
        return user

    def _person(self, email: str, claims: dict) -> Person:
        matches = list(Person.objects.filter(email__iexact=email).select_related("user")[:2])
        if len(matches) > 1:
            raise SsoFailure("ambiguous")
        if matches:
            person = matches[0]
            if not person.is_active:
                raise SsoFailure("inactive-person", f"person {person.pk}")
            return person
        organisations = list(Organisation.objects.all()[:2])
        if not settings.SSO_OIDC_CREATE_PEOPLE or len(organisations) != 1:
            # Provisioning (SCIM, CSV import) creates people; an unknown address is refused, not guessed at.
            raise SsoFailure("unknown-person")
        name = claims.get("name") if isinstance(claims.get("name"), str) else ""
        person = Person.objects.create(organisation=organisations[0], email=email, name=name or email)
        log.info("sso created person", person_id=person.pk)
        return person

    def _account(self, person: Person, email: str):
        """The person's login; created on their first sign-in (people are provisioned without one)."""
        user = person.user
        if user is None:
            user = self.UserModel.objects.filter(username__iexact=email).first()
            if user is not None and Person.objects.filter(user=user).exists():
                raise SsoFailure("ambiguous")
            if user is None:
                user = self.UserModel.objects.create_user(username=email, email=email)  # unusable password
            person.user = user
            person.save(update_fields=["user"])
        if not user.is_active:
            raise SsoFailure("inactive-person", f"user {user.pk}")
        return user

    def get_user(self, user_id):
        return active_session_user(user_id)
