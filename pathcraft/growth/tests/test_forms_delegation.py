"""The delegation board form: add, change and remove duties; only the board's manager; bad input is one line."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pathcraft.growth import actions
from pathcraft.growth.models import Duty
from pathcraft.growth.tests.db import login

pytestmark = pytest.mark.django_db

BOARD = reverse("growth:delegation")


def form_error(response) -> str:
    found = re.search(r'id="form-error">([^<]*)<', response.content.decode())
    return found.group(1) if found else ""


def duty(org, **fields):
    values = {"name": "Approve production access", "kind": "duty", "owner": str(org["lead"].pk), "deputy": "",
              "level": "1", "critical": "on", "contact": "security on-call"}  # fmt: skip
    values.update(fields)
    return values


def test_manager_adds_a_duty_and_readiness_sees_it(client, org):
    login(client, org["lead"])
    page = client.get(BOARD).content.decode()
    assert "7 — Delegate" in page  # the seven levels the model supports, with their labels
    response = client.post(BOARD, duty(org, deputy=str(org["dev"].pk), level="5"))
    assert response.status_code == 302
    saved = Duty.objects.get()
    assert (saved.manager, saved.owner, saved.deputy, saved.level, saved.critical, saved.contact) == (
        org["lead"], org["lead"], org["dev"], 5, True, "security on-call")  # fmt: skip
    assert "5 — Advise" in client.get(BOARD).content.decode()


@pytest.mark.parametrize(
    "change,message",
    [
        ({"name": ""}, "Duty or decision: This field is required."),
        ({"name": "x" * 201}, "Ensure this value has at most 200 characters"),
        ({"level": "0"}, "How much is delegated: Select a valid choice."),
        ({"level": "8"}, "How much is delegated: Select a valid choice."),
        ({"level": "high"}, "How much is delegated: Select a valid choice."),
        ({"kind": "file"}, "Kind: Select a valid choice."),
        ({"owner": ""}, "Owner: This field is required."),
        ({"owner": "other"}, "Owner: that person is not one you can choose here."),
        ({"owner": "boss"}, "Owner: that person is not one you can choose here."),
        ({"owner": "stranger"}, "Owner: that person is not one you can choose here."),
        ({"deputy": "stranger"}, "Deputy: that person is not one you can choose here."),
        ({"deputy": "other"}, "Deputy: that person is not one you can choose here."),
        ({"owner": "dev", "deputy": "dev"}, "the deputy must be someone other than the owner."),
        ({"contact": "c" * 201}, "Contact (optional): Ensure this value has at most 200 characters"),
    ],
)
def test_bad_input_is_one_line_and_saves_nothing(client, org, change, message):
    change = {k: str(org[v].pk) if v in org else v for k, v in change.items()}
    response = login(client, org["lead"]).post(BOARD, duty(org, **change))
    assert response.status_code == 400
    assert message.lower() in form_error(response).lower()
    assert not Duty.objects.exists()


def test_a_name_already_on_the_board_is_refused_not_overwritten(client, org):
    actions.add_duty(org["lead"], "Approve production access", org["lead"], org["dev"], 3)
    response = login(client, org["lead"]).post(BOARD, duty(org, name="approve PRODUCTION access"))
    assert response.status_code == 400 and "already on the board" in form_error(response)
    kept = Duty.objects.get()
    assert kept.deputy == org["dev"] and kept.level == 3


def test_deputies_can_be_peers_or_the_managers_manager(client, org):
    login(client, org["lead"])
    assert client.post(BOARD, duty(org, deputy=str(org["lead2"].pk))).status_code == 302
    assert client.post(BOARD, duty(org, name="Budget", deputy=str(org["boss"].pk))).status_code == 302
    assert sorted(Duty.objects.values_list("deputy__name", flat=True)) == ["Bo Boss", "Lou Lead"]


def test_manager_changes_and_removes_a_duty(client, org):
    saved = actions.add_duty(org["lead"], "Run standup", org["lead"], None, 1, False)
    edit = reverse("growth:duty-edit", args=[saved.pk])
    login(client, org["lead"])
    assert 'value="Run standup"' in client.get(edit).content.decode()
    bad = client.post(edit, duty(org, name="Run standup", level="12"))
    assert bad.status_code == 400 and "How much is delegated" in form_error(bad)
    assert (
        client.post(
            edit, duty(org, name="Run standup", owner=str(org["dev2"].pk), level="7", critical="")
        ).status_code
        == 302
    )
    saved.refresh_from_db()
    assert (saved.owner, saved.level, saved.critical) == (org["dev2"], 7, False)
    assert client.post(reverse("growth:duty-delete", args=[saved.pk])).status_code == 302
    assert not Duty.objects.exists()


@pytest.mark.parametrize("who,status", [("lead2", 403), ("dev", 403), ("boss", 403), ("stranger", 404)])
def test_editing_another_teams_duty_is_refused(client, org, who, status):
    saved = actions.add_duty(org["lead"], "Run standup", org["lead"], org["dev"], 6, True)
    login(client, org[who])
    edit = reverse("growth:duty-edit", args=[saved.pk])
    assert client.get(edit).status_code == status
    assert client.post(edit, duty(org, name="Hijacked", owner=str(org[who].pk))).status_code == status
    assert client.post(reverse("growth:duty-delete", args=[saved.pk])).status_code == status
    saved.refresh_from_db()
    assert saved.name == "Run standup" and saved.manager == org["lead"]


def test_posting_to_the_board_adds_to_ones_own_board_only(client, org):
    """The board URL has no manager in it: a post can only ever reach the viewer's own board."""
    response = login(client, org["lead2"]).post(BOARD, duty(org, owner=str(org["lead2"].pk)))
    assert response.status_code == 302 and Duty.objects.get().manager == org["lead2"]
    assert not Duty.objects.filter(manager=org["lead"]).exists()
