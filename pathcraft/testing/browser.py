"""Helpers for Playwright browser tests."""

from __future__ import annotations


def login(page, live_server, username: str, password: str) -> None:
    """Log in through the login form and wait for the home page."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email or user name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
