"""Smoke test of a production installation (gunicorn, PostgreSQL, two workers), started by `.ci/smoke`:
a real Chromium logs in as the demo's manager and opens the main pages; static files come hashed and compressed."""

from __future__ import annotations

import json
import os
import re
import urllib.request
from types import SimpleNamespace

import pytest

from pathcraft.demo.organisation import DEMO_PASSWORD
from pathcraft.testing.browser import login

pytestmark = [pytest.mark.smoke, pytest.mark.browser]

SERVER = SimpleNamespace(url=os.environ.get("PATHCRAFT_SMOKE_URL", "").rstrip("/"))
MANAGER = "sam.rivera@demo.pathcraft.test"

PAGES = [
    ("/", "Sam Rivera"),
    ("/org/", "Org"),
    ("/teams/", "Teams"),
    ("/paths/team/", "Sam Rivera"),
    ("/workload/team/", "Sam Rivera"),
    ("/growth/dashboard/", "Sam Rivera"),
]
API = ["/api/me", "/api/people", "/api/teams"]


def test_readyz_sees_the_database_migrations_and_both_workers():
    with urllib.request.urlopen(f"{SERVER.url}/readyz", timeout=10) as response:
        report = json.load(response)
    assert report["ready"] is True
    assert report["checks"]["worker"]["workers_seen"] >= 2


def test_the_manager_logs_in_and_opens_the_main_pages(page):
    login(page, SERVER, MANAGER, DEMO_PASSWORD)
    for path, text in PAGES:
        response = page.goto(f"{SERVER.url}{path}")
        assert response.status == 200, path
        assert text in page.content(), path
    for path in API:
        response = page.goto(f"{SERVER.url}{path}")
        assert response.status == 200, path
        assert response.headers["content-type"].startswith("application/json"), path
        json.loads(response.text())
    # page's console watch fails the test on any console or CSP error seen on the way


def test_static_files_are_hashed_compressed_and_cached_for_long(page):
    page.goto(f"{SERVER.url}/login/")
    stylesheet = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert re.fullmatch(r"/static/pathcraft/app\.[0-9a-f]{12}\.css", stylesheet), stylesheet
    request = urllib.request.Request(f"{SERVER.url}{stylesheet}", headers={"Accept-Encoding": "br, gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] in {"br", "gzip"}
        assert "immutable" in response.headers["Cache-Control"]
        assert response.read()
