"""Real headless Chromium on the demo: the manager opens the Platform team's review load (shares, Gini, the chart,
the most loaded reviewer flagged) and sees a successor from reviews in "what if X leaves"."""

from __future__ import annotations

import pytest

from pathcraft.demo.organisation import DEMO_PASSWORD
from pathcraft.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the demo repository is generated here, not in ./data
    from pathcraft.demo.load import load_demo

    return load_demo()


def test_manager_sees_the_team_review_load_and_a_successor_from_reviews(page, live_server, demo):
    login(page, live_server, demo["manager"], DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews", exact=True).click()
    page.wait_for_url(f"{live_server.url}/reviews/teams/platform/")
    assert page.get_by_role("heading", level=1).inner_text() == "Review load: Platform"
    sentence = page.locator("#concentration").inner_text()
    assert (
        sentence.startswith("Two people (Sven Wong and Rosa Mensah) give ")
        and "% of the reviews." in sentence
    )
    assert "unevenly spread" in page.locator("#gini").inner_text()
    flagged = page.locator("#most-loaded")
    assert "Sven Wong" in flagged.inner_text()
    top = page.locator("#review-table tbody tr").first
    assert "Sven Wong" in top.inner_text() and "most loaded" in top.inner_text()
    chart = page.locator("#share-chart svg.review-shares")
    assert chart.count() == 1 and chart.locator('g[data-person="Sven Wong"][data-flagged="1"]').count() == 1
    assert page.locator("#trend-chart svg.review-trend rect").count() > 10
    page.screenshot(path="/tmp/reviews-team.png", full_page=True)

    top.get_by_role("link", name="Sven Wong").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sven Wong's reviews"
    share = page.locator("#review-share").inner_text()
    assert "of the Platform team's" in share and "far above an equal share" in share
    assert page.locator("#review-signal").count() == 1 and page.locator("#week-suggestion").count() == 0
    page.screenshot(path="/tmp/reviews-person.png", full_page=True)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Code", exact=True).click()
    page.get_by_role("link", name="Platform / platform-core").click()
    page.get_by_label("Sven Wong").check()
    page.get_by_role("button", name="Simulate").click()
    modules = page.locator("#leave-modules")
    modules.wait_for()
    core = modules.locator("tr", has_text="core").first
    assert "Rosa Mensah" in core.inner_text() and "reviewed" in core.inner_text()
    assert page.locator('#orphaned .offered-successor[data-from="reviews"]').count() > 0
    page.screenshot(path="/tmp/reviews-leave.png", full_page=True)

    page.locator("#leave-modules").get_by_role("link", name="Rosa Mensah").first.click()
    page.wait_for_url(f"{live_server.url}/code/people/**")
