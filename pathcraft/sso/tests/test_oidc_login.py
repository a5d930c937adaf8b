"""OpenID Connect sign-in against a real provider (oidc-provider on localhost): the success path, every failure
with its one line on the login page, admin groups, just-in-time creation, password login off, logout."""

from __future__ import annotations

import re
import secrets
import socket
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import reverse

from pathcraft.people.models import Person
from pathcraft.sso.failures import MESSAGES

from .factories import DEMO_PASSWORD, sso_people
from .idp import ACCOUNTS, CLIENT_SECRET, OTHER_CLIENT_ID, OTHER_REDIRECT, PASSWORD, through_provider

pytestmark = pytest.mark.django_db(transaction=True)


def start(client, next_url: str | None = None) -> str:
    """Press the SSO button; returns the provider's authorization URL pathcraft redirected to."""
    response = client.get(reverse("sso:start"), {"next": next_url} if next_url else {})
    assert response.status_code == 302, response
    return response["Location"]


def callback(client, url: str):
    parts = urlsplit(url)
    assert parts.path == reverse("sso:callback"), url
    return client.get(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()})


def sign_in(client, sso, role: str, **kwargs):
    """The whole round trip: button, the provider's login and consent pages, the callback."""
    return callback(client, through_provider(start(client), sso.issuer, ACCOUNTS[role].email, **kwargs))


def failure_of(response) -> str:
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login"), response["Location"]
    return parse_qs(location.query)["sso"][0]


def logged_in_user(client):
    from django.contrib.auth import get_user

    class _Request:
        session = client.session

    return get_user(_Request())


def test_authorization_request_uses_pkce_state_nonce_and_discovered_endpoint(client, sso):
    url = start(client)
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    discovered = requests.get(f"{sso.issuer}/.well-known/openid-configuration", timeout=5).json()
    assert url.startswith(discovered["authorization_endpoint"] + "?")
    assert query["response_type"] == "code" and query["client_id"] == "pathcraft"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["redirect_uri"] == "http://testserver/sso/callback/"
    assert set(query["scope"].split()) == {"openid", "email", "profile", "groups"}
    stored = client.session["oidc_states"][query["state"]]
    assert stored["nonce"] == query["nonce"] and stored["code_verifier"]  # the verifier stays on our side
    assert "code_verifier" not in query


def test_engineer_signs_in_as_their_person_and_lands_where_they_were_going(client, sso):
    people = sso_people()
    url = through_provider(start(client, next_url="/teams/"), sso.issuer, ACCOUNTS["engineer"].email)
    response = callback(client, url)
    assert response.status_code == 302 and response["Location"] == "/teams/"
    user = logged_in_user(client)
    assert user.pk == people["engineer"].user_id
    assert not user.is_superuser  # not in the admin group
    assert client.session["oidc_id_token"].count(".") == 2  # kept for the logout's id_token_hint
    assert client.get("/").status_code == 200


def test_a_provisioned_person_without_a_login_gets_one_linked(client, sso):
    people = sso_people(with_login=())
    users_before = get_user_model().objects.count()
    response = sign_in(client, sso, "no-login")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    person = Person.objects.get(pk=people["no-login"].pk)
    assert person.user is not None and person.user.email == person.email
    assert not person.user.has_usable_password()  # SSO people get no password to guess
    assert get_user_model().objects.count() == users_before + 1
    assert logged_in_user(client).pk == person.user_id


@pytest.mark.parametrize(
    "role, setup, code",
    [
        ("unknown", None, "unknown-person"),
        ("unverified", None, "unverified-email"),
        ("engineer", "deactivate-person", "inactive-person"),
        ("engineer", "deactivate-user", "inactive-person"),
        ("engineer", "email-claim-missing", "no-email"),
    ],
)
def test_refused_people_get_one_line_and_nothing_changes(client, sso, settings, role, setup, code):
    people = sso_people()
    if setup == "deactivate-person":
        Person.objects.filter(pk=people["engineer"].pk).update(is_active=False)
    elif setup == "deactivate-user":
        get_user_model().objects.filter(pk=people["engineer"].user_id).update(is_active=False)
    elif setup == "email-claim-missing":
        settings.SSO_OIDC_EMAIL_CLAIM = "work_email"
    counts = (get_user_model().objects.count(), Person.objects.count())
    response = sign_in(client, sso, role)
    assert failure_of(response) == code
    assert "_auth_user_id" not in client.session
    assert (get_user_model().objects.count(), Person.objects.count()) == counts
    page = client.get(response["Location"]).content.decode()
    assert MESSAGES[code] in page


