"""The leave simulation points to the growth capability: a manager's planned leave links to its handover page,
anyone else to the delegation board."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pathcraft.code.tests.gitfactory import RepoBuilder
from pathcraft.code.tests.scenarios import analysed, login, org_with_lead
from pathcraft.growth.models import Leave

pytestmark = pytest.mark.django_db


@pytest.fixture
def o(tmp_path):
    """Lee (the manager of Dee and Dan) still owns ops/ alone; Dee owns core/."""
    o = org_with_lead()
    git = RepoBuilder(tmp_path / "repo")
    git.commit(f"Lee Lead <{o['lead'].email}>", {"ops/deploy.py": "d\n"})
    git.commit(f"Dee Dev <{o['dev'].email}>", {"core/a.py": "a\n"})
    o["repo"] = analysed(o["team"], git)
    today = timezone.localdate()
    o["past"] = Leave.objects.create(person=o["lead"], first_day=today - dt.timedelta(days=30),
                                     last_day=today - dt.timedelta(days=20))  # fmt: skip
    return o


def simulate(client, o, viewer, leaver) -> str:
    response = login(client, o[viewer]).post(f"/code/repositories/{o['repo'].pk}/leave/",
                                             {"person": o[leaver].pk}, HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200
    return response.content.decode()


def plan(o, acting=None):
    today = timezone.localdate()
    return Leave.objects.create(person=o["lead"], first_day=today + dt.timedelta(days=10),
                                last_day=today + dt.timedelta(days=20), acting_lead=acting)  # fmt: skip


@pytest.mark.parametrize("viewer", ["lead", "boss", "dev2"])
def test_a_manager_with_a_planned_leave_links_to_its_handover(client, o, viewer):
    leave = plan(o, acting=o["dev2"])
    html = simulate(client, o, viewer, "lead")
    assert 'id="handover"' in html and f'href="/growth/handover/{leave.pk}/"' in html
    assert "ops/deploy.py" in html
    assert login(client, o[viewer]).get(f"/growth/handover/{leave.pk}/").status_code == 200  # the link opens


def test_someone_who_may_not_open_the_handover_gets_the_delegation_board(client, o):
    plan(o)
    leave = Leave.objects.get(last_day__gt=timezone.localdate())
    html = simulate(client, o, "other", "lead")  # a peer elsewhere in the organisation
    assert "/growth/handover/" not in html and 'href="/growth/delegation/"' in html
    assert login(client, o["other"]).get(f"/growth/handover/{leave.pk}/").status_code == 403


def test_without_a_planned_leave_or_for_a_non_manager_the_delegation_board(client, o):
    html = simulate(client, o, "boss", "lead")  # only a past leave
    assert "/growth/handover/" not in html and 'href="/growth/delegation/"' in html
    plan(o)
    html = simulate(client, o, "lead", "dev")  # Dee manages nobody
    assert "/growth/handover/" not in html and 'href="/growth/delegation/"' in html


def test_the_handover_link_opens_for_the_manager(client, o):
    leave = plan(o)
    simulate(client, o, "lead", "lead")
    assert login(client, o["lead"]).get(f"/growth/handover/{leave.pk}/").status_code == 200
