"""Recording a leave: one's own or a report's; an acting lead for a manager's leave; 1:1s in it are skipped and
come back when it is removed; it shows on the 1:1s page, the dashboard and (for a manager) links the handover."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pathcraft.growth import actions, queries
from pathcraft.growth import cadence as engine
from pathcraft.growth.models import Leave
from pathcraft.growth.tests.db import login

pytestmark = pytest.mark.django_db

LEAVES = reverse("growth:leaves")
TODAY = timezone.localdate()


def day(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


def shown(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}"


def form_error(response) -> str:
    found = re.search(r'id="form-error">([^<]*)<', response.content.decode())
    return found.group(1) if found else ""


def leave(person, first=10, last=14, lead=None) -> dict:
    return {"person": str(person.pk), "first_day": day(first), "last_day": day(last),
            "acting_lead": str(lead.pk) if lead else ""}  # fmt: skip


def test_manager_records_their_leave_with_an_acting_lead(client, org):
    rel = org["rel"]
    nxt = actions.next_occurrence(rel)
    first = (nxt.start.date() - TODAY).days
    response = login(client, org["lead"]).post(LEAVES, leave(org["lead"], first, first + 2, org["dev"]))
    assert response.status_code == 302
    saved = Leave.objects.get()
    assert (saved.person, saved.acting_lead) == (org["lead"], org["dev"])
    nxt.refresh_from_db()
    assert nxt.status == engine.SKIPPED_FOR_LEAVE
    handover = reverse("growth:handover", args=[saved.pk])
    for page in (LEAVES, reverse("growth:dashboard"), reverse("growth:index")):
        html = client.get(page).content.decode()
        assert shown(saved.first_day) in html and handover in html, page
    # The report sees it on their 1:1s page, without the handover link (that is for the manager's cover).
    client.logout()
    html = login(client, org["dev"]).get(reverse("growth:index")).content.decode()
    assert "Lee Lead" in html and shown(saved.first_day) in html and "acting lead Dee Dev" in html
    assert handover in html  # Dee is the acting lead: the handover is for them too
    client.logout()
    html = login(client, org["dev2"]).get(reverse("growth:index")).content.decode()
    assert shown(saved.first_day) in html and handover not in html


def test_the_1on1_page_data_carries_the_leave_of_either_side(org):
    rel = org["rel"]
    mine = actions.record_leave(org["dev"], TODAY + dt.timedelta(days=3), TODAY + dt.timedelta(days=4))
    theirs = actions.record_leave(org["lead"], TODAY + dt.timedelta(days=30), TODAY + dt.timedelta(days=31))
    actions.record_leave(org["dev2"], TODAY + dt.timedelta(days=5), TODAY + dt.timedelta(days=6))
    data = queries.one_on_one(org["dev"].user, rel, "report")
    # A report's own leave has no handover (nobody reports to them); the manager's is for the manager's cover.
    assert [(item, handover) for item, handover in data["leaves"]] == [(mine, False), (theirs, False)]
    data = queries.one_on_one(org["lead"].user, rel, "lead")
    assert [handover for _, handover in data["leaves"]] == [False, True]


def test_manager_records_a_reports_leave(client, org):
    response = login(client, org["lead"]).post(LEAVES, leave(org["dev"]))
    assert response.status_code == 302 and Leave.objects.get().person == org["dev"]


@pytest.mark.parametrize(
    "who,person,status",
    [
        ("dev", "dev2", 403),  # a colleague's leave
        ("dev", "lead", 403),  # one's manager's leave
        ("boss", "dev", 403),  # the skip-level: the direct manager records it
        ("lead2", "dev", 403),
        ("stranger", "dev", 404),
    ],
)
def test_recording_someone_elses_leave_is_refused(client, org, who, person, status):
    response = login(client, org[who]).post(LEAVES, leave(org[person]))
    assert response.status_code == status and not Leave.objects.exists()


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"first_day": "2026-02-30"}, "First day: enter a date like 2026-12-01."),
        ({"last_day": ""}, "Last day: This field is required."),
        ({"first_day": day(9), "last_day": day(3)}, "is before the first day"),
        ({"first_day": day(1), "last_day": day(400)}, "more than a year ahead"),
        ({"first_day": day(-200), "last_day": day(200)}, "longer than a year"),
        ({"acting_lead": "dev2"}, "nobody reports to Dee Dev"),  # an acting lead is for a manager's leave
        ({"acting_lead": "dev"}, "the acting lead must be someone other than the person on leave"),
        (
            {"person": "lead", "acting_lead": "lead"},
            "Acting lead (for a manager's leave): that person is not",
        ),
        (
            {"person": "lead", "acting_lead": "other"},
            "Acting lead (for a manager's leave): that person is not",
        ),
        ({"person": "lead", "acting_lead": "stranger"}, "that person is not one you can choose here"),
        ({"person": "lead", "first_day": day(21), "last_day": day(22)}, "Lee Lead is already away"),
    ],
)
def test_bad_input_is_one_line_and_saves_nothing(client, org, fields, message):
    existing = actions.record_leave(org["lead"], TODAY + dt.timedelta(days=20), TODAY + dt.timedelta(days=25))
    data = leave(org["dev"])
    for key, value in fields.items():
        data[key] = str(org[value].pk) if value in org else value
    response = login(client, org["lead"]).post(LEAVES, data)
    assert response.status_code == 400
    assert message.lower() in form_error(response).lower().replace("&#x27;", "'")
    assert list(Leave.objects.all()) == [existing]


def test_changing_and_removing_a_leave_moves_the_skipped_1on1s(client, org):
    rel = org["rel"]
    nxt = actions.next_occurrence(rel)
    start = nxt.start.date()
    saved = actions.record_leave(org["dev"], start, start + dt.timedelta(days=1))
    nxt.refresh_from_db()
    assert nxt.status == engine.SKIPPED_FOR_LEAVE
    edit = reverse("growth:leave-edit", args=[saved.pk])
    login(client, org["dev"])
    later = {"first_day": (start + dt.timedelta(days=7)).isoformat(),
             "last_day": (start + dt.timedelta(days=8)).isoformat(), "acting_lead": ""}  # fmt: skip
    assert client.post(edit, later).status_code == 302
    nxt.refresh_from_db()
    following = rel.occurrences.get(start=nxt.start + dt.timedelta(weeks=1))
    assert nxt.status == engine.PLANNED and following.status == engine.SKIPPED_FOR_LEAVE
    bad = client.post(edit, {"first_day": "soon", "last_day": later["last_day"]})
    assert bad.status_code == 400 and "First day" in form_error(bad)
    saved.refresh_from_db()
    assert saved.first_day.isoformat() == later["first_day"]  # nothing lost
    assert client.post(reverse("growth:leave-delete", args=[saved.pk])).status_code == 302
    following.refresh_from_db()
    assert following.status == engine.PLANNED and not Leave.objects.exists()


def test_removing_a_leave_keeps_what_another_leave_still_covers(org):
    rel = org["rel"]
    nxt = actions.next_occurrence(rel)
    start = nxt.start.date()
    mine = actions.record_leave(org["dev"], start, start)
    actions.record_leave(org["lead"], start, start)
    actions.delete_leave(mine)
    nxt.refresh_from_db()
    assert nxt.status == engine.SKIPPED_FOR_LEAVE  # the manager is away that day too


@pytest.mark.parametrize("who,status", [("dev2", 403), ("boss", 403), ("stranger", 404)])
def test_others_cannot_change_or_remove_a_leave(client, org, who, status):
    saved = actions.record_leave(org["dev"], TODAY + dt.timedelta(days=3), TODAY + dt.timedelta(days=4))
    login(client, org[who])
    edit = reverse("growth:leave-edit", args=[saved.pk])
    assert client.post(edit, {"first_day": day(5), "last_day": day(6)}).status_code == status
    assert client.post(reverse("growth:leave-delete", args=[saved.pk])).status_code == status
    saved.refresh_from_db()
    assert saved.first_day == TODAY + dt.timedelta(days=3)
