"""The growth API: same data and rules as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pathcraft.growth.models import ActionItem, AgendaItem, Note
from pathcraft.growth.tests.db import login

pytestmark = pytest.mark.django_db


def test_report_and_manager_work_on_the_same_1on1(client, org):
    rel = org["rel"]
    url = f"/api/growth/relationships/{rel.pk}"
    made = login(client, org["dev"]).post(f"{url}/agenda", {"text": "Pairing time", "question": "grow"},
                                          content_type="application/json")  # fmt: skip
    assert made.status_code == 200 and AgendaItem.objects.get(pk=made.json()["id"]).author == org["dev"]
    client.logout()
    login(client, org["lead"])
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    action = client.post(f"{url}/actions", {"text": "Book a room", "owner_id": org["dev"].pk, "due": due},
                         content_type="application/json")  # fmt: skip
    assert action.status_code == 200 and ActionItem.objects.filter(text="Book a room").exists()
    data = client.get(url).json()
    assert data["role"] == "lead" and [i["text"] for i in data["agenda"]] == ["Pairing time"]
    nxt = data["next"]["id"]
    cancelled = client.post(f"{url}/occurrences/{nxt}", {"do": "cancel"}, content_type="application/json")
    assert cancelled.json()["status"] == "cancelled"
    after = client.get(url).json()
    assert after["next"]["id"] != nxt and after["agenda"][0]["carried"] == 1
    assert after["action_items"][0]["carried"] == 1


@pytest.mark.parametrize("who,status", [("dev2", 403), ("boss", 403), ("stranger", 404)])
def test_others_cannot_read_or_write(client, org, who, status):
    rel = org["rel"]
    login(client, org[who])
    assert client.get(f"/api/growth/relationships/{rel.pk}").status_code == status
    posted = client.post(
        f"/api/growth/relationships/{rel.pk}/notes", {"text": "hi"}, content_type="application/json"
    )
    assert posted.status_code == status and not Note.objects.exists()


def test_bad_input_is_a_clear_400(client, org):
    rel = org["rel"]
    login(client, org["dev"])
    bad = client.post(f"/api/growth/relationships/{rel.pk}/notes", {"text": "x", "scope": "everyone"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "unknown note scope" in bad.content.decode()
    bad = client.post(f"/api/growth/relationships/{rel.pk}/discussed", {"question": "money"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "unknown question" in bad.content.decode()


def test_dashboard_is_only_for_managers(client, org):
    assert login(client, org["dev"]).get("/api/growth/dashboard").status_code == 403
    client.logout()
    data = login(client, org["lead"]).get("/api/growth/dashboard").json()
    assert [r["name"] for r in data["reports"]] == ["Dan Dev", "Dee Dev"]
