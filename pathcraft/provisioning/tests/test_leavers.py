"""What leaving does (SCIM active=false and DELETE alike): access ends at once, open feedback about the leaver
closes without releasing below k, links to answer for others stop, 1:1s end, private notes stay the author's,
code history counts them as former contributors, and their manager (only) sees the handover."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from pathcraft.api.models import ApiToken
from pathcraft.code import actions as code_actions
from pathcraft.code.tests.gitfactory import RepoBuilder
from pathcraft.feedback import actions as feedback
from pathcraft.feedback.models import FeedbackRequest, Invite
from pathcraft.feedback.results import current_release
from pathcraft.feedback.tests.conftest import answer, tokens_in_outbox
from pathcraft.growth import actions as growth
from pathcraft.growth.access import visible_notes
from pathcraft.growth.models import Duty, Note, Relationship
from pathcraft.people.tests.factories import PASSWORD, make_person
from pathcraft.provisioning.models import Departure
from pathcraft.provisioning.tests.scim_client import PATCH_OP

pytestmark = pytest.mark.django_db

# Both ways a provider makes a leaver: Okta's deactivation PATCH, Entra's (string) one, and DELETE.
LEAVE = {
    "okta-patch": lambda scim, pk: scim.patch(f"/Users/{pk}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "replace", "value": {"active": False}}]}),
    "entra-patch-string": lambda scim, pk: scim.patch(f"/Users/{pk}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "Replace", "path": "active", "value": "False"}]}),
    "delete": lambda scim, pk: scim.delete(f"/Users/{pk}"),
}  # fmt: skip


def _peers(org_people, n=4):
    org = org_people["org"]
    return [make_person(org, f"Peer {i}", manager=org_people["lead2"]) for i in range(n)]


@pytest.fixture
def world(org_people):
    """Dee (reports to Lee) with a session, an API token, a feedback request about her with 2 answers (k=3),
    a link to answer about Dan, a manager 1:1 with Lee and a mentoring 1:1 she leads, and notes."""
    p = org_people
    dee, lee, dan = p["dev"], p["lead"], p["dev2"]
    peers = _peers(p)
    start = len(mail.outbox)
    about_dee = feedback.create_request(dee, peers[:4], activities=["coding"], k=3)
    tokens = tokens_in_outbox(start)
    for peer in peers[:2]:
        feedback.submit_answer(tokens[peer.email], answer(4, f"kind words from {peer.name}"))
    about_dan = feedback.create_request(dan, [dee, *peers[:2]], activities=["coding"], k=3)
    today = dt.date.today()
    one_on_one = growth.create_relationship(lee, dee, started_on=today - dt.timedelta(days=30))
    mentoring = growth.create_relationship(dee, dan, started_on=today - dt.timedelta(days=30), kind="mentor")
    growth.add_note(one_on_one, dee, "my private worry", scope=Note.PRIVATE)
    growth.add_note(one_on_one, lee, "Lee's private note", scope=Note.PRIVATE)
    growth.add_note(one_on_one, dee, "a shared note")
    growth.add_action_item(one_on_one, lee, dee, "write the runbook", today + dt.timedelta(days=7))
    Duty.objects.create(manager=lee, name="On-call rota", owner=dee, level=3)
    browser = Client()
    assert browser.login(username=dee.email, password=PASSWORD)
    _, api_token = ApiToken.issue(dee.user, "script")
    return {**p, "peers": peers, "about_dee": about_dee, "about_dan": about_dan, "one_on_one": one_on_one,
            "mentoring": mentoring, "browser": browser, "api_token": api_token}  # fmt: skip


@pytest.mark.parametrize("how", list(LEAVE))
def test_leaving_ends_access_feedback_and_one_on_ones(scim, world, how, client):
    dee = world["dev"]
    assert world["browser"].get("/").status_code == 200
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {world['api_token']}").status_code == 200
    status, _, _ = LEAVE[how](scim, dee.pk)
    assert status in (200, 204)
    dee.refresh_from_db()
    assert not dee.is_active and not dee.user.is_active
    # access: the session row is gone, the browser is signed out, the API token is revoked
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(dee.user.pk)]
    assert world["browser"].get("/").status_code == 302
    assert ApiToken.objects.get(user=dee.user).revoked_at is not None
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {world['api_token']}").status_code == 401
    # feedback about her: closed, and the two answers (below k=3) are never released
    about = FeedbackRequest.objects.get(pk=world["about_dee"].pk)
    assert about.is_closed
    release = current_release(about)
    assert release.final and release.included == 0 and not release.visible and release.texts == {}
    # her link to answer about Dan stops working; Dan's request stays open for the others
    invite = Invite.objects.get(request=world["about_dan"], person=dee)
    assert (
        invite.revoked_at is not None and not FeedbackRequest.objects.get(pk=world["about_dan"].pk).is_closed
    )
    # 1:1s end, on both sides of the table
    for rel in (world["one_on_one"], world["mentoring"]):
        assert not Relationship.objects.get(pk=rel.pk).is_active
    # notes are kept; her private note stays hers: her manager still cannot read it
    rel = Relationship.objects.get(pk=world["one_on_one"].pk)
    assert rel.notes.count() == 3
    lee_sees = {n.text for n in visible_notes(world["lead"].user, rel)}
    assert "my private worry" not in lee_sees and "Lee's private note" in lee_sees
    assert rel.notes.get(author=dee, scope=Note.PRIVATE).text == "my private worry"
    departure = Departure.objects.get(person=dee)
    assert departure.manager == world["lead"]
    assert departure.ended == {"sessions": 1, "api_tokens": 1, "feedback_requests": 1, "feedback_links": 1,
                               "feedback_cycles": 0, "one_on_ones": 2}  # fmt: skip


@pytest.mark.parametrize(("answers", "included"), [(2, 0), (3, 3)], ids=["below-k", "at-k"])
def test_closing_releases_exactly_what_the_anonymity_rule_allows(scim, org_people, answers, included):
    dee = org_people["dev"]
    peers = _peers(org_people, 4)
    start = len(mail.outbox)
    request = feedback.create_request(dee, peers, activities=["coding"], k=3)
    tokens = tokens_in_outbox(start)
    for peer in peers[:answers]:
        feedback.submit_answer(tokens[peer.email], answer(4))
    LEAVE["okta-patch"](scim, dee.pk)
    release = current_release(FeedbackRequest.objects.get(pk=request.pk))
    assert release.final and release.included == included


def test_the_manager_sees_the_handover_and_nobody_else_does(scim, world, client):
    LEAVE["okta-patch"](scim, world["dev"].pk)
    client.login(username=world["lead"].email, password=PASSWORD)
    html = client.get("/provisioning/leavers/").content.decode()
    assert f'id="leaver-{world["dev"].pk}"' in html
    assert "On-call rota (Dee Dev was the owner)" in html and "write the runbook" in html
    assert f"/code/people/{world['dev'].pk}/" in html
    for other in ("boss", "dev2", "lead2"):  # skip-level, peer, another manager
        client.logout()
        client.login(username=world[other].email, password=PASSWORD)
        html = client.get("/provisioning/leavers/").content.decode()
        assert "leaver-" not in html and "write the runbook" not in html


def test_reactivation_lets_them_back_in_but_revoked_things_stay_revoked(scim, world):
    dee = world["dev"]
    LEAVE["okta-patch"](scim, dee.pk)
    status, data, _ = scim.patch(f"/Users/{dee.pk}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "replace", "value": {"active": True}}]})  # fmt: skip
    assert status == 200 and data["active"] is True
    dee.refresh_from_db()
    assert dee.is_active and dee.user.is_active
    assert ApiToken.objects.get(user=dee.user).revoked_at is not None
    assert Departure.objects.get(person=dee).returned_at is not None


def test_code_history_counts_a_leaver_as_a_former_contributor(scim, org_people, client, tmp_path):
    dee, dan = org_people["dev"], org_people["dev2"]
    git = RepoBuilder(tmp_path / "repo")
    git.commit(f"Dee Dev <{dee.email}>", {"core/a.py": "a\n", "core/b.py": "b\n"})
    git.commit(f"Dan Dev <{dan.email}>", {"web/x.py": "x\n"})
    repo = code_actions.run_analysis(
        code_actions.register_repository(org_people["team"], "svc", str(git.path)).pk
    )
    client.login(username=org_people["lead"].email, password=PASSWORD)

    def former():
        summary = client.get(f"/api/code/repositories/{repo.pk}").json()
        return {d["name"]: d["former"] for d in summary["truck_factor_developers"]}

    assert former() == {"Dee Dev": False}
    LEAVE["delete"](scim, dee.pk)
    assert former() == {"Dee Dev": True}
    # her manager's Leavers page offers the what-if-they-leave simulation of that repository, which works
    html = client.get("/provisioning/leavers/").content.decode()
    assert (
        f'action="/code/repositories/{repo.pk}/leave/"' in html
        and "svc: author of 2 files, the only author of 2" in html
    )
    simulated = client.post(f"/code/repositories/{repo.pk}/leave/", {"person": dee.pk}).content.decode()
    assert "core/a.py" in simulated and "core/b.py" in simulated


def test_a_leaving_manager_s_team_cycle_stops_inviting_but_requests_in_it_stay_open(scim, org_people):
    from pathcraft.feedback.models import TeamCycle

    lee, dee = org_people["lead"], org_people["dev"]
    cycle = feedback.start_team_cycle(lee)
    peers = _peers(org_people, 3)
    request = feedback.create_request(dee, peers, activities=["coding"], cycle=cycle)
    LEAVE["entra-patch-string"](scim, lee.pk)
    assert TeamCycle.objects.get(pk=cycle.pk).closed_at is not None
    assert not FeedbackRequest.objects.get(pk=request.pk).is_closed  # about Dee, who stays
    assert Departure.objects.get(person=lee).ended["feedback_cycles"] == 1
