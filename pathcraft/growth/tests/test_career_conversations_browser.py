"""Real headless Chromium on the demo: an engineer who moved to Sam five weeks ago (life story held) sees
the dreams conversation suggested on the 1:1 page; Sam accepts it and it appears on the agenda."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from pathcraft.testing.browser import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def newcomer_on_the_demo():
    """Mira's first engineer moves to Sam 35 days ago; their 1:1s since were held, the first was the life
    story. The engineer gets a login (the demo gives logins to Sam, Jae and the admin only)."""
    from pathcraft.demo.load import load_demo
    from pathcraft.demo.organisation import DEMO_PASSWORD
    from pathcraft.growth import actions
    from pathcraft.growth.models import Relationship
    from pathcraft.growth.questions import question_bank
    from pathcraft.people.models import Person

    logins = load_demo()
    sam = Person.objects.get(email=logins["manager"])
    newcomer = Person.objects.get(name="Mira Patel").reports.order_by("name").first()
    actions.change_manager(newcomer, sam, on=timezone.localdate() - dt.timedelta(days=35))
    rel = Relationship.objects.get(manager=sam, report=newcomer, ended_on=None)
    now = timezone.now()
    past = list(rel.occurrences.filter(start__lt=now, status="planned").order_by("start"))
    # The life story, accepted before the first 1:1 and discussed in it, as the buttons would record it.
    before_first = past[0].start - dt.timedelta(days=1)
    prompt = next(p for p in question_bank() if p.id == "career-life-story")
    item = actions.use_prompt(rel, prompt.id, prompt.question, prompt.text, sam, now=before_first)
    assert item.occurrence_id == past[0].pk
    actions.complete_agenda_item(item, sam, on=past[0].start.date())
    for occ in past:
        actions.hold_occurrence(occ)
    newcomer.user = get_user_model().objects.create_user(username=newcomer.email, email=newcomer.email,
                                                         password=DEMO_PASSWORD)  # fmt: skip
    newcomer.save(update_fields=["user"])
    return rel, logins, DEMO_PASSWORD


def test_newcomer_sees_dreams_and_the_manager_accepts_it(page, live_server):
    from pathcraft.growth.models import AgendaItem

    rel, logins, password = newcomer_on_the_demo()
    url = f"{live_server.url}/growth/1on1/{rel.pk}/"

    login(page, live_server, rel.report.email, password)
    page.goto(url)
    suggestion = page.locator("#career-suggestion")
    assert "Career conversation 2: dreams" in suggestion.inner_text()
    assert "peak of your career" in suggestion.inner_text()
    assert suggestion.get_by_role("button").count() == 0  # the report sees it; the manager decides
    page.screenshot(path="/tmp/growth-career-report.png", full_page=True)
    page.get_by_role("button", name="Log out").click()

    login(page, live_server, logins["manager"], password)
    page.goto(url)
    page.locator("#career-suggestion").get_by_role("button", name="Accept: put it on the agenda").click()
    item = page.locator("#agenda-items li", has_text="peak of your career")
    item.wait_for()
    assert (
        "career conversation" in item.inner_text()
        and "How do they connect with our vision?" in item.inner_text()
    )
    assert page.locator("#career-suggestion").count() == 0
    page.screenshot(path="/tmp/growth-career-manager.png", full_page=True)
    saved = AgendaItem.objects.get(relationship=rel, prompt_id="career-dreams")
    assert saved.question == "vision" and saved.author_id == rel.manager_id and not saved.done
