"""The whole sign-in in headless Chromium through the real provider's pages: button, provider login form,
consent, callback, landing page as the demo person; the failure line; logout at both ends."""

from __future__ import annotations

import pytest

from pathcraft.demo.load import load_demo
from pathcraft.demo.organisation import DEMO_PASSWORD

from .idp import ACCOUNTS, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def provider_sign_in(page, email: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_demo_engineer_signs_in_end_to_end_and_logs_out_at_both_ends(page, live_server, sso):
    load_demo()
    engineer = ACCOUNTS["engineer"]
    page.goto(f"{live_server.url}/teams/")  # a protected page: to the login page and back afterwards
    page.wait_for_url(f"{live_server.url}/login/?next=/teams/")
    page.get_by_role("link", name="Sign in with Test IdP").click()
    page.wait_for_url(f"{sso.issuer}/interaction/**")
    assert page.get_by_role("heading", name="Sign in to the test provider").is_visible()
    provider_sign_in(page, engineer.email)
    page.get_by_role("heading", name="Allow access?").wait_for()
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(f"{live_server.url}/teams/")
    header = page.locator("header.site form.logout")
    assert engineer.name in header.inner_text()  # signed in as the demo person, not a new account
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading").first.is_visible()

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("heading", name="Sign out of the test provider?").wait_for()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{live_server.url}/login/")
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/login/?next=/")
    # the provider's session ended too: the button leads to its password form again
    page.get_by_role("link", name="Sign in with Test IdP").click()
    page.get_by_role("heading", name="Sign in to the test provider").wait_for()


def test_unknown_person_sees_one_clear_line_on_the_login_page(page, live_server, sso):
    load_demo()
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Sign in with Test IdP").click()
    provider_sign_in(page, ACCOUNTS["unknown"].email)
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(f"{live_server.url}/login/?sso=unknown-person")
    alert = page.get_by_role("alert")
    assert alert.count() == 1
    assert "nobody with your email address is in pathcraft" in alert.inner_text()
    assert page.locator("header.site form.logout").count() == 0  # not signed in


def test_break_glass_form_when_password_login_is_off(page, live_server, sso, settings):
    load_demo()
    settings.SSO_PASSWORD_LOGIN = False
    page.goto(f"{live_server.url}/login/")
    assert page.get_by_role("link", name="Sign in with Test IdP").is_visible()
    assert not page.get_by_label("Password").is_visible()  # folded away for everyone but admins
    page.get_by_text("Administrator break-glass login").click()
    page.get_by_label("Email or user name").fill("admin")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "admin" in page.locator("header.site form.logout").inner_text()
