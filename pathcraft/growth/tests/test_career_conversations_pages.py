"""Career conversations and the first-1:1 check on the 1:1 page: both sides see them, the manager accepts or
dismisses, "plan it" plans the first 1:1; and the same rules read from the database with worked dates.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pathcraft.growth import actions, suggestions
from pathcraft.growth.models import AgendaItem, Discussion, Occurrence, PromptEvent
from pathcraft.growth.queries import question_state
from pathcraft.growth.tests.db import login

pytestmark = pytest.mark.django_db


def new_pair(manager, report, days_ago: int, **kwargs):
    """A weekly 1:1 that began `days_ago` days ago; its next slot is tomorrow."""
    today = timezone.localdate()
    return actions.create_relationship(
        manager, report, started_on=today - dt.timedelta(days=days_ago),
        weekday=(today + dt.timedelta(days=1)).weekday(), at=dt.time(10, 0), tz="UTC", **kwargs,
    )  # fmt: skip


def hold_life_story(rel):
    AgendaItem.objects.create(relationship=rel, author=rel.manager, text="Life story", question="motivation",
                              prompt_id="career-life-story", done=True, discussed_on=timezone.localdate())  # fmt: skip


def page(client, rel) -> str:
    return client.get(reverse("growth:one-on-one", args=[rel.pk])).content.decode()


def career_post(client, rel, key, do):
    return client.post(reverse("growth:career-conversation", args=[rel.pk]), {"conversation": key, "do": do})


@pytest.fixture
def newcomer(org):
    """Dee's 1:1 with Lee began 35 days ago; the life story was held, so dreams is next."""
    org["rel"].delete()
    rel = new_pair(org["lead"], org["dev"], 35)
    hold_life_story(rel)
    return rel


def test_both_sides_see_the_dreams_conversation_only_the_manager_gets_the_buttons(client, org, newcomer):
    html = page(login(client, org["dev"]), newcomer)
    assert 'id="career-suggestion"' in html and "Career conversation 2: dreams" in html
    assert "what would the peak of your career look like" in html
    assert 'name="conversation"' not in html and "Lee Lead can put it on the agenda" in html
    assert "counts as held once its agenda point is marked" in html  # the rule, stated where it applies
    client.logout()
    html = page(login(client, org["lead"]), newcomer)
    assert 'name="conversation" value="dreams"' in html and "Accept: put it on the agenda" in html


