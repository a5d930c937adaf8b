"""The CEO of a 5,000-person organisation in a real browser: the org chart, the teams list and team health open
in under a second each on a warm cache, and a person is found by name.

The organisation is generated once for the test (`pathcraft demo --size 5000`: bulk inserts, about 20-40 s here
on SQLite, most of it the sample data); all checks share it, so it is loaded once per run.
The time bound is a sanity bound from the issue ("under 1 s on the test machine's warm cache"), read from the
page's own Navigation Timing; the comparable figures are benchmarks/web.py's.
"""

from __future__ import annotations

import time

import pytest

from pathcraft.demo.organisation import DEMO_PASSWORD
from pathcraft.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZE = 5000
WARM_LOAD_MS = 1000  # the bound for a warm page load

# The page's own timing: from the navigation's start to the end of its load event (HTML, CSS, scripts, paint).
LOAD_MS = (
    "() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; }"
)


@pytest.fixture
def large_org(transactional_db):
    from pathcraft.demo.load import load_demo

    started = time.perf_counter()
    logins = load_demo(size=SIZE)
    print(f"\n{SIZE} people loaded in {time.perf_counter() - started:.1f} s")
    return logins


def _warm_load_ms(page, url: str) -> float:
    page.goto(url)  # cold: templates compiled, data files read, the browser's cache filled
    page.goto(url)
    page.wait_for_load_state("load")
    return page.evaluate(LOAD_MS)


def test_ceo_of_5000_opens_chart_teams_and_health_and_finds_a_person(page, live_server, large_org):
    from pathcraft.people.models import Person

    assert Person.objects.count() == SIZE
    login(page, live_server, large_org["ceo"], DEMO_PASSWORD)
    timings = {}
    for name, path, ready in (
        ("org chart", "/org/", "#org-tree li"),
        ("teams", "/teams/", "table tbody tr"),
        ("team health", "/workload/team/", "#team-table"),
    ):
        timings[name] = _warm_load_ms(page, f"{live_server.url}{path}")
        assert page.locator(ready).count() >= 1, f"{name}: nothing listed"
    print("warm loads (ms):", {k: round(v) for k, v in timings.items()})
    assert all(ms < WARM_LOAD_MS for ms in timings.values()), timings
    assert page.locator("#team-table tbody tr").count() <= 15  # the CEO's own reports, not 5,000 rows
    page.goto(f"{live_server.url}/teams/")
    assert page.locator("table tbody tr").count() == 50  # one page of ~500 teams
    page.get_by_role("link", name="Next").click()
    page.wait_for_url("**/teams/?page=2")

    # Find someone deep in the organisation by name, then open the chart at them.
    someone = Person.objects.filter(manager__manager__manager__manager__isnull=False).order_by("pk")[1234]
    page.goto(f"{live_server.url}/org/")
    page.get_by_label("Find a person").fill(someone.name)
    page.get_by_role("button", name="Search").click()
    found = page.locator("#org-found")
    found.get_by_role("link", name=someone.name, exact=True).first.wait_for()
    found.get_by_role("link", name=f"{someone.name} in the chart").first.click()
    page.get_by_role("heading", name=someone.name).wait_for()
    above = page.get_by_role("navigation", name="Above")
    assert above.get_by_role("link", name=someone.manager.name).count() == 1
    # Subtrees stay collapsed: the CEO's chart lists the CEO's reports, and each opens on demand.
    page.goto(f"{live_server.url}/org/")
    first_level = page.locator("#org-tree > ul > li").count()
    assert 2 <= first_level <= 15
    page.locator("#org-tree button").first.click()
    page.locator("#org-tree ul ul li").first.wait_for()
