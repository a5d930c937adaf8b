"""Real headless Chromium: a person asks three colleagues; each answers through their link without an
account, in a browser of their own; results appear only after the third answer, without names."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail

from pathcraft.feedback.tests.conftest import tokens_in_outbox
from pathcraft.people.tests.factories import PASSWORD
from pathcraft.testing.browser import login as browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    browser_login(page, live_server, username, PASSWORD)


def test_three_colleagues_answer_and_results_appear_without_names(page, browser, live_server, org):
    dee, colleagues = org["dev"], [org["ann"], org["ben"], org["cat"]]
    login(page, live_server, dee.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Feedback", exact=True).click()
    page.get_by_role("link", name="Ask for feedback").click()
    for person in colleagues:
        page.get_by_label(person.name).check()
    start = len(mail.outbox)
    page.get_by_role("button", name="Send the invitations").click()
    page.get_by_text("Invitations sent to 3 colleagues.").wait_for()
    results_url = page.url
    assert "Results appear once 3 colleagues have answered" in page.locator("#results").inner_text()

    links = tokens_in_outbox(start)
    assert sorted(links) == sorted(p.email for p in colleagues)
    for number, person in enumerate(colleagues, start=1):
        context = browser.new_context()  # a respondent's own browser: no session, no cookies
        other = context.new_page()
        other.set_default_timeout(15000)
        other.goto(f"{live_server.url}/feedback/answer/{links[person.email]}/")
        assert other.get_by_role("heading", name="Feedback for Dee Dev").is_visible()
        assert "Log out" not in other.content()
        other.get_by_label("What does this person do well?").fill(f"Clear explanations, point {number}.")
        other.get_by_role("group", name="Writing code").get_by_label(f"{2 + number} ").check()
        if number == 1:
            other.screenshot(path="/tmp/feedback-answer.png", full_page=True)
        other.get_by_role("button", name="Send my answer").click()
        other.get_by_role("heading", name="Thank you").wait_for()
        again = other.goto(f"{live_server.url}/feedback/answer/{links[person.email]}/")
        assert again.status == 410 and "already used" in other.content()
        context.close()

        page.goto(results_url)
        section = page.locator("#results").inner_text()
        if number < 3:
            assert "Results appear once 3 colleagues have answered" in section, number
            assert "Clear explanations" not in page.content()
            assert page.locator("#answer-count").inner_text() == "0"  # moves only with a released batch

    assert "Clear explanations, point 1." in section and "Clear explanations, point 3." in section
    assert page.get_by_role("row", name="Writing code 4.0 1.0 3").is_visible()
    html = page.content()
    for person in colleagues:
        assert person.name not in html and person.email not in html
    page.screenshot(path="/tmp/feedback-results.png", full_page=True)
    assert settings.EMAIL_BACKEND.endswith("locmem.EmailBackend")


def test_manager_approves_an_outside_address_in_the_browser(page, live_server, org):
    from pathcraft.feedback import actions
    from pathcraft.feedback.models import Invite

    req = actions.create_request(org["dev"], [org["ann"], org["ben"], "client@partner.example"])
    login(page, live_server, org["lead"].email)
    page.goto(f"{live_server.url}/feedback/approvals/")
    table = page.locator("#approvals").inner_text()
    assert "Dee Dev" in table and "client@partner.example" in table
    start = len(mail.outbox)
    page.get_by_role("button", name="Approve client@partner.example").click()
    page.get_by_text("client@partner.example approved: the link is on its way.").wait_for()
    assert page.locator("#nothing-waiting").is_visible()
    assert list(tokens_in_outbox(start)) == ["client@partner.example"]
    assert req.invites.get(email="client@partner.example").approval == Invite.Approval.APPROVED
