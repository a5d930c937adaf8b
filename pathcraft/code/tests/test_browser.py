"""Real headless Chromium: the demo manager finds the specialist's module and simulates their departure."""

from __future__ import annotations

import pytest

from pathcraft.demo.organisation import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the demo repository is generated here, not in ./data
    from pathcraft.demo.load import load_demo

    return load_demo()


def test_manager_sees_the_specialist_module_and_what_their_leaving_orphans(page, live_server, demo):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email or user name").fill(demo["manager"])
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Code", exact=True).click()
    page.get_by_role("link", name="Platform / platform-core").click()
    spof = page.locator("#spof")
    assert "Module core" in spof.inner_text() and "Sven Wong" in spof.inner_text()
    assert "Language Go" in spof.inner_text() and "Rosa Mensah" in spof.inner_text()
    assert page.locator('svg.treemap g[data-module="core"][data-truck-factor="1"]').count() == 1
    page.screenshot(path="/tmp/code-map.png", full_page=True)
    page.get_by_label("Sven Wong").check()
    page.get_by_role("button", name="Simulate").click()
    orphaned = page.locator("#orphaned")
    orphaned.wait_for()
    text = orphaned.inner_text()
    assert "core/scheduler.py" in text and "DOA" in text
    assert orphaned.locator("tbody tr").count() == 10
    page.screenshot(path="/tmp/code-leave.png", full_page=True)
