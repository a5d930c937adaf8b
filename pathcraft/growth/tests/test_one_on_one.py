"""The 1:1 page both sides use, its actions, carry-over in the database, and who may open it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pathcraft.errors import InputError, PathcraftError
from pathcraft.growth import actions
from pathcraft.growth import cadence as engine
from pathcraft.growth.models import ActionItem, AgendaItem, Discussion, Note, PromptEvent
from pathcraft.growth.tests.db import login

pytestmark = pytest.mark.django_db


def _page(client, rel):
    return client.get(reverse("growth:one-on-one", args=[rel.pk]))


def test_both_sides_use_the_same_page(client, org):
    rel = org["rel"]
    login(client, org["dev"]).post(reverse("growth:agenda-add", args=[rel.pk]),
                                   {"text": "Talk about the reorg", "question": "align"})  # fmt: skip
    client.logout()
    html = _page(login(client, org["lead"]), rel).content.decode()
    assert "Talk about the reorg" in html and "Dee Dev" in html
    assert "How does their growth align" in html  # the question tag is shown by its label


def test_htmx_agenda_add_returns_the_fragment(client, org):
    rel = org["rel"]
    response = login(client, org["dev"]).post(reverse("growth:agenda-add", args=[rel.pk]), {"text": "Promo case"},
                                              HTTP_HX_REQUEST="true")  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and "Promo case" in html and "<html" not in html


def test_items_carry_over_a_cancelled_and_a_moved_meeting(org):
    rel, lead, dev = org["rel"], org["lead"], org["dev"]
    item = actions.add_agenda_item(rel, dev, "Career chat")
    action = actions.add_action_item(
        rel, lead, dev, "Draft the RFC", timezone.localdate() + dt.timedelta(days=7)
    )
    first = actions.next_occurrence(rel)
    assert item.occurrence_id == action.occurrence_id == first.pk
    actions.cancel_occurrence(first, lead)
    second = actions.next_occurrence(rel)
    item.refresh_from_db(), action.refresh_from_db()
    assert second.start > first.start and item.occurrence_id == second.pk and item.carried == 1
    assert action.occurrence_id == second.pk and action.carried == 1
    replacement = actions.move_occurrence(second, second.start + dt.timedelta(days=1, hours=2))
    item.refresh_from_db()
    assert item.occurrence_id == replacement.pk and item.carried == 2
    actions.carry_items(rel)  # idempotent
    item.refresh_from_db()
    assert item.carried == 2


def test_cancelling_a_held_meeting_is_refused_with_a_clear_message(org):
    occ = actions.next_occurrence(org["rel"])
    actions.hold_occurrence(occ)
    with pytest.raises(InputError, match="only a planned one can be cancelled"):
        actions.cancel_occurrence(occ, org["lead"])


def test_marking_a_question_discussed_resets_only_that_clock(client, org):
    rel = org["rel"]
    login(client, org["lead"]).post(reverse("growth:discussed", args=[rel.pk]), {"question": "motivation"})
    assert list(Discussion.objects.values_list("question", flat=True)) == ["motivation"]
    response = client.post(reverse("growth:discussed", args=[rel.pk]), {"question": "happiness"})
    assert response.status_code == 302 and Discussion.objects.count() == 1


def test_stale_question_gives_one_suggestion_and_dismissal_does_not_reset(client, org):
    rel = org["rel"]  # started 8 weeks ago: motivation (30 days) is stale, never discussed
    html = _page(login(client, org["dev"]), rel).content.decode()
    assert html.count('id="suggestion"') == 1 and "What motivates them?" in html
    from pathcraft.growth.queries import question_state

    _, suggestion = question_state(rel, timezone.localdate())
    client.post(reverse("growth:prompt", args=[rel.pk]), {"prompt_id": suggestion.prompt.id, "do": "dismiss"})
    assert PromptEvent.objects.filter(action="dismissed", prompt_id=suggestion.prompt.id).exists()
    stale, again = question_state(rel, timezone.localdate())
    assert again is not None and again.question == "motivation" and again.prompt.id != suggestion.prompt.id
    assert not Discussion.objects.exists()


def test_only_the_report_may_share_a_note_with_the_skip_level(org):
    with pytest.raises(PathcraftError, match="only the report"):
        actions.add_note(org["rel"], org["lead"], "x", Note.SKIP)
    assert actions.add_note(org["rel"], org["dev"], "y", Note.SKIP).scope == Note.SKIP


def test_action_item_owner_must_be_one_of_the_pair(org):
    with pytest.raises(InputError, match="not part of this 1:1"):
        actions.add_action_item(org["rel"], org["lead"], org["dev2"], "x", timezone.localdate())


def test_leave_skips_meetings_and_items_move_on(org):
    rel, dev = org["rel"], org["dev"]
    item = actions.add_agenda_item(rel, dev, "Before my holiday")
    first = actions.next_occurrence(rel)
    day = first.start.date()
    actions.record_leave(dev, day, day + dt.timedelta(days=2))
    first.refresh_from_db(), item.refresh_from_db()
    assert first.status == engine.SKIPPED_FOR_LEAVE and item.occurrence_id != first.pk and item.carried == 1


@pytest.mark.parametrize(
    "viewer,status",
    [
        ("dev", 200),
        ("lead", 200),
        ("dev2", 403),
        ("boss", 403),
        ("lead2", 403),
        ("stranger", 404),
        ("admin", 403),
    ],
)
def test_who_may_open_the_page(client, org, viewer, status):
    if viewer == "admin":
        assert client.login(username="root", password="correct-horse-battery")
    else:
        login(client, org[viewer])
    assert _page(client, org["rel"]).status_code == status


def test_peer_cannot_post_to_someone_elses_1on1(client, org):
    rel = org["rel"]
    response = login(client, org["dev2"]).post(
        reverse("growth:agenda-add", args=[rel.pk]), {"text": "sneaky"}
    )
    assert response.status_code == 403 and not AgendaItem.objects.filter(text="sneaky").exists()
    response = client.post(reverse("growth:action-add", args=[rel.pk]), {"text": "x", "due": "2030-01-01"})
    assert response.status_code == 403 and not ActionItem.objects.exists()


def test_anonymous_is_sent_to_login(client, org):
    response = _page(client, org["rel"])
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_dashboard_shows_reports_with_figures_and_svg(client, org):
    html = login(client, org["lead"]).get(reverse("growth:dashboard")).content.decode()
    assert "Dee Dev" in html and "Dan Dev" in html and html.count("<svg") >= 2
    assert "/8 (" in html  # adherence as numerator/denominator
    assert login(client, org["dev"]).get(reverse("growth:dashboard")).status_code == 403


def test_delegation_readiness_lists_the_manager_only_duty(client, org):
    lead = org["lead"]
    actions.set_duty(lead, "Approve access", lead, None, 1, True)
    actions.set_duty(lead, "Run standup", lead, org["dev"], 6, False)
    leave = actions.record_leave(lead, timezone.localdate() + dt.timedelta(days=20),
                                 timezone.localdate() + dt.timedelta(days=25), acting_lead=org["dev"])  # fmt: skip
    html = login(client, lead).get(reverse("growth:delegation")).content.decode()
    assert "Not ready" in html and "Approve access" in html
    handover = client.get(reverse("growth:handover", args=[leave.pk])).content.decode()
    assert "Approve access" in handover and "Dee Dev" in handover
    client.logout()
    assert login(client, org["dev2"]).get(reverse("growth:handover", args=[leave.pk])).status_code == 403