def test_unverified_email_is_accepted_only_when_the_verified_claim_is_turned_off(client, sso, settings):
    people = sso_people()
    settings.SSO_OIDC_EMAIL_VERIFIED_CLAIM = None  # the Entra ID setting (docs/sso.md)
    response = sign_in(client, sso, "unverified")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert logged_in_user(client).email == people["unverified"].email


def test_just_in_time_creation_is_off_by_default_and_creates_the_person_when_on(client, sso, settings):
    sso_people()
    assert failure_of(sign_in(client, sso, "unknown")) == "unknown-person"
    assert not Person.objects.filter(email=ACCOUNTS["unknown"].email).exists()
    settings.SSO_OIDC_CREATE_PEOPLE = True
    response = sign_in(client, sso, "unknown")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    person = Person.objects.get(email=ACCOUNTS["unknown"].email)
    assert person.name == "Nob Known" and person.user_id == logged_in_user(client).pk


def test_admin_group_makes_an_admin_and_leaving_it_takes_admin_away(client, sso, settings):
    people = sso_people(with_login=("engineer", "not-admin"))
    former = people["not-admin"].user
    former.is_superuser = former.is_staff = True
    former.save()
    sign_in(client, sso, "admin")
    admin = logged_in_user(client)
    assert admin.is_superuser and admin.is_staff
    assert client.get(reverse("admin:index")).status_code == 200
    client.post(reverse("logout"))
    sign_in(client, sso, "not-admin")
    former.refresh_from_db()
    assert not former.is_superuser and not former.is_staff
    # with no admin group configured, SSO leaves admin rights alone (they are managed in pathcraft)
    settings.SSO_OIDC_ADMIN_GROUPS = []
    former.is_superuser = True
    former.save()
    client.post(reverse("logout"))
    sign_in(client, sso, "not-admin")
    former.refresh_from_db()
    assert former.is_superuser


def test_state_that_was_not_issued_here_is_refused(client, sso):
    sso_people()
    url = through_provider(start(client), sso.issuer, ACCOUNTS["engineer"].email)
    stranger = client.__class__()  # another browser: it never started this sign-in
    assert failure_of(callback(stranger, url)) == "state"
    assert "_auth_user_id" not in stranger.session


def test_tampered_state_and_replayed_callback_are_refused(client, sso):
    sso_people()
    url = through_provider(start(client), sso.issuer, ACCOUNTS["engineer"].email)
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert failure_of(client.get(parts.path, {**query, "state": secrets.token_urlsafe(24)})) == "state"
    assert callback(client, url)["Location"] == reverse("home")  # the real one still works once
    client.post(reverse("logout"))
    assert failure_of(callback(client, url)) == "state"  # and never twice


def test_expired_state_is_refused(client, sso, settings):
    sso_people()
    url = through_provider(start(client), sso.issuer, ACCOUNTS["engineer"].email)
    session = client.session
    state = parse_qs(urlsplit(url).query)["state"][0]
    session["oidc_states"][state]["added_on"] = time.time() - settings.SSO_STATE_MAX_AGE_SECONDS - 1
    session.save()
    assert failure_of(callback(client, url)) == "state-expired"
    assert state not in client.session["oidc_states"]


def test_denied_consent_is_a_clear_cancel(client, sso):
    sso_people()
    url = through_provider(start(client), sso.issuer, ACCOUNTS["engineer"].email, consent="deny")
    assert "error=access_denied" in url
    assert failure_of(callback(client, url)) == "denied"
    assert "_auth_user_id" not in client.session


def test_wrong_client_secret_is_the_provider_refusing(client, sso, settings):
    sso_people()
    url = through_provider(start(client), sso.issuer, ACCOUNTS["engineer"].email)
    settings.SSO_OIDC_CLIENT_SECRET = "not-the-secret"
    assert failure_of(callback(client, url)) == "provider-rejected"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_provider_down_is_one_line_and_password_login_still_works(client, sso, settings):
    people = sso_people()
    from pathcraft.sso import provider

    settings.SSO_OIDC_ISSUER = f"http://127.0.0.1:{_closed_port()}"
    provider.forget_discovery()
    response = client.get(reverse("sso:start"))
    assert failure_of(response) == "provider-down"
    page = client.get(response["Location"]).content.decode()
    assert MESSAGES["provider-down"] in page and page.count('role="alert"') == 1
    login = client.post(reverse("login"), {"username": people["engineer"].email, "password": DEMO_PASSWORD})
    assert login.status_code == 302 and logged_in_user(client).pk == people["engineer"].user_id


