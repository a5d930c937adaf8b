"""Pages of single sign-on: the login page (password form and SSO button), the start of an OpenID Connect
sign-in, the provider's callback, and logout (RP-initiated where the provider supports it)."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import requests
import structlog
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.views import View
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from pathcraft.sso import provider
from pathcraft.sso.failures import SsoFailure, message_for

log = structlog.get_logger("pathcraft.sso")


def failure_redirect(code: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'sso': code})}")


class LoginView(auth_views.LoginView):
    """Django's login page plus the SSO button and the one-line SSO error; the password form is folded away
    (for break-glass admins) when password login is off."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            sso_enabled=provider.enabled(),
            sso_provider_name=settings.SSO_OIDC_PROVIDER_NAME,
            sso_error=message_for(self.request.GET.get("sso")),
            password_login=settings.SSO_PASSWORD_LOGIN,
        )
        return context


class StartView(OIDCAuthenticationRequestView):
    """Redirect to the provider's authorization endpoint with state, nonce and a PKCE challenge."""

    get_settings = staticmethod(provider.library_setting)

    def __init__(self, **kwargs):
        # The library looks the endpoint up here, outside any error handling; get() does it instead.
        View.__init__(self, **kwargs)

    def get(self, request):
        if not provider.enabled():
            return failure_redirect("not-configured")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.discovered()["authorization_endpoint"]
        except SsoFailure as failure:
            log.warning("sso start failed", failure=failure.code, detail=failure.detail)
            return failure_redirect(failure.code)
        self.OIDC_RP_CLIENT_ID = settings.SSO_OIDC_CLIENT_ID
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code (or an error); every failure ends on the login page
    with one line saying why."""

    get_settings = staticmethod(provider.library_setting)

    def get(self, request):
        code = self._precheck(request)
        if code is None:
            try:
                response = super().get(request)
            except SsoFailure as failure:
                code, detail = failure.code, failure.detail
            except (requests.ConnectionError, requests.Timeout):
                code, detail = "provider-down", "token, userinfo or keys unreachable"
            except requests.HTTPError as exc:
                status = exc.response.status_code if exc.response is not None else None
                code, detail = "provider-rejected", f"HTTP {status}"
            except SuspiciousOperation as exc:
                code, detail = "invalid-token", str(exc)
            else:
                if request.user.is_authenticated:
                    return response
                code, detail = "failed", "no user"
        else:
            detail = ""
        if request.user.is_authenticated:
            auth.logout(request)
        # The failure code and the library's reason only: never the code, state, tokens or claims.
        log.warning("sso login failed", failure=code, detail=detail)
        return failure_redirect(code)

    def _precheck(self, request) -> str | None:
        """The failures found before talking to the provider: its own error, an unknown or expired state."""
        states = request.session.get("oidc_states", {})
        state = request.GET.get("state")
        if request.GET.get("error"):
            if state in states:  # one attempt, one answer: the state cannot be replayed
                del states[state]
                request.session.save()
            return "denied" if request.GET["error"] == "access_denied" else "provider-rejected"
        if not request.GET.get("code") or not state or state not in states:
            return "state"
        if time.time() - states[state].get("added_on", 0) > settings.SSO_STATE_MAX_AGE_SECONDS:
            del states[state]
            request.session.save()
            return "state-expired"
        return None

    def login_failure(self):
        return failure_redirect("failed")

    @property
    def success_url(self):
        return self.request.session.get("oidc_login_next") or resolve_url(settings.LOGIN_REDIRECT_URL)


@require_POST
def logout(request):
    """End the local session and, for an SSO session, the provider's too (OpenID Connect RP-Initiated Logout)."""
    id_token = request.session.get("oidc_id_token")
    end_session = None
    if id_token and provider.enabled():
        try:
            end_session = provider.discovered().get("end_session_endpoint")
        except SsoFailure as failure:  # the provider is down: the local session still ends
            log.warning("sso logout without provider", failure=failure.code)
    auth.logout(request)
    if not end_session:
        return HttpResponseRedirect(resolve_url(settings.LOGOUT_REDIRECT_URL))
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.SSO_OIDC_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
    )
    return HttpResponseRedirect(f"{end_session}?{query}")
