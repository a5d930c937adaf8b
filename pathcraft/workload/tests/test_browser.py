"""Real headless Chromium: the demo manager sees their own load and their team's signals with the reasons."""

from __future__ import annotations

import pytest

from pathcraft.demo.organisation import DEMO_PASSWORD
from pathcraft.testing.browser import login as browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from pathcraft.demo.load import load_demo

    return load_demo()


def login(page, live_server, username):
    browser_login(page, live_server, username, DEMO_PASSWORD)


def test_demo_manager_sees_own_load_and_team_signals(page, live_server, demo):
    login(page, live_server, demo["manager"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team health", exact=True).click()
    page.get_by_role("heading", name="Team health", level=1).wait_for()
    own = page.locator("#own-load")
    assert "13 direct reports: 5 above the 6-8 range" in own.inner_text()
    assert "8.7 h a week" in own.inner_text() and "frees 1.7 h a week" in own.inner_text()
    assert own.get_by_text("Meetings are eating the week").is_visible()
    assert "Line crossed" in own.inner_text()
    table = page.locator("#team-table tbody tr")
    assert table.count() == 13
    reasons = page.locator("#report-signals")
    assert "A large share of escalations" in reasons.inner_text()
    assert "an equal share would be" in reasons.inner_text()  # what it saw, not just a label
    assert "Escalations are unevenly spread" in page.content()
    assert "Work-related burnout" in page.locator("#team-burnout").inner_text()
    assert "L3 escalation bridge" not in page.content().split("team-table")[1]  # no report's titles
    page.screenshot(path="/tmp/workload-team.png", full_page=True)


def test_broken_upload_shows_an_error_and_stores_nothing(page, live_server, demo, tmp_path):
    from pathcraft.workload.models import CalendarImport

    before = CalendarImport.objects.count()
    login(page, live_server, demo["engineer"])
    page.goto(f"{live_server.url}/workload/")
    bad = tmp_path / "broken.ics"
    bad.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n")
    page.get_by_label("Calendar file (.ics)").set_input_files(str(bad))
    page.get_by_role("button", name="Analyse").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "truncated" in alert.inner_text() or "ends inside" in alert.inner_text()
    assert CalendarImport.objects.count() == before
    assert page.locator("#weekly-table").count() == 1  # the earlier analysis is still shown
    page.screenshot(path="/tmp/workload-me.png", full_page=True)
