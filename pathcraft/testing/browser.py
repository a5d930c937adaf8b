"""Helpers for Playwright browser tests."""

from __future__ import annotations


def login(page, live_server, username: str, password: str) -> None:
    """Log in through the login form and wait for the home page."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email or user name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")


class ConsoleWatch:
    """Collects every console error (CSP violations are reported there) and uncaught page error of a browser
    context; the shared `page` fixture fails the test if any was seen."""

    # Not a page's fault: a test that opens a forbidden or bad URL on purpose gets the error status on the page
    # itself (the console reports it as a failed load), and Chromium asks for /favicon.ico on its own.
    LOAD_FAILED = "Failed to load resource: the server responded with a status of"

    def __init__(self, context) -> None:
        self.problems: list[str] = []
        self._documents: set[str] = set()
        context.on("console", self._console)
        context.on("weberror", lambda error: self.problems.append(f"page error: {error.error}"))
        context.on("request", self._request)

    def _request(self, request) -> None:
        if request.is_navigation_request() or request.url.endswith("/favicon.ico"):
            self._documents.add(request.url)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        # The favicon is checked by its URL too: Chromium may report its failed load before the request event.
        if message.text.startswith(self.LOAD_FAILED) and (
            url in self._documents or url.endswith("/favicon.ico")
        ):
            return
        self.problems.append(f"console error: {message.text} ({url})")

    def check(self) -> None:
        if self.problems:
            raise AssertionError("the browser reported problems:\n" + "\n".join(self.problems))
