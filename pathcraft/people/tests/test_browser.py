"""Real headless Chromium: the demo manager sees their team; a peer cannot open what is not theirs."""

from __future__ import annotations

import pytest

from pathcraft.demo.organisation import DEMO_PASSWORD
from pathcraft.testing.browser import login as browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from pathcraft.demo.load import load_demo

    return load_demo()


def nav(page, name):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def login(page, live_server, username):
    browser_login(page, live_server, username, DEMO_PASSWORD)


def test_manager_logs_in_and_sees_their_team(page, live_server, demo):
    login(page, live_server, demo["manager"])
    assert page.get_by_role("heading", name="Your team").is_visible()
    reports = page.locator("#my-reports li")
    assert reports.count() == 13
    assert "13 direct reports" in page.content()
    nav(page, "Org chart").click()
    page.get_by_role("link", name="Dana Whitfield").first.click()  # browse up, then down again
    nav(page, "Org chart").click()
    tree = page.locator("#org-tree")
    assert tree.locator("li").count() == 13
    nav(page, "Teams").click()
    page.get_by_role("link", name="Platform", exact=True).click()
    assert page.locator("#team-members tbody tr").count() == 14


def test_org_chart_opens_levels_with_htmx(page, live_server, demo):
    from pathcraft.people.models import Person

    login(page, live_server, "admin")  # the admin has no person: the chart is for people in the organisation
    assert "not linked to a person" in page.content()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/login/")
    vp = Person.objects.get(title="VP Engineering")
    login(page, live_server, demo["manager"])
    page.goto(f"{live_server.url}/org/?root={vp.pk}")
    assert page.locator("#org-tree li").count() == 2
    page.get_by_role("button", name="Show 3 reports of Dana Whitfield").click()
    page.locator("#org-tree").get_by_role("link", name="Sam Rivera").wait_for()
    assert page.locator("#org-tree li").count() == 5


def test_peer_cannot_open_someone_elses_private_page(page, live_server, demo):
    from pathcraft.people.models import Person

    login(page, live_server, demo["engineer"])
    colleague = Person.objects.get(email=demo["manager"])
    response = page.goto(f"{live_server.url}/people/{colleague.pk}/privacy/")
    assert response.status in (403, 404)
    assert colleague.email not in page.content() or "Shared" not in page.content()
    assert "stop sharing" not in page.content() and "not shared" not in page.content()
    own = Person.objects.get(email=demo["engineer"])
    response = page.goto(f"{live_server.url}/people/{own.pk}/privacy/")
    assert response.status == 200
    # Flip one consent with htmx, whatever the demo data set it to, and see the row and the database follow.
    shared = own.shares.filter(kind="calendar", relation="manager").exists()
    row = page.locator("#share-calendar-manager")
    row.get_by_role("button").click()
    expected = "Not shared — share" if shared else "Shared — stop sharing"
    page.locator("#share-calendar-manager").get_by_role("button", name=expected).wait_for()
    assert own.shares.filter(kind="calendar", relation="manager").exists() is not shared
