"""Real headless Chromium: the report adds a point, the manager marks a question discussed and adds an action
item; after the next 1:1 is cancelled both wait on the one after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pathcraft.growth.tests.db import make_pair
from pathcraft.people.tests.factories import PASSWORD, small_org
from pathcraft.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.get_by_role("button", name="Log out").click()


def test_agenda_and_action_item_survive_a_cancelled_1on1(page, live_server):
    from pathcraft.growth import actions
    from pathcraft.growth.models import Discussion

    org = small_org()
    rel = make_pair(org["lead"], org["dev"])
    first = actions.next_occurrence(rel)

    login(page, live_server, org["dev"].email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="1:1s").click()
    page.get_by_role("link", name="With Lee Lead").click()
    page.get_by_label("Add a point").fill("Can I lead the next incident review?")
    page.get_by_label("Which question does it serve?").select_option("grow")
    page.get_by_role("button", name="Add to agenda", exact=True).click()
    page.locator("#agenda-items").get_by_text("Can I lead the next incident review?").wait_for()
    page.screenshot(path="/tmp/growth-report.png", full_page=True)
    logout(page)

    login(page, live_server, org["lead"].email, PASSWORD)
    page.goto(f"{live_server.url}/growth/1on1/{rel.pk}/")
    assert page.locator("#agenda-items").get_by_text("Can I lead the next incident review?").is_visible()
    page.get_by_role("button", name="Mark discussed: What motivates them?").click()
    page.wait_for_load_state()
    assert Discussion.objects.filter(relationship=rel, question="motivation").count() == 1
    page.get_by_label("New action item").fill("Send the incident review template")
    page.get_by_label("Owner").select_option(label="Dee Dev")
    page.get_by_label("Due").fill((timezone.localdate() + dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Add action item").click()
    page.locator("#action-items").get_by_text("Send the incident review template").wait_for()

    page.get_by_role("button", name="Cancel this 1:1").click()
    page.wait_for_load_state()
    first.refresh_from_db()
    assert first.status == "cancelled" and first.cancelled_by_id == org["lead"].pk
    second = actions.next_occurrence(rel)
    assert second.start > first.start
    page.screenshot(path="/tmp/growth-manager.png", full_page=True)
    agenda = page.locator("#agenda")
    assert second.start.strftime("%-d %b") in agenda.get_by_role("heading").inner_text()
    item = page.locator("#agenda-items li", has_text="Can I lead the next incident review?")
    assert "carried 1×" in item.inner_text()
    action = page.locator("#action-items li", has_text="Send the incident review template")
    assert "carried 1×" in action.inner_text()
    assert "Can I lead the next incident review?" in page.locator("#agenda-items").inner_text()


def test_demo_manager_dashboard_lists_13_reports_with_charts(page, live_server):
    from pathcraft.demo.load import load_demo
    from pathcraft.demo.organisation import DEMO_PASSWORD

    logins = load_demo()
    login(page, live_server, logins["manager"], DEMO_PASSWORD)
    page.goto(f"{live_server.url}/growth/dashboard/")
    assert page.locator("#report-table tbody tr").count() == 13
    assert page.get_by_role(
        "img", name="Cadence adherence over the last 8 weeks, held of expected, per report"
    ).is_visible()
    assert page.get_by_role("heading", name="Spotlight distribution").is_visible()
    page.screenshot(path="/tmp/growth-dashboard.png", full_page=True)
    page.goto(f"{live_server.url}/growth/delegation/")
    assert "Approve production access" in page.locator("main").inner_text()
    page.screenshot(path="/tmp/growth-delegation.png", full_page=True)
