"""Real headless Chromium on the demo: the manager records a spotlight with two contributors through the form,
and the spotlight distribution on the dashboard changes accordingly."""

from __future__ import annotations

import re

import pytest

from pathcraft.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def spotlight_shares(page) -> dict[str, tuple[int, int]]:
    """Person -> (their contributions, team total), read from the dashboard's spotlight chart."""
    texts = page.locator("section[aria-labelledby=spot-h] svg text").all_text_contents()
    shares = {}
    for label, value in zip(texts[0::2], texts[1::2], strict=False):
        found = re.fullmatch(r"(\d+) of (\d+)", value)
        if found:
            shares[label] = (int(found.group(1)), int(found.group(2)))
    return shares


def contributions_in_window(page) -> int:
    text = page.locator("section[aria-labelledby=spot-h]").inner_text()
    return int(re.search(r"(\d+) contributions in the window", text).group(1))


def test_demo_manager_records_a_spotlight_with_two_contributors(page, live_server):
    from pathcraft.demo.load import load_demo
    from pathcraft.demo.organisation import DEMO_PASSWORD
    from pathcraft.growth.models import SpotlightEvent

    logins = load_demo()
    login(page, live_server, logins["manager"], DEMO_PASSWORD)

    page.goto(f"{live_server.url}/growth/dashboard/")
    before = spotlight_shares(page)
    assert len(before) == 13
    total_before = contributions_in_window(page)
    # Two people with the fewest spotlights (the demo's register is dominated by one person).
    first, second = sorted(before, key=lambda name: (before[name][0], name))[:2]

    page.get_by_role("link", name="Record a spotlight").click()
    page.get_by_role("heading", name="Record a spotlight").wait_for()
    assert "Crediting colleagues is Sam Rivera's call" in page.locator("#rules").inner_text()
    page.get_by_label("Kind").select_option("customer_demo")
    page.get_by_label("What", exact=True).fill("Live demo of the build cache to Acme")
    page.get_by_label("Who, line 1").select_option(label=first)
    page.get_by_label("Their part, line 1").fill("ran the demo")
    page.get_by_label("Who, line 2").select_option(label=second)
    page.get_by_label("Their part, line 2").fill("built the dashboard shown")
    page.get_by_role("button", name="Record spotlight").click()
    page.locator("#register").get_by_text("Live demo of the build cache to Acme").wait_for()
    page.screenshot(path="/tmp/growth-spotlight-register.png", full_page=True)
    event = SpotlightEvent.objects.get(title="Live demo of the build cache to Acme")
    assert sorted(c.person.name for c in event.contributions.all()) == sorted([first, second])

    page.goto(f"{live_server.url}/growth/dashboard/")
    after = spotlight_shares(page)
    assert contributions_in_window(page) == total_before + 2
    assert after[first] == (before[first][0] + 1, before[first][1] + 2)
    assert after[second] == (before[second][0] + 1, before[second][1] + 2)
    unchanged = [name for name in before if name not in (first, second)]
    assert all(after[name][0] == before[name][0] for name in unchanged)
    page.screenshot(path="/tmp/growth-spotlight-dashboard.png", full_page=True)


def test_bad_input_in_the_browser_is_one_line_and_keeps_what_was_typed(page, live_server):
    from pathcraft.growth.models import SpotlightEvent
    from pathcraft.growth.tests.db import make_pair
    from pathcraft.people.tests.factories import PASSWORD, small_org

    org = small_org()
    make_pair(org["lead"], org["dev"])
    login(page, live_server, org["lead"].email, PASSWORD)
    page.goto(f"{live_server.url}/growth/team/{org['lead'].pk}/spotlight/")
    page.get_by_label("What", exact=True).fill("A talk nobody gave")
    page.get_by_role("button", name="Record spotlight").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text() == "Name at least one contributor."
    assert page.get_by_label("What", exact=True).input_value() == "A talk nobody gave"
    assert not SpotlightEvent.objects.exists()
