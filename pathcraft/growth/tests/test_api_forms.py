"""The API for the registers, the delegation board, leave and manager changes: the same forms, rules and rights
as the pages (400 with one line for bad input and nothing saved; 404 for strangers, 403 for others)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pathcraft.growth import actions
from pathcraft.growth.models import Duty, Leave, LowPromotabilityTask, ManagerChange, SpotlightEvent
from pathcraft.growth.tests.db import login
from pathcraft.people.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
API = "/api/growth"


def send(client, method: str, url: str, body: dict | None = None):
    return getattr(client, method)(f"{API}{url}", body or {}, content_type="application/json")


def spotlight(org, *people, **fields):
    body = {"kind": "release_credit", "title": "v2.0", "on": TODAY.isoformat(),
            "contributions": [{"person_id": org[p].pk, "what": f"{p} did it"} for p in people]}  # fmt: skip
    body.update(fields)
    return body


# --- spotlight -----------------------------------------------------------------------------------------------


def test_spotlight_create_patch_delete(client, org):
    login(client, org["lead"])
    url = f"/teams/{org['lead'].pk}/spotlight"
    made = send(client, "post", url, spotlight(org, "dev", "dev2"))
    assert made.status_code == 201
    body = made.json()
    assert body["title"] == "v2.0" and [c["person"] for c in body["contributions"]] == [
        org["dev"].email, org["dev2"].email]  # fmt: skip
    event_id = body["id"]
    # A PATCH of the title keeps the lines as they were.
    patched = send(client, "patch", f"/spotlight/{event_id}", {"title": "v2.0.1"})
    assert patched.status_code == 200, patched.content
    assert patched.json()["title"] == "v2.0.1" and len(patched.json()["contributions"]) == 2
    patched = send(
        client, "patch", f"/spotlight/{event_id}", {"contributions": [{"person_id": org["dev2"].pk}]}
    )
    assert [c["person"] for c in patched.json()["contributions"]] == [org["dev2"].email]
    assert [e["id"] for e in send(client, "get", url).json()["items"]] == [event_id]
    assert send(client, "delete", f"/spotlight/{event_id}").status_code == 204
    assert not SpotlightEvent.objects.exists()


@pytest.mark.parametrize(
    "body,message",
    [
        ({"on": "2026-02-31"}, "Date: enter a date like 2026-12-01."),
        ({"kind": "podcast"}, "Kind: Select a valid choice."),
        ({"title": ""}, "What: This field is required."),
        ({"contributions": []}, "name at least one contributor."),
        ({"contributions": [{"person_id": None, "what": "ghost"}]}, "it says what was done but not who"),
        ({"contributions": [{"person_id": 424242}]}, "that person is not one you can choose here."),
    ],
)
def test_spotlight_bad_input_is_a_400_line(client, org, body, message):
    login(client, org["lead"])
    response = send(client, "post", f"/teams/{org['lead'].pk}/spotlight", {**spotlight(org, "dev"), **body})
    assert response.status_code == 400 and message in response.json()["detail"]
    assert "\n" not in response.json()["detail"] and not SpotlightEvent.objects.exists()


def test_spotlight_bad_patch_changes_nothing(client, org):
    event = actions.add_spotlight(org["lead"], "blog_post", "Post", TODAY, [(org["dev"], "wrote")])
    login(client, org["lead"])
    response = send(client, "patch", f"/spotlight/{event.pk}", {"title": "New", "on": "never"})
    assert response.status_code == 400
    event.refresh_from_db()
    assert event.title == "Post" and event.contributions.get().what == "wrote"


@pytest.mark.parametrize(
    "who,team,people,status",
    [
        ("stranger", "lead", ["stranger"], 404),  # engineer posting spotlight for a stranger's team
        ("dev", "lead2", ["dev"], 403),  # another team of the organisation
        ("dev", "lead", ["dev2"], 403),  # crediting a colleague
        ("dev", "lead", ["dev", "dev2"], 403),
        ("boss", "lead", ["dev"], 403),
    ],
)
def test_spotlight_rights(client, org, who, team, people, status):
    login(client, org[who])
    response = send(client, "post", f"/teams/{org[team].pk}/spotlight", spotlight(org, *people))
    assert response.status_code == status and not SpotlightEvent.objects.exists()


def test_team_member_records_and_lists_their_own(client, org):
    other = actions.add_spotlight(org["lead"], "blog_post", "Not mine", TODAY, [(org["dev2"], "")])
    login(client, org["dev"])
    url = f"/teams/{org['lead'].pk}/spotlight"
    assert send(client, "post", url, spotlight(org, "dev")).status_code == 201
    assert [e["title"] for e in send(client, "get", url).json()["items"]] == ["v2.0"]
    assert send(client, "patch", f"/spotlight/{other.pk}", {"title": "Mine now"}).status_code == 403
    assert send(client, "delete", f"/spotlight/{other.pk}").status_code == 403
    assert SpotlightEvent.objects.get(pk=other.pk).title == "Not mine"


# --- low-promotability work and rotation ------------------------------------------------------------------


def test_tasks_create_patch_delete_and_rotation(client, org):
    lead = org["lead"]
    login(client, lead)
    url = f"/teams/{lead.pk}/low-promotability"
    made = send(client, "post", url, {"kind": "scheduling", "person_id": org["dev"].pk, "how": "asked", "hours": 3,
                                      "on": TODAY.isoformat()})  # fmt: skip
    assert made.status_code == 201 and made.json()["hours"] == 3.0
    task_id = made.json()["id"]
    patched = send(client, "patch", f"/low-promotability/{task_id}", {"hours": "4.5", "how": "volunteered"})
    assert patched.status_code == 200 and (patched.json()["hours"], patched.json()["how"]) == (
        4.5,
        "volunteered",
    )
    picked = send(
        client, "post", f"{url}/rotation", {"kind": "note_taking", "hours": 1, "on": TODAY.isoformat()}
    )
    assert picked.status_code == 201
    assert (picked.json()["person"], picked.json()["how"]) == (org["dev2"].email, "rotation")  # 0 h < 4.5 h
    assert "0 h of low-promotability work" in picked.json()["reason"]
    assert send(client, "delete", f"/low-promotability/{task_id}").status_code == 204
    assert list(LowPromotabilityTask.objects.values_list("person", flat=True)) == [org["dev2"].pk]


@pytest.mark.parametrize(
    "body,message",
    [
        ({"hours": -2}, "Hours: Ensure this value is greater than or equal to 0.01."),
        ({"hours": "two"}, "Hours: enter a number of hours"),
        ({"how": "forced"}, "How it was assigned: Select a valid choice."),
        ({"person_id": 999999}, "Who: that person is not one you can choose here."),
        ({"on": "2026/01/01"}, "Date: enter a date like 2026-12-01."),
    ],
)
def test_task_bad_input(client, org, body, message):
    login(client, org["lead"])
    good = {
        "kind": "scheduling",
        "person_id": org["dev"].pk,
        "how": "asked",
        "hours": 1,
        "on": TODAY.isoformat(),
    }
    response = send(client, "post", f"/teams/{org['lead'].pk}/low-promotability", {**good, **body})
    assert response.status_code == 400 and message in response.json()["detail"]
    assert not LowPromotabilityTask.objects.exists()


@pytest.mark.parametrize("who,status", [("dev", 403), ("lead2", 403), ("stranger", 404)])
def test_rotation_is_the_managers(client, org, who, status):
    login(client, org[who])
    response = send(client, "post", f"/teams/{org['lead'].pk}/low-promotability/rotation",
                    {"kind": "note_taking", "hours": 1, "on": TODAY.isoformat()})  # fmt: skip
    assert response.status_code == status and not LowPromotabilityTask.objects.exists()


# --- duties ------------------------------------------------------------------------------------------------


def test_duties_create_patch_delete(client, org):
    login(client, org["lead"])
    made = send(
        client, "post", "/duties", {"name": "Deploy approval", "owner_id": org["lead"].pk, "critical": True}
    )
    assert made.status_code == 201 and made.json()["level"] == 1 and made.json()["critical"] is True
    duty_id = made.json()["id"]
    patched = send(client, "patch", f"/duties/{duty_id}", {"deputy_id": org["dev"].pk, "level": 5})
    assert patched.status_code == 200, patched.content
    assert (patched.json()["deputy"], patched.json()["level"], patched.json()["critical"]) == (
        org["dev"].email,
        5,
        True,
    )
    same_name = send(client, "post", "/duties", {"name": "deploy approval", "owner_id": org["lead"].pk})
    assert same_name.status_code == 400 and "already on the board" in same_name.json()["detail"]
    bad = send(client, "patch", f"/duties/{duty_id}", {"level": 9})
    assert bad.status_code == 400 and "How much is delegated" in bad.json()["detail"]
    assert Duty.objects.get().level == 5
    assert send(client, "delete", f"/duties/{duty_id}").status_code == 204 and not Duty.objects.exists()


@pytest.mark.parametrize("who,status", [("lead2", 403), ("dev", 403), ("stranger", 404)])
def test_another_teams_duty_is_closed(client, org, who, status):
    duty = actions.add_duty(org["lead"], "Deploy approval", org["lead"], org["dev"], 3, True)
    login(client, org[who])
    assert send(client, "patch", f"/duties/{duty.pk}", {"name": "Mine"}).status_code == status
    assert send(client, "delete", f"/duties/{duty.pk}").status_code == status
    assert Duty.objects.get().name == "Deploy approval"


# --- leave ---------------------------------------------------------------------------------------------------


def test_leave_create_patch_delete(client, org):
    login(client, org["lead"])
    first, last = TODAY + dt.timedelta(days=10), TODAY + dt.timedelta(days=12)
    made = send(client, "post", "/leaves", {"person_id": org["lead"].pk, "first_day": first.isoformat(),
                                            "last_day": last.isoformat(), "acting_lead_id": org["dev"].pk})  # fmt: skip
    assert made.status_code == 201 and made.json()["acting_lead"] == org["dev"].email
    leave_id = made.json()["id"]
    patched = send(client, "patch", f"/leaves/{leave_id}", {"acting_lead_id": None})
    assert patched.status_code == 200 and patched.json()["acting_lead"] is None
    assert patched.json()["first_day"] == first.isoformat()  # what was not sent is kept
    assert [item["id"] for item in send(client, "get", "/leaves").json()["items"]] == [leave_id]
    bad = send(
        client, "patch", f"/leaves/{leave_id}", {"last_day": (first - dt.timedelta(days=1)).isoformat()}
    )
    assert bad.status_code == 400 and "before the first day" in bad.json()["detail"]
    assert Leave.objects.get().last_day == last
    assert send(client, "delete", f"/leaves/{leave_id}").status_code == 204 and not Leave.objects.exists()


@pytest.mark.parametrize(
    "who,person,status", [("dev", "dev2", 403), ("boss", "dev", 403), ("stranger", "dev", 404)]
)
def test_leave_rights(client, org, who, person, status):
    login(client, org[who])
    body = {"person_id": org[person].pk, "first_day": (TODAY + dt.timedelta(days=1)).isoformat(),
            "last_day": (TODAY + dt.timedelta(days=2)).isoformat()}  # fmt: skip
    assert send(client, "post", "/leaves", body).status_code == status and not Leave.objects.exists()


# --- manager change ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who,status", [("lead", 403), ("lead2", 403), ("dev", 403), ("stranger", 404)])
def test_manager_change_without_rights(client, org, who, status):
    login(client, org[who])
    body = {"report_id": org["dev"].pk, "new_manager_id": org["lead2"].pk}
    assert send(client, "post", "/manager-changes", body).status_code == status
    assert not ManagerChange.objects.exists()


def test_manager_change_by_admin_then_consent(client, org):
    rel = org["rel"]
    assert client.login(username="root", password=PASSWORD)
    body = {"report_id": org["dev"].pk, "new_manager_id": org["lead2"].pk}
    future = send(
        client, "post", "/manager-changes", {**body, "on": (TODAY + dt.timedelta(days=2)).isoformat()}
    )
    assert future.status_code == 400 and "takes effect when it is recorded" in future.json()["detail"]
    made = send(client, "post", "/manager-changes", body)
    assert made.status_code == 201 and made.json()["history_shared"] is False
    client.logout()
    login(client, org["lead2"])
    assert send(client, "get", f"/relationships/{rel.pk}").status_code == 403
    client.logout()
    login(client, org["dev"]).post(f"/growth/changes/{made.json()['id']}/consent/", {"agree": "1"})
    client.logout()
    assert login(client, org["lead2"]).get(f"{API}/relationships/{rel.pk}").json()["role"] == "successor"
