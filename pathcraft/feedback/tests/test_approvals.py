"""Outside addresses: pending until a manager above the subject or an admin approves; nobody else can."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from django.core import mail
from django.urls import reverse

from pathcraft.errors import InputError
from pathcraft.feedback import actions
from pathcraft.feedback.cli import feedback
from pathcraft.feedback.models import Answer, Invite
from pathcraft.feedback.tests.conftest import login, tokens_in_outbox
from pathcraft.people.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

OUTSIDE = "client@partner.example"


@pytest.fixture
def pending(org):
    req = actions.create_request(org["dev"], [org["ann"], org["ben"], OUTSIDE], activities=["coding"])
    return req.invites.get(email=OUTSIDE)


def _as(client, org, who):
    if who == "admin":
        assert client.login(username="root", password=PASSWORD)
    elif who != "nobody":
        login(client, org[who])
    return client


# Who may decide Dee's outside address: Dee's manager (lead) and skip-level (boss), an admin; nobody else.
DECIDERS = [("lead", 200), ("boss", 200), ("admin", 200), ("dev", 404), ("dev2", 404), ("ann", 404),
            ("lead2", 404), ("stranger", 404), ("nobody", 401)]  # fmt: skip


@pytest.mark.parametrize("who,status", DECIDERS)
def test_only_a_manager_above_or_an_admin_can_approve(client, org, pending, who, status):
    _as(client, org, who)
    listed = client.get("/api/feedback/approvals")
    start = len(mail.outbox)
    response = client.post(
        f"/api/feedback/approvals/{pending.pk}", {"approve": True}, content_type="application/json"
    )
    assert response.status_code == status, response.content
    pending.refresh_from_db()
    if status == 200:
        assert [r["email"] for r in listed.json()["items"]] == [OUTSIDE]
        assert pending.approval == Invite.Approval.APPROVED and pending.token_hash
        assert list(tokens_in_outbox(start)) == [OUTSIDE]  # the link goes out only now
    else:
        assert listed.status_code == 401 or listed.json()["items"] == []
        assert pending.approval == Invite.Approval.PENDING and pending.token_hash is None
        assert tokens_in_outbox(start) == {}


def test_a_pending_or_refused_address_cannot_answer_and_a_decision_is_final(client, org, pending):
    assert pending.token_hash is None
    actions.decide_invite(pending, org["lead"].user, False)
    pending.refresh_from_db()
    assert pending.approval == Invite.Approval.REFUSED and pending.token_hash is None
    with pytest.raises(InputError, match="already refused; nothing changed"):
        actions.decide_invite(pending, org["boss"].user, True)
    with pytest.raises(actions.LinkError):
        actions.open_link("")
    assert not Answer.objects.exists()
    login(client, org["dev"])
    progress = client.get(f"/api/feedback/requests/{pending.request_id}").json()["progress"]
    assert progress["asked"] == 2 and progress["pending_approval"] == 0


def test_an_admin_who_is_the_subject_cannot_approve_their_own(org):
    dee = org["dev"]
    dee.user.is_superuser = True
    dee.user.save(update_fields=["is_superuser"])
    req = actions.create_request(dee, [org["ann"], org["ben"], OUTSIDE])
    invite = req.invites.get(email=OUTSIDE)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.decide_invite(invite, dee.user, True)


def test_approvals_page_approves_and_refuses(client, org, pending):
    other = actions.create_request(org["dev2"], [org["ann"], org["ben"], "friend@else.example"])
    login(client, org["lead"])
    html = client.get(reverse("feedback:approvals")).content.decode()
    assert OUTSIDE in html and "friend@else.example" in html and "Dee Dev" in html
    start = len(mail.outbox)
    done = client.post(
        reverse("feedback:approvals"), {"invite": pending.pk, "decision": "approve"}, follow=True
    )
    assert f"{OUTSIDE} approved" in done.content.decode() and list(tokens_in_outbox(start)) == [OUTSIDE]
    outside = other.invites.get(email="friend@else.example")
    client.post(reverse("feedback:approvals"), {"invite": outside.pk, "decision": "refuse"})
    outside.refresh_from_db()
    assert outside.approval == Invite.Approval.REFUSED
    assert (
        "Nothing is waiting for your approval" in client.get(reverse("feedback:approvals")).content.decode()
    )
    # A peer manager sees nothing and cannot decide by id.
    login(client, org["lead2"])
    assert OUTSIDE not in client.get(reverse("feedback:approvals")).content.decode()
    again = client.post(reverse("feedback:approvals"), {"invite": pending.pk, "decision": "refuse"})
    assert again.status_code == 404


def test_subject_sees_the_approval_state_but_never_who_answered(client, org, pending):
    login(client, org["dev"])
    html = client.get(reverse("feedback:respondents", args=[pending.request_id])).content.decode()
    row = re.search(rf"<tr><td>{re.escape(OUTSIDE)}</td>\s*<td>([^<]+)</td>", html)
    assert row and row.group(1) == "waiting for approval"
    detail = client.get(reverse("feedback:detail", args=[pending.request_id])).content.decode()
    assert "1 outside address waiting" in detail


def test_cli_approvals_errors_are_one_line(org, pending):
    runner = CliRunner()
    result = runner.invoke(feedback, ["approvals", "--as", org["lead2"].email, "--approve", str(pending.pk)],
                           standalone_mode=False)  # fmt: skip
    assert isinstance(result.exception, InputError)
    assert str(result.exception) == f"no respondent {pending.pk} waiting for {org['lead2'].email}'s approval"
    listed = runner.invoke(feedback, ["approvals", "--as", org["boss"].email], standalone_mode=False)
    assert listed.exception is None and f"{pending.pk:>6}  Dee Dev" in listed.output
    assert "--approve" in runner.invoke(feedback, ["approvals", "--help"]).output


@pytest.mark.parametrize("url", ["/feedback/approvals/", "/api/feedback/approvals"])
def test_the_approvals_list_costs_the_same_queries_for_more_addresses(client, org, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, org["lead"])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    actions.create_request(org["dev"], [org["ann"], "one@partner.example", "two@partner.example"])
    few = count()
    actions.create_request(org["dev2"], [f"p{i}@partner.example" for i in range(8)])
    assert Invite.objects.filter(approval=Invite.Approval.PENDING).count() == 10
    assert count() == few
