"""Shared test fixtures: fast password hashing, a small organisation, and a real headless Chromium."""

from __future__ import annotations

import os
import shutil

import pytest

# The live server and Playwright's sync API share the event loop thread; Django must allow it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PATHCRAFT_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _login_with_request(monkeypatch):
    """django-axes needs a request in authenticate(); its docs say to pass one to the test client's login(),
    so `client.login()` keeps working with the throttle on (the throttling tests log in through the form)."""
    from django.http import HttpRequest
    from django.test import Client

    original = Client.login

    def login(self, **credentials):
        credentials.setdefault("request", HttpRequest())
        return original(self, **credentials)

    monkeypatch.setattr(Client, "login", login)


@pytest.fixture(autouse=True)
def _private_data_dir(settings, tmp_path):
    """Each test's files (the demo's git repository, uploads) go to its own folder, never the checkout's data/:
    parallel workers would otherwise race on the same repository."""
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; `make test` installs it, so its absence is a failure."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make browsers` (Debian packages chromium, chromium-driver)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    from pathcraft.testing.browser import ConsoleWatch

    context = browser.new_context()
    watch = ConsoleWatch(context)  # any CSP violation, console error or page error fails the test
    page = context.new_page()
    page.set_default_timeout(15000)
    page.console_watch = watch
    yield page
    context.close()
    watch.check()