def test_provider_going_down_between_button_and_callback(client, sso, settings):
    sso_people()
    url = through_provider(start(client), sso.issuer, ACCOUNTS["engineer"].email)
    from pathcraft.sso import provider

    document = provider.discovered()
    closed = f"http://127.0.0.1:{_closed_port()}/token"
    provider._cache[f"{provider.issuer()}/.well-known/openid-configuration"] = (
        time.monotonic() + 60,
        {**document, "token_endpoint": closed},
    )
    assert failure_of(callback(client, url)) == "provider-down"


def test_discovery_naming_another_issuer_is_refused(client, sso, settings):
    from pathcraft.sso import provider

    settings.SSO_OIDC_ISSUER = sso.issuer.replace(
        "127.0.0.1", "localhost"
    )  # same server, another issuer name
    provider.forget_discovery()
    assert failure_of(client.get(reverse("sso:start"))) == "discovery-mismatch"


def test_sso_not_configured_hides_the_button_and_refuses_the_start(client, settings):
    settings.SSO_OIDC_ISSUER = ""
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with" not in page and 'name="password"' in page
    assert failure_of(client.get(reverse("sso:start"))) == "not-configured"


def test_login_page_shows_the_button_and_only_known_failure_lines(client, sso):
    page = client.get(reverse("login")).content.decode()
    assert 'href="/sso/login/"' in page and "Sign in with Test IdP" in page
    for code, message in MESSAGES.items():
        html = client.get(reverse("login"), {"sso": code}).content.decode()
        assert html.count('role="alert"') == 1, code
        from django.utils.html import escape

        assert escape(message) in html, code
    injected = client.get(reverse("login"), {"sso": "<script>alert(1)</script>"}).content.decode()
    assert 'role="alert"' not in injected and "<script>alert(1)" not in injected


def _token_for_other_app(issuer: str) -> tuple[str, str]:
    """A genuine ID token from the same provider, issued to another application (code flow with PKCE)."""
    import base64
    import hashlib

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    nonce = secrets.token_urlsafe(16)
    discovered = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5).json()
    authorize = (
        requests.Request(
            "GET",
            discovered["authorization_endpoint"],
            params={
                "client_id": OTHER_CLIENT_ID,
                "response_type": "code",
                "scope": "openid email",
                "redirect_uri": OTHER_REDIRECT,
                "state": "s",
                "nonce": nonce,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )
        .prepare()
        .url
    )
    back = through_provider(authorize, issuer, ACCOUNTS["engineer"].email)
    code = parse_qs(urlsplit(back).query)["code"][0]
    token = requests.post(
        discovered["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": OTHER_REDIRECT,
            "client_id": OTHER_CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "code_verifier": verifier,
        },
        timeout=5,
    )
    token.raise_for_status()
    return token.json()["id_token"], nonce


def test_id_token_for_another_application_is_refused_as_wrong_audience(sso):
    """Token substitution: a real ID token of the same provider and account, signed with its real key, but issued
    to another client. mozilla-django-oidc skips the audience check; ours must catch it."""
    import jwt

    from pathcraft.sso.backends import OidcBackend
    from pathcraft.sso.failures import SsoFailure

    id_token, nonce = _token_for_other_app(sso.issuer)
    assert jwt.decode(id_token, options={"verify_signature": False})["aud"] == OTHER_CLIENT_ID
    from pathcraft.sso import provider

    backend = OidcBackend()  # configured as authenticate() configures it, but for this one token
    document = provider.discovered()
    backend.OIDC_OP_JWKS_ENDPOINT = document["jwks_uri"]
    backend.OIDC_RP_CLIENT_ID, backend.OIDC_RP_CLIENT_SECRET = "pathcraft", CLIENT_SECRET
    backend.OIDC_RP_SIGN_ALGO, backend.OIDC_RP_IDP_SIGN_KEY = "RS256", None
    with pytest.raises(SsoFailure) as refused:
        backend.verify_token(id_token, nonce=nonce)
    assert refused.value.code == "wrong-audience"
    # the same token is fine for the application it was issued to: the signature and the rest check out
    backend.OIDC_RP_CLIENT_ID = OTHER_CLIENT_ID
    assert backend.verify_token(id_token, nonce=nonce)["sub"] == ACCOUNTS["engineer"].sub
    with pytest.raises(Exception, match="Nonce"):  # and a token for another sign-in attempt is not
        backend.verify_token(id_token, nonce="another-attempt")


def test_password_login_off_keeps_only_the_break_glass_admin(client, sso, settings):
    people = sso_people()
    admin = get_user_model().objects.create_superuser("breakglass", "bg@x.test", DEMO_PASSWORD)
    settings.SSO_PASSWORD_LOGIN = False
    page = client.get(reverse("login")).content.decode()
    assert "Password login is turned off" in page and "Administrator break-glass login" in page
    assert "Forgot your password" not in page
    refused = client.post(reverse("login"), {"username": people["engineer"].email, "password": DEMO_PASSWORD})
    assert refused.status_code == 200 and "not recognised" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert not client.login(username=people["engineer"].email, password=DEMO_PASSWORD)
    kept = client.post(reverse("login"), {"username": "breakglass", "password": DEMO_PASSWORD})
    assert kept.status_code == 302 and logged_in_user(client).pk == admin.pk
    client.post(reverse("logout"))
    assert sign_in(client, sso, "engineer")["Location"] == reverse("home")  # SSO is unaffected
    # an existing password session of a non-admin ends once password login is off
    settings.SSO_PASSWORD_LOGIN = True
    other = client.__class__()
    assert other.login(username=people["engineer"].email, password=DEMO_PASSWORD)
    settings.SSO_PASSWORD_LOGIN = False
    assert other.get("/").status_code == 302


def test_logout_ends_the_local_session_and_the_providers(client, sso):
    sso_people()
    browser = requests.Session()  # holds the provider's session cookie, as the person's browser would
    sign_in(client, sso, "engineer", http=browser)
    id_token = client.session["oidc_id_token"]
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    discovered = requests.get(f"{sso.issuer}/.well-known/openid-configuration", timeout=5).json()
    assert f"{target.scheme}://{target.netloc}{target.path}" == discovered["end_session_endpoint"]
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query == {
        "id_token_hint": id_token,
        "client_id": "pathcraft",
        "post_logout_redirect_uri": "http://testserver/login/",
    }
    assert "_auth_user_id" not in client.session and "oidc_id_token" not in client.session
    assert client.get("/").status_code == 302
    # the provider accepts that request: it asks to confirm, then sends the person back to pathcraft's login
    confirm = browser.get(response["Location"], timeout=5)
    assert confirm.status_code == 200 and "Sign out of the test provider?" in confirm.text
    form = re.search(r'<form id="op.logoutForm" method="post" action="([^"]+)"><input type="hidden" '
                     r'name="xsrf" value="([^"]+)"', confirm.text)  # fmt: skip
    done = browser.post(form.group(1), data={"xsrf": form.group(2), "logout": "yes"}, allow_redirects=False)
    assert done.status_code in (302, 303) and done.headers["location"] == "http://testserver/login/"
    # the provider's session is gone: signing in again asks for the password again
    again = browser.get(start(client), timeout=5)
    assert 'name="password"' in again.text


def test_password_session_logout_stays_local(client, sso):
    people = sso_people()
    assert client.login(username=people["engineer"].email, password=DEMO_PASSWORD)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("logout")).status_code == 405  # logout only by POST (CSRF-protected)


