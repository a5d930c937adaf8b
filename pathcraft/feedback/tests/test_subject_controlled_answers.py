"""Issue 18: the subject must not be able to author answers in a batch, nor difference two requests.

Each test plays the attack as the issue describes it, through the API as the subject, and computes what
the attacker would compute. Before the fix every one of them recovered a single colleague's answer.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from pathcraft.code.models import IdentityMatch
from pathcraft.errors import InputError
from pathcraft.feedback import actions
from pathcraft.feedback.models import Answer, FeedbackRequest, Invite
from pathcraft.feedback.tests.conftest import login, tokens_in_outbox

pytestmark = pytest.mark.django_db

CONTROLLED = [f"sock{i}@mailbox.example" for i in range(1, 7)]  # addresses the subject reads
COLLEAGUE_TEXT = "the held-back colleague's own words"


def _post_request(client, body):
    return client.post("/api/feedback/requests", body, content_type="application/json")


def _api_answer(client, token, coding, text):
    return client.post(
        f"/api/feedback/answer/{token}",
        {"ratings": {"coding": coding}, "texts": {"does_well": text}},
        content_type="application/json",
    )


def _coding(view):
    item = next((a for a in view["results"]["activities"] if a["key"] == "coding"), None)
    return (item["n"], item["mean"]) if item and item["status"] == "shown" else (0, None)


def _recovered_by_difference(before, after, known: list[int]):
    """What the attacker computes: if the view moved by their known answers plus exactly one other, that one."""
    (n1, m1), (n2, m2) = _coding(before), _coding(after)
    if n2 - n1 != len(known) + 1:
        return None  # zero or several unknown ratings behind the step: nothing single to solve for
    return round(n2 * m2 - n1 * (m1 or 0) - sum(known), 6)


def test_the_issue_attack_through_the_api_recovers_nothing(client, org):
    dee, colleagues = org["dev"], [org["ann"], org["ben"], org["cat"], org["dov"]]
    login(client, dee)
    # The plus-alias of the subject's own mailbox is refused outright, with a clear error, nothing saved.
    refused = _post_request(
        client, {"emails": [*CONTROLLED, "dee.dev+2@acme.test"], "activities": ["coding"]}
    )
    assert refused.status_code == 400 and "cannot be their own respondent" in refused.json()["detail"]
    assert not FeedbackRequest.objects.exists()

    start = len(mail.outbox)
    created = _post_request(
        client,
        {"people": [p.pk for p in colleagues], "emails": CONTROLLED, "activities": ["coding"]},
    )
    assert created.status_code == 201, created.content
    request_id = created.json()["id"]
    links = tokens_in_outbox(start)  # the attacker reads every mailbox they control
    assert created.json()["progress"]["pending_approval"] == len(CONTROLLED)

    for person in colleagues[:3]:  # three real answers release the first batch: coding 3, 3, 3
        assert _api_answer(client, links[person.email], 3, f"words of {person.name}").status_code == 201
    view = lambda: client.get(f"/api/feedback/requests/{request_id}").json()  # noqa: E731
    first = view()
    assert _coding(first) == (3, 3.0)

    # The real colleague answers next (coding 1) and is held back, as designed.
    assert _api_answer(client, links[colleagues[3].email], 1, COLLEAGUE_TEXT).status_code == 201
    after_colleague = view()
    assert after_colleague == first  # not even the count moved: the subject cannot date the answer

    # The subject tries to approve their own outside addresses, then answers every link they control.
    for invite in Invite.objects.filter(request_id=request_id, approval=Invite.Approval.PENDING):
        response = client.post(
            f"/api/feedback/approvals/{invite.pk}", {"approve": True}, content_type="application/json"
        )
        assert response.status_code == 404
    known = []
    for address in CONTROLLED:
        if address in links or address in tokens_in_outbox(start):
            _api_answer(client, tokens_in_outbox(start)[address], 5, "attacker's known text")
            known.append(5)
    second = view()

    assert _recovered_by_difference(first, second, known) is None
    assert COLLEAGUE_TEXT not in str(second)
    assert Answer.objects.filter(request_id=request_id).count() == 4  # only the real colleagues answered


@pytest.mark.parametrize(
    "address",
    [
        "dee.dev@acme.test",
        "DEE.DEV@ACME.TEST",
        " dee.dev+2@acme.test ",
        "Dee.Dev+feedback+more@Acme.Test",
        "dee@home.example",  # a confirmed git identity of Dee (code app)
        "dee+x@home.example",
        "dee.d.ev@gmail.com",  # Dee's confirmed gmail identity, dots ignored by gmail
        "DeeDev+360@googlemail.com",
    ],
)
def test_the_subjects_own_addresses_are_refused_in_any_form(client, org, address):
    for alias in ("dee@home.example", "deedev@gmail.com"):
        IdentityMatch.objects.create(
            organisation=org["org"], email=alias, person=org["dev"], method="manual", confirmed=True
        )
    login(client, org["dev"])
    body = {"people": [org["ann"].pk, org["ben"].pk, org["cat"].pk], "emails": [address]}
    response = _post_request(client, body)
    assert response.status_code == 400 and "cannot be their own respondent" in response.json()["detail"]
    assert not FeedbackRequest.objects.exists() and not Invite.objects.exists()


@pytest.mark.parametrize(
    "addresses",
    [
        ["ann.ash+1@acme.test", "ANN.ASH@acme.test"],  # one colleague, three spellings
        ["ann@home.example", "Ann+x@home.example"],  # Ann's confirmed git identity and its alias
    ],
)
def test_one_colleague_under_several_addresses_counts_once(org, addresses):
    IdentityMatch.objects.create(
        organisation=org["org"], email="ann@home.example", person=org["ann"], method="email", confirmed=True
    )
    with pytest.raises(InputError, match="ask at least 3 different people.*you named 2"):
        actions.create_request(org["dev"], [org["ann"], org["ben"], *addresses])
    start = len(mail.outbox)
    req = actions.create_request(org["dev"], [org["ann"], org["ben"], org["cat"], *addresses])
    assert sorted(i.email for i in req.invites.all()) == sorted(
        [org["ann"].email, org["ben"].email, org["cat"].email]
    )
    assert len(tokens_in_outbox(start)) == 3  # one link for Ann, to her directory address


def test_a_second_request_to_the_same_people_cannot_be_differenced(client, org):
    dee, ann, ben, cat, dov = (org[n] for n in ("dev", "ann", "ben", "cat", "dov"))
    start = len(mail.outbox)
    first_req = actions.create_request(dee, [ann, ben, cat], activities=["coding"])
    links = tokens_in_outbox(start)
    for person, rating in ((ann, 4), (ben, 4), (cat, 4)):
        actions.submit_answer(links[person.email], {"ratings": {"coding": rating}})
    login(client, dee)
    first = client.get(f"/api/feedback/requests/{first_req.pk}").json()
    assert _coding(first) == (3, 4.0)

    # The attack: ask the same three again plus one new person; the three would answer alike, and the
    # new person's rating would follow from the difference of the two releases.
    for respondents in (
        [ann, ben, cat, dov],
        [ann, dov, "x@elsewhere.test"],
        ["Ben.Birch+again@acme.test", dov],
    ):
        body = {
            "people": [p.pk for p in respondents if not isinstance(p, str)],
            "emails": [p for p in respondents if isinstance(p, str)],
            "activities": ["coding"],
        }
        if len(respondents) < 3:
            body["emails"].append("y@elsewhere.test")
        response = _post_request(client, body)
        assert response.status_code == 400, respondents
        detail = response.json()["detail"]
        assert "nobody can be asked twice within 180 days" in detail
    assert FeedbackRequest.objects.count() == 1  # no second release exists to difference against
    # Withdrawing a link does not reopen the window (the person may already have answered).
    actions.revoke_invite(first_req, first_req.invites.get(email=ann.email).pk)
    with pytest.raises(InputError, match="asked twice"):
        actions.create_request(dee, [ann, dov, org["lead2"]])
    # After the window the same people may be asked again.
    later = timezone.now() + dt.timedelta(days=181)
    again = actions.create_request(dee, [ann, ben, cat], now=later)
    assert again.invites.count() == 3


def test_the_window_is_per_subject_and_refused_addresses_may_be_asked_again(org):
    ann, ben, cat = org["ann"], org["ben"], org["cat"]
    actions.create_request(org["dev"], [ann, ben, cat])
    assert actions.create_request(org["dev2"], [ann, ben, cat]).invites.count() == 3  # another subject
    req = actions.create_request(org["dev"], ["out1@elsewhere.test", "out2@elsewhere.test", org["dov"]])
    actions.decide_invite(req.invites.get(email="out1@elsewhere.test"), org["lead"].user, False)
    with pytest.raises(InputError, match="out2@elsewhere.test was asked on"):
        actions.create_request(org["dev"], ["out1@elsewhere.test", "out2@elsewhere.test", org["other"]])
    later = actions.create_request(org["dev"], ["out1@elsewhere.test", org["other"], org["lead2"]])
    assert later.invites.count() == 3  # out1 was refused, never had a link: asking it again is safe


def test_counts_the_subject_sees_move_only_in_released_batches(client, org):
    people = [org[n] for n in ("ann", "ben", "cat", "dov", "lead2", "other", "boss")]
    start = len(mail.outbox)
    req = actions.create_request(org["dev"], people, activities=["coding"])
    links = tokens_in_outbox(start)
    login(client, org["dev"])
    seen = []
    for person in people:
        actions.submit_answer(links[person.email], {"ratings": {"coding": 3}})
        data = client.get(f"/api/feedback/requests/{req.pk}").json()
        seen.append((data["progress"]["answered"], data["results"]["included"]))
        assert "received" not in data["results"] and "held_back" not in data["results"]
    assert seen == [(0, 0), (0, 0), (3, 3), (3, 3), (3, 3), (6, 6), (6, 6)]
