"""Real headless Chromium: a new person fills the questionnaire and reads ranked roles with explanations."""

from __future__ import annotations

import os

import pytest

from pathcraft.people.tests.factories import PASSWORD
from pathcraft.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("PATHCRAFT_SCREENSHOTS", "/tmp")

# A teacher at heart in an engineering job: every row answered, as a new user would.
ANSWERS = {
    "coding": ("12", "3", "0"), "code_review": ("3", "3", "0"), "design": ("2", "3", "0"),
    "debugging": ("3", "3", "-1"), "support": ("2", "3", "-1"), "testing": ("3", "3", "0"),
    "infrastructure": ("1", "2", "-1"), "security": ("0", "2", "-1"), "writing": ("3", "4", "1"),
    "mentoring": ("3", "5", "2"), "teaching": ("4", "5", "2"), "presenting": ("2", "4", "2"),
    "customer": ("0", "3", "0"), "research": ("1", "3", "1"), "data_analysis": ("0", "2", "-1"),
    "planning": ("1", "3", "-1"), "stakeholders": ("1", "2", "-2"), "hiring": ("1", "3", "0"),
    "people_management": ("0", "2", "-1"), "meetings": ("6", "3", "-2"),
}  # fmt: skip


def test_new_person_fills_the_questionnaire_and_sees_ranked_roles(page, live_server):
    from pathcraft.paths.activities import load_activities
    from pathcraft.paths.models import ProfileSnapshot
    from pathcraft.people.tests.factories import make_org, make_person

    person = make_person(make_org(), "Noa New", title="Software Engineer")
    login(page, live_server, person.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Career", exact=True).click()
    page.get_by_role("heading", name="Your week: what you do, how well, and how it feels").wait_for()
    assert page.locator("table.q tbody tr[id^=row-]").count() == len(ANSWERS) == 20
    page.set_viewport_size({"width": 1200, "height": 900})
    page.screenshot(path=f"{SHOTS}/paths-questionnaire.png", full_page=True)
    for activity in load_activities():
        hours, skill, energy = ANSWERS[activity.id]
        page.get_by_label(f"Hours a week: {activity.name}", exact=True).fill(hours)
        page.get_by_label(f"Skill: {activity.name}", exact=True).select_option(skill)
        page.get_by_label(f"Energy: {activity.name}", exact=True).select_option(energy)
    page.get_by_role("button", name="Save and see my results").click()
    page.get_by_role("heading", name="Roles that fit your week").wait_for()
    ranked = page.locator("#ranked-roles > li")
    assert ranked.count() == 5
    top = ranked.locator("h3").all_inner_texts()
    assert top[0].startswith("1. Educator / trainer")
    assert not any("Engineering manager" in t for t in top)
    explanation = ranked.first.locator("ul.explanation li").all_inner_texts()
    assert any("which energise you" in s or "which energises you" in s for s in explanation)
    assert page.locator("svg[role=img]").count() >= 2  # ranked roles and strengths map, inline
    page.screenshot(path=f"{SHOTS}/paths-results.png", full_page=True)
    page.screenshot(path=f"{SHOTS}/paths-results-top.png")
    page.locator("#strengths-h").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/paths-results-strengths.png")
    assert "All 17 roles as a chart, and the other 12 explained" in page.content()
    snapshot = ProfileSnapshot.objects.get(person=person)
    assert len(snapshot.profile.answers) == 20

    # Two roles side by side, swapped in place with htmx.
    page.get_by_label("First role").select_option("engineering_manager")
    page.get_by_label("Second role").select_option("educator")
    page.get_by_role("button", name="Compare").click()
    page.locator("#compare h3", has_text="Engineering manager").wait_for()
    assert "/compare/" not in page.url
    assert "which you rate as draining" in page.locator("#compare").inner_text()


def test_demo_manager_sees_own_fit_and_what_a_report_shares(page, live_server):
    from pathcraft.demo.load import load_demo
    from pathcraft.demo.organisation import DEMO_PASSWORD
    from pathcraft.people.models import Person

    logins = load_demo()
    login(page, live_server, logins["manager"], DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Career", exact=True).click()
    page.get_by_role("heading", name="Roles that fit your week").wait_for()
    first = page.locator("#ranked-roles > li").first.inner_text()
    assert "Engineering manager" not in first.splitlines()[0]
    page.screenshot(path=f"{SHOTS}/paths-manager-results.png")
    for tab, shot in (("Position and readiness", "position"), ("Crafting plan", "plan")):
        page.get_by_role("navigation", name="Career").get_by_role("link", name=tab).click()
        page.screenshot(path=f"{SHOTS}/paths-manager-{shot}.png", full_page=True)
    assert "Not yet ready for Staff engineer" in page.content() or "Move" in page.content()
    page.get_by_role("link", name="Your team").click()
    specialist = Person.objects.get(email__startswith=_demo_email("platform-2"))
    page.locator("#team-careers").get_by_role("link", name="Shared with you").first.wait_for()
    assert page.locator("#team-careers a").count() == 2  # platform-2 and platform-3 share; others do not
    page.goto(f"{live_server.url}/paths/people/{specialist.pk}/")
    assert "shared with you, read-only" in page.content()
    page.goto(
        f"{live_server.url}/paths/frameworks/pathcraft-default/?level=ic/staff&from=management/manager&to=ic/staff"
    )
    page.screenshot(path=f"{SHOTS}/paths-framework.png", full_page=True)
    assert "Financial Times" in page.goto(f"{live_server.url}/paths/frameworks/").text()
    blocked = Person.objects.get(email__startswith=_demo_email("platform-4"))
    response = page.goto(f"{live_server.url}/paths/people/{blocked.pk}/")
    assert response.status == 403


def _demo_email(key: str) -> str:
    from pathcraft.demo.organisation import generate

    return generate().by_key(key).email