def test_accepting_puts_it_on_the_next_agenda_and_discussing_it_holds_it(client, org, newcomer):
    login(client, org["lead"])
    response = career_post(client, newcomer, "dreams", "accept")
    assert response.status_code == 302
    item = AgendaItem.objects.get(relationship=newcomer, prompt_id="career-dreams")
    assert (item.question, item.done) == ("vision", False)
    assert item.occurrence_id == actions.next_occurrence(newcomer).pk
    assert PromptEvent.objects.filter(
        relationship=newcomer, prompt_id="career-dreams", action="used"
    ).exists()
    html = page(client, newcomer)
    assert 'id="career-suggestion"' not in html  # one at a time: it waits on the agenda
    assert "career conversation</span>" in html and "peak of your career" in html
    assert "dreams" not in actions.career_conversations_done(newcomer)

    fragment = client.post(reverse("growth:agenda-done", args=[newcomer.pk, item.pk]),
                           HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    assert actions.career_conversations_done(newcomer) == ["life_story", "dreams"]
    assert Discussion.objects.filter(relationship=newcomer, question="vision").exists()
    assert "Career conversation 3: career action plan" in fragment  # held, so the next one opens at once


def test_the_report_cannot_accept_or_dismiss_and_strangers_cannot_reach_it(client, org, newcomer):
    assert career_post(login(client, org["dev"]), newcomer, "dreams", "accept").status_code == 403
    client.logout()
    assert career_post(login(client, org["lead2"]), newcomer, "dreams", "dismiss").status_code == 403
    client.logout()
    assert career_post(login(client, org["stranger"]), newcomer, "dreams", "accept").status_code == 404
    client.logout()
    assert (
        client.post(reverse("growth:career-conversation", args=[newcomer.pk])).status_code == 302
    )  # to login
    assert not PromptEvent.objects.exists()
    assert not AgendaItem.objects.filter(prompt_id="career-dreams").exists()


def test_dismissing_hides_it_for_this_1on1_only_and_does_not_hold_it(client, org, newcomer):
    login(client, org["lead"])
    nxt = actions.next_occurrence(newcomer)
    career_post(client, newcomer, "dreams", "dismiss")
    event = PromptEvent.objects.get(relationship=newcomer, action="dismissed")
    assert (event.prompt_id, event.occurrence_id) == ("career-dreams", nxt.pk)
    assert "dreams" not in actions.career_conversations_done(newcomer)
    assert 'id="career-suggestion"' not in page(client, newcomer)  # the action plan opens only on day 61
    actions.cancel_occurrence(nxt, org["lead"])
    html = page(client, newcomer)
    assert 'id="career-suggestion"' in html and "Career conversation 2: dreams" in html


def test_a_suggestion_that_is_no_longer_current_changes_nothing(client, org, newcomer):
    login(client, org["lead"])
    response = career_post(client, newcomer, "life_story", "accept")  # already held
    assert response.status_code == 302
    assert not PromptEvent.objects.exists() and AgendaItem.objects.filter(relationship=newcomer).count() == 1
    career_post(client, newcomer, "dreams", "shout")
    assert not PromptEvent.objects.exists()
    messages = [
        str(m) for m in client.get(reverse("growth:one-on-one", args=[newcomer.pk])).context["messages"]
    ]
    assert messages == ["That suggestion is no longer current.", "Choose accept or dismiss."]


def test_career_conversation_wins_over_a_stale_prompt_for_the_same_question(client, org):
    org["rel"].delete()
    rel = new_pair(org["lead"], org["dev"], 40)  # motivation (30 days) is stale; life story is due
    _, stale = question_state(rel, timezone.localdate())
    assert stale is not None and stale.question == "motivation"
    html = page(login(client, org["lead"]), rel)
    assert html.count('id="suggestion"') == 1
    assert "Career conversation 1: life story" in html and 'id="stale-suggestion"' not in html
    assert "the career conversation serves it" in html


def test_a_stale_question_on_the_agenda_gets_no_second_prompt(client, org):
    org["rel"].delete()
    rel = new_pair(org["lead"], org["dev"], 150)  # no longer new: only stale-question prompts
    login(client, org["lead"])
    html = page(client, rel)
    assert 'id="stale-suggestion"' in html and 'id="career-suggestion"' not in html
    _, first = question_state(rel, timezone.localdate())
    client.post(reverse("growth:prompt", args=[rel.pk]), {"prompt_id": first.prompt.id, "do": "use"})
    assert AgendaItem.objects.filter(relationship=rel, prompt_id=first.prompt.id, done=False).exists()
    _, again = question_state(rel, timezone.localdate())
    assert again is not None  # the engine alone would offer another prompt ...
    html = page(client, rel)
    assert 'id="stale-suggestion"' not in html  # ... but the page does not flood the agenda
    assert "No prompt now for" in html


def test_an_old_relationship_gets_neither_career_conversations_nor_the_first_1on1_check(client, org):
    org["rel"].delete()
    rel = new_pair(org["lead"], org["dev"], 150)
    html = page(login(client, org["lead"]), rel)
    assert 'id="career-suggestion"' not in html and 'id="first-one-on-one"' not in html


def test_first_1on1_warning_and_plan_it(client, org):
    org["rel"].delete()
    rel = new_pair(org["lead"], org["dev"], 0)
    check = suggestions.first_check(rel)
    assert check.state.state == "planned"  # tomorrow's slot is within five working days
    for occ in rel.occurrences.filter(start__date__lte=check.state.due):
        actions.cancel_occurrence(occ, org["lead"])
    check = suggestions.first_check(rel)
    assert check.state.warn and check.state.proposed is not None
    html = page(login(client, org["dev"]), rel)  # the report sees the warning and may plan it too
    assert 'id="first-one-on-one"' in html and 'role="alert"' in html and "Plan it:" in html
    before = Occurrence.objects.count()

    url = reverse("growth:plan-first", args=[rel.pk])
    client.post(url, {"slot": "yesterday"})
    client.post(url, {"slot": (check.state.proposed + dt.timedelta(days=1)).isoformat()})
    assert Occurrence.objects.count() == before  # bad or stale slots change nothing
    client.post(url, {"slot": check.state.proposed.isoformat()})
    planned = Occurrence.objects.get(relationship=rel, source=suggestions.FIRST_SOURCE)
    assert planned.start == check.state.proposed and planned.status == "planned"
    assert suggestions.first_check(rel).state.state == "planned"
    html = page(client, rel)
    assert 'role="alert"' not in html and "First 1:1" in html
    client.post(url, {"slot": check.state.proposed.isoformat()})
    assert Occurrence.objects.count() == before + 1


# --- the same rules read from the database, with worked dates ---------------------------------------


def test_worked_dates_from_the_database(org):
    org["rel"].delete()
    start_now = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)  # Monday morning
    rel = actions.create_relationship(org["lead"], org["dev"], started_on=dt.date(2026, 1, 5), weekday=2,
                                      at=dt.time(10, 0), tz="UTC", now=start_now)  # fmt: skip
    first = suggestions.first_check(rel, start_now)
    assert first.state.due == dt.date(2026, 1, 12) and first.state.state == "planned"
    assert first.state.planned == dt.datetime(2026, 1, 7, 10, tzinfo=dt.UTC)

    found, nxt = suggestions.career_suggestion(rel, start_now)
    assert found.conversation.key == "life_story" and found.conversation.due == dt.date(2026, 2, 4)
    assert nxt.start == dt.datetime(2026, 1, 7, 10, tzinfo=dt.UTC)

    later = dt.datetime(2026, 2, 10, 12, 0, tzinfo=dt.UTC)
    hold_life_story(rel)
    found, _ = suggestions.career_suggestion(rel, later)
    assert (found.conversation.key, found.conversation.due, found.days_left) == (
        "dreams",
        dt.date(2026, 3, 6),
        24,
    )
    assert suggestions.first_check(rel, later) is not None  # still new: 36 days
    assert suggestions.career_suggestion(rel, dt.datetime(2026, 4, 6, 12, tzinfo=dt.UTC))[0] is None
    assert suggestions.first_check(rel, dt.datetime(2026, 4, 6, 12, tzinfo=dt.UTC)) is None


