"""Real headless Chromium: an administrator who manages a team uploads a PagerDuty export and sees the load."""

from __future__ import annotations

import pytest

from pathcraft.people.tests.factories import PASSWORD, small_org
from pathcraft.testing.browser import login
from pathcraft.workload.tests.test_incident_formats import EXPORTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _cells(page, name: str) -> list[str]:
    row = page.locator("#team-table tbody tr", has_text=name)
    return [c.inner_text() for c in row.locator("td").all()]


def test_upload_a_pagerduty_export_and_see_the_escalation_load(page, live_server):
    org = small_org()
    org["lead"].user.is_superuser = True
    org["lead"].user.save(update_fields=["is_superuser"])
    login(page, live_server, org["lead"].email, PASSWORD)
    page.goto(f"{live_server.url}/workload/team/")
    page.get_by_role("link", name="Import incidents").click()
    page.get_by_role("heading", name="Import incidents", level=1).wait_for()

    # The wrong tool's file for the format chosen: one clear line, nothing stored.
    page.get_by_label("PagerDuty REST API JSON").check()
    page.get_by_label("Export file").set_input_files(str(EXPORTS / "opsgenie_alerts.json"))
    page.get_by_role("button", name="Import").click()
    assert "looks like an Opsgenie alert export" in page.locator("#import-error").inner_text()

    page.get_by_label("PagerDuty REST API JSON").check()
    page.get_by_label("Export file").set_input_files(str(EXPORTS / "pagerduty_incidents.json"))
    page.get_by_role("button", name="Import").click()
    page.get_by_role("heading", name="Team health", level=1).wait_for()
    status = page.get_by_role("status").inner_text()
    assert "Imported 4 incident row(s) from pagerduty_incidents.json (PagerDuty)" in status
    assert "Not in the organisation, not stored: Sam Contractor" in status
    # Escalations, outside hours, acknowledged, via escalation (after "no calendar", one cell for three columns).
    assert _cells(page, "Dee Dev")[1:5] == [
        "2",
        "2",
        "1",
        "0",
    ]  # 02:15 and 21:40 UTC; acknowledged the second
    assert _cells(page, "Dan Dev")[1:5] == ["1", "0", "1", "0"]  # 10:00 UTC, inside 09-17
    own = page.locator("#own-load").inner_text()
    assert "1 of the team's 4 (25%), 1 outside your working hours" in own  # Lee, reached by the escalation
    assert "2026-03-" in page.locator("#incidents").inner_text()
