"""The low-promotability register and the rotation button: bad input is one line and saves nothing; the
button gives the next task to the person with the fewest hours and records it as rotation."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pathcraft.growth import actions
from pathcraft.growth.models import LowPromotabilityTask
from pathcraft.growth.tests.db import login
from pathcraft.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def form_error(response, element="form-error") -> str:
    found = re.search(rf'id="{element}">([^<]*)<', response.content.decode())
    return found.group(1) if found else ""


def url(org, who="lead"):
    return reverse("growth:tasks", args=[org[who].pk])


def data(who, **fields):
    values = {
        "kind": "note_taking",
        "person": str(who.pk),
        "how": "asked",
        "hours": "1.5",
        "on": TODAY.isoformat(),
    }
    values.update(fields)
    return values


def test_manager_records_work_for_someone_on_the_team(client, org):
    response = login(client, org["lead"]).post(url(org), data(org["dev"], how="volunteered", hours="2.25"))
    assert response.status_code == 302
    task = LowPromotabilityTask.objects.get()
    assert (task.manager, task.person, task.kind, task.how, task.hours) == (
        org["lead"], org["dev"], "note_taking", "volunteered", Decimal("2.25"))  # fmt: skip
    assert "Dee Dev" in client.get(url(org)).content.decode()


@pytest.mark.parametrize(
    "change,message",
    [
        ({"hours": "-1"}, "Hours: Ensure this value is greater than or equal to 0.01."),
        ({"hours": "0"}, "Hours: Ensure this value is greater than or equal to 0.01."),
        ({"hours": "lots"}, "Hours: enter a number of hours, like 1.5."),
        ({"hours": "1001"}, "Hours: Ensure this value is less than or equal to 1000."),
        ({"hours": "1.255"}, "Hours: Ensure that there are no more than 2 decimal places."),
        ({"on": "23/11/2026"}, "Date: enter a date like 2026-12-01."),
        ({"on": (TODAY + dt.timedelta(days=500)).isoformat()}, "more than a year ahead"),
        ({"kind": "coffee_runs"}, "Kind: Select a valid choice."),
        ({"how": "volunteered_by_manager"}, "How it was assigned: Select a valid choice."),
        ({"person": ""}, "Who: This field is required."),
        ({"person": "other"}, "Who: that person is not one you can choose here."),
        ({"person": "stranger"}, "Who: that person is not one you can choose here."),
    ],
)
def test_bad_input_is_one_line_and_saves_nothing(client, org, change, message):
    if change.get("person") in org:
        change["person"] = str(org[change["person"]].pk)
    response = login(client, org["lead"]).post(url(org), data(org["dev"], **change))
    assert response.status_code == 400
    assert message.lower() in form_error(response).lower()
    assert not LowPromotabilityTask.objects.exists()


def test_team_member_records_their_own_work_only(client, org):
    login(client, org["dev"])
    page = client.get(url(org)).content.decode()
    assert "Who: you" in page and "Assign by rotation" not in page
    assert client.post(url(org), data(org["dev"])).status_code == 302
    assert client.post(url(org), data(org["dev2"])).status_code == 403
    assert list(LowPromotabilityTask.objects.values_list("person", flat=True)) == [org["dev"].pk]
    task = LowPromotabilityTask.objects.get()
    assert (
        client.post(reverse("growth:task-edit", args=[task.pk]), data(org["dev"], hours="3")).status_code
        == 302
    )
    task.refresh_from_db()
    assert task.hours == 3
    other = actions.add_low_promotability_task(org["lead"], "scheduling", TODAY, org["dev2"], "asked", 1)
    assert client.post(reverse("growth:task-edit", args=[other.pk]), data(org["dev"])).status_code == 403
    assert client.post(reverse("growth:task-delete", args=[other.pk])).status_code == 403
    assert LowPromotabilityTask.objects.filter(pk=other.pk, person=org["dev2"]).exists()


@pytest.mark.parametrize("who,status", [("stranger", 404), ("lead2", 403), ("boss", 403), ("other", 403)])
def test_other_registers_are_closed(client, org, who, status):
    task = actions.add_low_promotability_task(org["lead"], "scheduling", TODAY, org["dev"], "asked", 1)
    login(client, org[who])
    assert client.post(url(org), data(org["dev"])).status_code == status
    assert (
        client.post(reverse("growth:task-edit", args=[task.pk]), data(org["dev"], hours="9")).status_code
        == status
    )
    assert client.post(reverse("growth:task-delete", args=[task.pk])).status_code == status
    rotation = client.post(reverse("growth:rotation", args=[org["lead"].pk]), {"kind": "scheduling", "hours": "1",
                                                                                "on": TODAY.isoformat()})  # fmt: skip
    assert rotation.status_code == status
    assert LowPromotabilityTask.objects.count() == 1 and LowPromotabilityTask.objects.get().hours == 1


def test_manager_edits_and_removes_a_record(client, org):
    task = actions.add_low_promotability_task(org["lead"], "scheduling", TODAY, org["dev"], "asked", 1)
    edit = reverse("growth:task-edit", args=[task.pk])
    login(client, org["lead"])
    assert 'value="1.00"' in client.get(edit).content.decode()
    bad = client.post(edit, data(org["dev2"], hours="x"))
    assert bad.status_code == 400 and "Hours" in form_error(bad)
    task.refresh_from_db()
    assert task.person == org["dev"] and task.hours == 1  # nothing lost
    assert client.post(edit, data(org["dev2"], how="rotation", hours="4")).status_code == 302
    task.refresh_from_db()
    assert (task.person, task.how, task.hours) == (org["dev2"], "rotation", 4)
    assert client.post(reverse("growth:task-delete", args=[task.pk])).status_code == 302
    assert not LowPromotabilityTask.objects.exists()


def test_rotation_button_picks_the_person_with_least_hours(client, org):
    lead = org["lead"]
    third = make_person(org["org"], "Tia Third", manager=lead)
    earlier = TODAY - dt.timedelta(days=10)
    actions.add_low_promotability_task(lead, "note_taking", earlier, org["dev"], "asked", 5)
    actions.add_low_promotability_task(lead, "scheduling", earlier, org["dev2"], "volunteered", 2)
    actions.add_low_promotability_task(lead, "interview_loop", earlier, third, "asked", 3)
    login(client, lead)
    page = client.get(url(org)).content.decode()
    assert re.search(r'id="rotation-next">Dan Dev<', page)  # 2 h is the least
    response = client.post(reverse("growth:rotation", args=[lead.pk]),
                           {"kind": "incident_paperwork", "hours": "2", "on": TODAY.isoformat()})  # fmt: skip
    assert response.status_code == 302
    task = LowPromotabilityTask.objects.latest("pk")
    assert (task.person, task.how, task.kind, task.hours) == (
        org["dev2"],
        "rotation",
        "incident_paperwork",
        2,
    )
    # Dan now has 4 h, Tia 3 h: the next one goes to Tia.
    client.post(reverse("growth:rotation", args=[lead.pk]), {"kind": "note_taking", "hours": "1",
                                                            "on": TODAY.isoformat()})  # fmt: skip
    assert LowPromotabilityTask.objects.latest("pk").person == third


def test_rotation_with_bad_input_saves_nothing(client, org):
    login(client, org["lead"])
    response = client.post(
        reverse("growth:rotation", args=[org["lead"].pk]), {"kind": "note_taking", "hours": ""}
    )
    assert response.status_code == 400
    assert "Hours: This field is required." in form_error(response, "rotation-error")
    assert not LowPromotabilityTask.objects.exists()


def test_rotation_needs_a_team(client, org):
    response = login(client, org["dev"]).post(reverse("growth:rotation", args=[org["dev"].pk]),
                                              {"kind": "note_taking", "hours": "1", "on": TODAY.isoformat()})  # fmt: skip
    assert response.status_code == 400
    assert "Nobody reports to Dee Dev: there is no rotation to pick from" == form_error(
        response, "rotation-error"
    )
