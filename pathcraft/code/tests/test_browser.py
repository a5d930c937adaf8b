"""Real headless Chromium: the demo manager finds the specialist's module and simulates their departure."""

from __future__ import annotations

import pytest

from pathcraft.demo.organisation import DEMO_PASSWORD, generate
from pathcraft.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the demo repository is generated here, not in ./data
    from pathcraft.demo.load import load_demo

    return load_demo()


def test_manager_sees_the_specialist_module_and_what_their_leaving_orphans(page, live_server, demo):
    login(page, live_server, demo["manager"], DEMO_PASSWORD)
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


def test_manager_confirms_an_identity_and_opens_what_a_person_knows(page, live_server, demo):
    """The demo's own to-do: Mateo commits from his personal address under his own name, a same-name proposal."""
    from pathcraft.code.demo import NEWCOMER, personal_email
    from pathcraft.code.models import Repository
    from pathcraft.people.models import Person

    mateo = Person.objects.get(email=generate().by_key(NEWCOMER).email)
    personal = personal_email(mateo)
    repo = Repository.objects.get(name="platform-core")

    login(page, live_server, demo["manager"], DEMO_PASSWORD)
    page.goto(f"{live_server.url}/code/repositories/{repo.pk}/")
    assert "Mateo Castillo unconfirmed match" in page.locator("#modules").inner_text()
    page.get_by_role("link", name="Git identities and aliases (1 waiting for confirmation)").click()
    row = page.locator(f'tr[data-identity="{personal}"]')
    assert "Mateo Castillo?" in row.inner_text()
    bots = page.locator("#bots").inner_text()
    assert "dependabot[bot]" in bots and "renovate[bot]" in bots
    page.screenshot(path="/tmp/code-identities.png", full_page=True)
    row.get_by_role("button", name="Confirm: Mateo Castillo is Mateo Castillo").click()
    page.wait_for_load_state()
    assert "Match confirmed" in page.locator(".messages").inner_text()
    assert (
        "Mateo Castillo\nconfirmed by a lead" in page.locator(f'tr[data-identity="{personal}"]').inner_text()
    )

    page.get_by_role("link", name=f"{repo.team.name} / platform-core").click()
    modules = page.locator("#modules")
    assert "unconfirmed match" not in modules.inner_text()
    modules.get_by_role("link", name="Mateo Castillo").click()
    page.wait_for_url(f"{live_server.url}/code/people/{mateo.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "What Mateo Castillo knows in the code"
    assert "web/src/charts.ts" in page.locator(".spof-list").inner_text()
    assert page.locator("#timing").count() == 1  # Sam is Mateo's manager: he sees when he commits

    page.goto(f"{live_server.url}/code/repositories/{repo.pk}/")
    page.locator("#spof").get_by_role("link", name="Sven Wong").click()
    assert "Module core" in page.locator(".spof-list").inner_text()
    page.wait_for_selector("#person-summary")
    page.screenshot(path="/tmp/code-person.png", full_page=True)