def test_failures_never_log_codes_tokens_or_emails(client, sso, caplog):
    sso_people()
    url = through_provider(start(client), sso.issuer, ACCOUNTS["unknown"].email)
    code = parse_qs(urlsplit(url).query)["code"][0]
    with caplog.at_level("DEBUG"):
        assert failure_of(callback(client, url)) == "unknown-person"
    assert "unknown-person" in caplog.text
    assert code not in caplog.text and ACCOUNTS["unknown"].email not in caplog.text
    assert PASSWORD not in caplog.text and CLIENT_SECRET not in caplog.text


def test_issuer_configured_with_a_trailing_slash_still_matches(client, sso, settings):
    from pathcraft.sso import provider

    people = sso_people()
    settings.SSO_OIDC_ISSUER = sso.issuer + "/"
    provider.forget_discovery()
    assert sign_in(client, sso, "engineer")["Location"] == reverse("home")
    assert logged_in_user(client).pk == people["engineer"].user_id


@pytest.mark.parametrize("next_url", ["https://evil.test/", "//evil.test/x", "javascript:alert(1)"])
def test_next_pointing_elsewhere_lands_on_home(client, sso, next_url):
    sso_people()
    url = through_provider(start(client, next_url=next_url), sso.issuer, ACCOUNTS["engineer"].email)
    assert callback(client, url)["Location"] == reverse("home")


@pytest.mark.parametrize("deactivate", ["account", "person"])
@pytest.mark.parametrize("how", ["sso", "password"])
def test_a_leavers_session_ends_at_the_next_request(client, sso, how, deactivate):
    people = sso_people()
    if how == "sso":
        sign_in(client, sso, "engineer")
    else:
        assert client.login(username=people["engineer"].email, password=DEMO_PASSWORD)
    assert client.get("/").status_code == 200
    if deactivate == "account":
        get_user_model().objects.filter(pk=people["engineer"].user_id).update(is_active=False)
    else:
        Person.objects.filter(pk=people["engineer"].pk).update(is_active=False)
    assert client.get("/").status_code == 302
