"""Recording a manager change: administrators, or a manager above both managers. It creates the ManagerChange,
flags the old manager's open action items and starts the consent flow: the new manager sees the shared history
only after the report agrees."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pathcraft.growth import actions
from pathcraft.growth.models import ActionItem, ManagerChange, Note, Relationship
from pathcraft.growth.tests.db import login
from pathcraft.people.models import Person
from pathcraft.people.tests.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db

CHANGE = reverse("growth:manager-change")
TODAY = timezone.localdate()


def form_error(response) -> str:
    found = re.search(r'id="form-error">([^<]*)<', response.content.decode())
    return found.group(1) if found else ""


def move(org, report="dev", new="lead2", on=None) -> dict:
    return {"report": str(org[report].pk), "new_manager": str(org[new].pk), "on": (on or TODAY).isoformat()}


def as_admin(client):
    assert client.login(username="root", password=PASSWORD)
    return client


def test_admin_moves_a_report_and_history_waits_for_consent(client, org):
    rel, dev = org["rel"], org["dev"]
    Note.objects.create(relationship=rel, author=org["lead"], scope=Note.SHARED, text="shared-history-line")
    open_item = actions.add_action_item(rel, org["lead"], org["lead"], "book the training", TODAY)
    their_item = actions.add_action_item(rel, org["lead"], dev, "write the doc", TODAY)

    page = as_admin(client).get(CHANGE)
    assert (
        page.status_code == 200
        and "sees the shared history of the old 1:1 only after" in page.content.decode()
    )
    response = client.post(CHANGE, move(org))
    assert response.status_code == 302
    change = ManagerChange.objects.get()
    assert (change.report, change.old_manager, change.new_manager, change.pending) == (
        dev,
        org["lead"],
        org["lead2"],
        True,
    )
    dev.refresh_from_db()
    assert dev.manager == org["lead2"]
    open_item.refresh_from_db(), their_item.refresh_from_db()
    assert open_item.flagged_manager_change and not their_item.flagged_manager_change
    assert Relationship.objects.filter(manager=org["lead2"], report=dev, ended_on=None).exists()
    client.logout()

    old = reverse("growth:one-on-one", args=[rel.pk])
    assert login(client, org["lead2"]).get(old).status_code == 403  # before the report agrees
    index = client.get(reverse("growth:index")).content.decode()
    assert "Dee Dev now reports to you" in index and "shared-history-line" not in index
    client.logout()
    old_index = login(client, org["lead"]).get(reverse("growth:index")).content.decode()
    assert "1 open action item of yours from your former 1:1 with Dee Dev was flagged" in old_index
    assert "book the training" not in old_index  # 1:1 content of an ended 1:1: a count, not the text
    client.logout()

    login(client, dev)
    assert "Let Lou Lead see my shared history" in client.get(reverse("growth:index")).content.decode()
    client.post(reverse("growth:consent", args=[change.pk]), {"agree": "1"})
    client.logout()
    html = login(client, org["lead2"]).get(old).content.decode()
    assert "shared-history-line" in html and "read only" in html


@pytest.mark.parametrize("who", ["lead", "lead2", "dev", "dev2", "other"])
def test_recording_a_manager_change_without_rights_is_refused(client, org, who):
    login(client, org[who])
    assert client.post(CHANGE, move(org)).status_code == 403
    assert client.get(CHANGE).status_code == 403
    assert not ManagerChange.objects.exists()
    assert Person.objects.get(pk=org["dev"].pk).manager == org["lead"]


def test_a_stranger_gets_404(client, org):
    # Even a manager with managers below them in their own organisation.
    elsewhere = org["stranger"]
    middle = make_person(elsewhere.organisation, "Mid Manager", manager=elsewhere)
    make_person(elsewhere.organisation, "Low Report", manager=middle)
    login(client, elsewhere)
    assert client.get(CHANGE).status_code == 200  # they may move people of their own organisation ...
    assert client.post(CHANGE, move(org)).status_code == 404  # ... not ours: nothing to learn about them
    assert not ManagerChange.objects.exists()


def test_a_manager_above_both_managers_may_move(client, org):
    response = login(client, org["boss"]).post(CHANGE, move(org))
    assert response.status_code == 302 and ManagerChange.objects.get().new_manager == org["lead2"]


def test_a_skip_level_cannot_move_someone_to_a_manager_outside_their_lines(client, org):
    outsider = make_person(org["org"], "Out Sider")  # not under the boss
    response = login(client, org["boss"]).post(CHANGE, {**move(org), "new_manager": str(outsider.pk)})
    assert response.status_code == 403 and not ManagerChange.objects.exists()


@pytest.mark.parametrize(
    "fields,message",
    [
        (
            {"on": (TODAY + dt.timedelta(days=3)).isoformat()},
            "From: a change takes effect when it is recorded",
        ),
        ({"on": "yesterday"}, "From: enter a date like 2026-12-01."),
        ({"new_manager": "dev"}, "a person cannot be their own manager."),
        ({"new_manager": "lead"}, "Lee Lead already manages Dee Dev."),
        ({"report": "lead", "new_manager": "dev"}, "Dee Dev reports to Lee Lead: that would make a loop"),
        ({"new_manager": "stranger"}, "the new manager must be someone else in the same organisation"),
        ({"report": ""}, "Who moves: This field is required."),
    ],
)
def test_bad_input_is_one_line_and_saves_nothing(client, org, fields, message):
    data = move(org)
    data.update({k: str(org[v].pk) if v in org else v for k, v in fields.items()})
    response = as_admin(client).post(CHANGE, data)
    assert response.status_code == 400
    assert message.lower() in form_error(response).lower()
    assert not ManagerChange.objects.exists()
    assert Person.objects.get(pk=org["dev"].pk).manager == org["lead"]
    assert Relationship.objects.filter(ended_on=None).count() == 2


def test_the_old_managers_items_are_flagged_only_for_the_moved_report(org):
    dev2_item = actions.add_action_item(org["rel2"], org["lead"], org["lead"], "other report's item", TODAY)
    actions.change_manager(org["dev"], org["lead2"])
    dev2_item.refresh_from_db()
    assert not dev2_item.flagged_manager_change
    assert ActionItem.objects.filter(flagged_manager_change=True).count() == 0  # the moved 1:1 had none open
