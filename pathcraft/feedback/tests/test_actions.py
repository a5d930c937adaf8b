"""Requests, links and answers in the database: the storage rules of docs/feedback.md."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import models
from django.utils import timezone

from pathcraft.errors import InputError
from pathcraft.feedback import actions
from pathcraft.feedback.models import Answer, FeedbackRequest, Invite
from pathcraft.feedback.results import current_release, progress
from pathcraft.feedback.tests.conftest import answer, tokens_in_outbox
from pathcraft.feedback.tokens import hash_token

pytestmark = pytest.mark.django_db


def test_invitations_carry_a_private_link_and_only_its_hash_is_stored(org, asked, settings):
    req, tokens = asked
    assert sorted(tokens) == sorted(p.email for p in (org["ann"], org["ben"], org["cat"], org["dov"]))
    for message in mail.outbox[-4:]:
        assert org["dev"].name in message.subject
        assert f"{settings.SITE_URL}/feedback/answer/" in message.body
    stored = set(Invite.objects.values_list("token_hash", flat=True))
    assert stored == {hash_token(t) for t in tokens.values()}
    for token in tokens.values():  # the clear token is nowhere in the database
        assert not Invite.objects.filter(token_hash=token).exists()
    assert req.k == settings.FEEDBACK_MIN_ANSWERS and len(req.order_key) == 64


@pytest.mark.parametrize("as_email", [False, True])
def test_the_subject_cannot_be_their_own_respondent(org, as_email):
    me = org["dev"].email.upper() if as_email else org["dev"]
    with pytest.raises(InputError, match="cannot be their own respondent"):
        actions.create_request(org["dev"], [org["ann"], org["ben"], org["cat"], me])
    assert not FeedbackRequest.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    "k,respondents,message",
    [
        (2, 4, "k must be at least 3"),
        (0, 4, "k must be at least 3"),
        (3, 2, "ask at least 3 different people"),
        (4, 3, "ask at least 4 different people"),
    ],
)
def test_k_below_three_and_too_few_respondents_are_refused(org, k, respondents, message):
    people = [org["ann"], org["ben"], org["cat"], org["dov"]][:respondents]
    with pytest.raises(InputError, match=message):
        actions.create_request(org["dev"], people, k=k)
    assert not FeedbackRequest.objects.exists()


def test_bad_addresses_strangers_and_past_due_dates_are_refused(org):
    with pytest.raises(InputError) as info:
        actions.create_request(
            org["dev"], ["not-an-email", org["stranger"], "a@x.test", "b@x.test", "c@x.test"]
        )
    assert any("'not-an-email' is not an email address" in p for p in info.value.problems)
    assert any("Sta Stranger is not in" in p for p in info.value.problems)
    with pytest.raises(InputError, match="is in the past"):
        actions.create_request(org["dev"], ["a@x.test", "b@x.test", "c@x.test"], dt.date(2000, 1, 1))
    with pytest.raises(InputError, match="unknown activity: cooking"):
        actions.create_request(org["dev"], ["a@x.test", "b@x.test", "c@x.test"], activities=["cooking"])


def test_an_answer_is_stored_without_any_link_to_its_respondent(org, asked):
    req, tokens = asked
    actions.submit_answer(tokens[org["ann"].email], answer(4, "clear writer"))
    fields = {f.name for f in Answer._meta.get_fields()}
    assert fields == {"id", "request", "sequence", "ratings", "texts", "competency_ratings"}
    assert not any(isinstance(f, models.DateTimeField | models.DateField) for f in Answer._meta.get_fields())
    assert not any(f.is_relation and f.related_model is Invite for f in Answer._meta.get_fields())
    assert not any(
        isinstance(f, models.DateTimeField) and f.name.startswith("answer") for f in Invite._meta.fields
    )
    stored = Answer.objects.get()
    assert (stored.sequence, stored.ratings, stored.texts) == (
        1,
        {"coding": 4},
        {"does_well": "clear writer"},
    )
    assert Invite.objects.filter(answered=True).count() == 1
    # One answer is below k: the count the subject sees does not move answer by answer.
    assert progress(req)["answered"] == 0


@pytest.mark.parametrize("case", ["reused", "revoked", "expired", "unknown", "closed"])
def test_unusable_links_say_why_and_save_nothing(org, asked, case):
    req, tokens = asked
    token = tokens[org["ann"].email]
    now = timezone.now()
    expected = {
        "reused": "already used",
        "revoked": "withdrawn",
        "expired": "expired",
        "unknown": "not valid",
        "closed": "closed",
    }[case]
    if case == "reused":
        actions.submit_answer(token, answer(3))
    elif case == "revoked":
        actions.revoke_invite(req, Invite.objects.get(email=org["ann"].email).pk)
    elif case == "expired":
        now = Invite.objects.get(email=org["ann"].email).expires_at + dt.timedelta(seconds=1)
    elif case == "unknown":
        token = "x" * 43
    elif case == "closed":
        actions.close_request(req)
    before = Answer.objects.count()
    with pytest.raises(actions.LinkError, match=expected) as info:
        actions.submit_answer(token, answer(5, "second try"), now=now)
    assert info.value.reason == ("answered" if case == "reused" else case)
    assert Answer.objects.count() == before
    assert not any("second try" in str(a.texts) for a in Answer.objects.all())


def test_an_invalid_answer_is_refused_whole_and_the_link_still_works(org, asked):
    _, tokens = asked
    token = tokens[org["ann"].email]
    with pytest.raises(InputError) as info:
        actions.submit_answer(token, {"ratings": {"coding": 7, "cooking": 3}, "texts": {}, "name": "Ann"})
    problems = "\n".join(info.value.problems)
    assert "rating for activity 'coding' is 7" in problems and "unknown activity 'cooking'" in problems
    assert "unknown field(s): name" in problems
    assert not Answer.objects.exists() and not Invite.objects.filter(answered=True).exists()
    actions.submit_answer(token, answer(2))
    assert Answer.objects.count() == 1


def test_reminders_go_only_to_those_who_have_not_answered_with_a_fresh_link(org, asked):
    req, tokens = asked
    actions.submit_answer(tokens[org["ann"].email], answer(4))
    actions.revoke_invite(req, Invite.objects.get(email=org["ben"].email).pk)
    start = len(mail.outbox)
    assert actions.remind(req) == 2
    fresh = tokens_in_outbox(start)
    assert sorted(fresh) == sorted([org["cat"].email, org["dov"].email])
    assert all("Reminder" in m.subject for m in mail.outbox[start:])
    with pytest.raises(actions.LinkError, match="not valid"):  # the old link was replaced
        actions.open_link(tokens[org["cat"].email])
    actions.submit_answer(fresh[org["cat"].email], answer(3))
    assert Invite.objects.get(email=org["cat"].email).reminded_at is not None


def test_revoking_an_answered_link_looks_the_same_and_keeps_the_answer(org, asked):
    req, tokens = asked
    actions.submit_answer(tokens[org["ann"].email], answer(4))
    answered = actions.revoke_invite(req, Invite.objects.get(email=org["ann"].email).pk)
    waiting = actions.revoke_invite(req, Invite.objects.get(email=org["ben"].email).pk)
    assert answered.revoked_at and waiting.revoked_at and Answer.objects.count() == 1
    with pytest.raises(InputError, match="has no respondent"):
        actions.revoke_invite(req, 999999)


def test_release_state_is_stored_and_sequences_are_counts(org, asked):
    req, tokens = asked
    for i, email in enumerate([org["ann"].email, org["ben"].email, org["cat"].email]):
        actions.submit_answer(tokens[email], answer(3 + i % 2))
    assert list(Answer.objects.order_by("sequence").values_list("sequence", flat=True)) == [1, 2, 3]
    rel = current_release(req)
    req.refresh_from_db()
    assert rel.visible and req.release_state == rel.state.to_dict() and req.release_state["included"] == 3


def test_closing_twice_is_refused(org, asked):
    req, _ = asked
    actions.close_request(req)
    with pytest.raises(InputError, match="already closed"):
        actions.close_request(req)
    with pytest.raises(InputError, match="is closed; there is nobody to remind"):
        actions.remind(req)


def test_team_cycle_emails_every_direct_report(org):
    start = len(mail.outbox)
    cycle = actions.start_team_cycle(org["lead"], dt.date.today() + dt.timedelta(days=10))
    assert sorted(p.email for p in cycle.participants.all()) == sorted([org["dev"].email, org["dev2"].email])
    assert sorted(m.to[0] for m in mail.outbox[start:]) == sorted([org["dev"].email, org["dev2"].email])
    assert f"/feedback/new/?cycle={cycle.pk}" in mail.outbox[-1].body
    with pytest.raises(InputError, match="has no direct reports"):
        actions.start_team_cycle(org["dev"])
    with pytest.raises(InputError, match="not part of this feedback cycle"):
        actions.create_request(org["ann"], ["a@x.test", "b@x.test", "c@x.test"], cycle=cycle)


def test_self_ratings_are_checked(org, asked):
    req, _ = asked
    actions.set_self_ratings(req, {"coding": "4", "design": ""})
    assert req.self_ratings == {"coding": 4}
    with pytest.raises(InputError) as info:
        actions.set_self_ratings(req, {"coding": 9, "cooking": 3})
    assert "self-rating for 'coding' is 9" in str(info.value) and "'cooking' is not part" in str(info.value)