def api(client, rel, what, payload):
    return client.post(f"/api/growth/relationships/{rel.pk}/{what}", payload, content_type="application/json")


def test_the_api_shows_and_accepts_the_suggestion_with_the_same_rules(client, org, newcomer):
    login(client, org["dev"])
    shown = client.get(f"/api/growth/relationships/{newcomer.pk}").json()["career_conversation"]
    assert (shown["key"], shown["question"], shown["prompt_id"]) == ("dreams", "vision", "career-dreams")
    assert (
        api(client, newcomer, "career-conversation", {"conversation": "dreams", "do": "accept"}).status_code
        == 403
    )
    client.logout()
    login(client, org["stranger"])
    assert (
        api(client, newcomer, "career-conversation", {"conversation": "dreams", "do": "accept"}).status_code
        == 404
    )
    client.logout()
    login(client, org["lead"])
    bad = api(client, newcomer, "career-conversation", {"conversation": "dreams", "do": "shout"})
    assert bad.status_code == 400 and not PromptEvent.objects.exists()
    stale = api(client, newcomer, "career-conversation", {"conversation": "life_story", "do": "accept"})
    assert stale.status_code == 400 and not PromptEvent.objects.exists()
    done = api(client, newcomer, "career-conversation", {"conversation": "dreams", "do": "accept"})
    assert done.status_code == 200
    item = AgendaItem.objects.get(pk=done.json()["agenda_item"])
    assert (item.prompt_id, item.question) == ("career-dreams", "vision")
    assert client.get(f"/api/growth/relationships/{newcomer.pk}").json()["career_conversation"] is None


def test_the_api_plans_the_first_one_on_one_at_the_proposed_slot_only(client, org):
    org["rel"].delete()
    today = timezone.localdate()
    rel = actions.create_relationship(org["lead"], org["dev"], started_on=today - dt.timedelta(days=9),
                                      weekday=today.weekday(), at=dt.time(10, 0), tz="UTC")  # fmt: skip
    Occurrence.objects.filter(relationship=rel).delete()  # nothing held or planned by the deadline: it warns
    login(client, org["dev"])
    first = client.get(f"/api/growth/relationships/{rel.pk}").json()["first_one_on_one"]
    assert first["state"] == "missing" and first["proposed"]
    before = set(Occurrence.objects.filter(relationship=rel).values_list("pk", flat=True))
    wrong = api(client, rel, "first-one-on-one", {"slot": "2020-01-01T10:00:00+00:00"})
    assert wrong.status_code == 400
    assert set(Occurrence.objects.filter(relationship=rel).values_list("pk", flat=True)) == before
    planned = api(client, rel, "first-one-on-one", {"slot": first["proposed"]})
    assert planned.status_code == 200
    occ = Occurrence.objects.get(pk=planned.json()["occurrence"])
    assert occ.start == dt.datetime.fromisoformat(first["proposed"])
