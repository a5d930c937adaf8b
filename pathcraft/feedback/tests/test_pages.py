"""Pages: the respondent's link without login, results at k, who may open what, and difference attacks."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from pathcraft.feedback import actions
from pathcraft.feedback.models import Answer, FeedbackRequest, Invite
from pathcraft.feedback.tests.conftest import answer, login, tokens_in_outbox
from pathcraft.people.permissions import set_share
from pathcraft.people.policy import Kind, Relation

pytestmark = pytest.mark.django_db

RESPONDENTS = ("ann", "ben", "cat", "dov")


def _results_section(html: str) -> str:
    match = re.search(r'<section id="results".*?</section>', html, re.S)
    assert match, "the page has no results section"
    return match.group(0)


def _answer_all(org, tokens, names, **kwargs):
    for name in names:
        actions.submit_answer(tokens[org[name].email], answer(**kwargs) if kwargs else _distinct(name))


def _distinct(name: str) -> dict:
    ratings = {"ann": 3, "ben": 4, "cat": 5, "dov": 2}
    return {
        "ratings": {"coding": ratings[name], "design": "not_seen"},
        "texts": {"does_well": f"words-of-{name}"},
    }


def test_respondent_answers_without_logging_in(client, org, asked):
    _, tokens = asked
    url = reverse("feedback:answer", args=[tokens[org["ann"].email]])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Feedback for Dee Dev" in html
    assert "What does this person do well?" in html and "Have not seen" in html and "Code review" in html
    done = client.post(
        url, {"text_does_well": "patient reviewer", "rating_coding": "4", "rating_design": "not_seen"}
    )
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    assert Answer.objects.get().texts == {"does_well": "patient reviewer"}
    again = client.get(url)
    assert again.status_code == 410 and "already used" in again.content.decode()
    repost = client.post(url, {"text_does_well": "second"})
    assert repost.status_code == 410 and Answer.objects.count() == 1


def test_bad_answer_shows_the_problems_and_keeps_the_input(client, org, asked):
    _, tokens = asked
    url = reverse("feedback:answer", args=[tokens[org["ann"].email]])
    response = client.post(url, {"text_does_well": "x" * 4001, "rating_coding": "4"})
    html = response.content.decode()
    assert response.status_code == 400 and "the limit is 4000" in html
    assert 'value="4" checked' in html and not Answer.objects.exists()


@pytest.mark.parametrize("case,status,words", [
    ("unknown", 404, "not valid"), ("revoked", 410, "withdrawn"), ("expired", 410, "expired"),
    ("closed", 410, "closed"),
])  # fmt: skip
def test_unusable_link_pages(client, org, asked, case, status, words):
    req, tokens = asked
    token = tokens[org["ann"].email]
    invite = Invite.objects.get(email=org["ann"].email)
    if case == "unknown":
        token = token[::-1]
    elif case == "revoked":
        actions.revoke_invite(req, invite.pk)
    elif case == "expired":
        Invite.objects.filter(pk=invite.pk).update(expires_at=invite.sent_at)
    else:
        actions.close_request(req)
    for response in (client.get(reverse("feedback:answer", args=[token])),
                     client.post(reverse("feedback:answer", args=[token]), {"rating_coding": "3"})):  # fmt: skip
        assert response.status_code == status and words in response.content.decode()
    assert not Answer.objects.exists()


def test_results_appear_at_k_without_names_or_order(client, org, asked):
    req, tokens = asked
    login(client, org["dev"])
    url = reverse("feedback:detail", args=[req.pk])
    _answer_all(org, tokens, ["ann", "ben"])
    html = client.get(url).content.decode()
    section = _results_section(html)
    assert "Results appear once 3 colleagues have answered" in section and "words-of" not in html
    assert '<dd id="answer-count">0</dd>' in html  # two answers, below k: the count does not move
    _answer_all(org, tokens, ["cat"])
    html = client.get(url).content.decode()
    section = _results_section(html)
    for name in ("ann", "ben", "cat"):
        assert f"words-of-{name}" in section
    assert "4.0" in section  # mean of 3, 4, 5
    for person in (org["ann"], org["ben"], org["cat"], org["dov"]):
        assert person.name not in html and person.email not in html
    texts = re.findall(r"words-of-(\w+)", section)
    assert sorted(texts) == ["ann", "ben", "cat"]
    assert "design" not in section.lower() or "too few" in section  # nobody rated design


def test_a_fourth_answer_changes_nothing_that_is_revealed(client, org, asked):
    req, tokens = asked
    login(client, org["dev"])
    _answer_all(org, tokens, ["ann", "ben", "cat"])
    page_before = _results_section(client.get(reverse("feedback:detail", args=[req.pk])).content.decode())
    api_before = client.get(f"/api/feedback/requests/{req.pk}").json()
    _answer_all(org, tokens, ["dov"])
    page_after = _results_section(client.get(reverse("feedback:detail", args=[req.pk])).content.decode())
    api_after = client.get(f"/api/feedback/requests/{req.pk}").json()
    assert page_after == page_before
    assert "words-of-dov" not in page_after
    assert api_after == api_before  # not even a count moves: the fourth answer's arrival is invisible
    actions.close_request(req)  # closing does not release a last batch below k either
    assert "words-of-dov" not in client.get(reverse("feedback:detail", args=[req.pk])).content.decode()


@pytest.mark.parametrize("viewer,status", [
    ("dev2", 403),  # a peer
    ("boss", 403),  # the skip-level manager
    ("stranger", 404),  # another organisation
    ("lead", 403),  # the direct manager without consent
    ("ann", 403),  # a respondent
])  # fmt: skip
def test_only_the_subject_opens_the_results(client, org, asked, viewer, status):
    req, tokens = asked
    _answer_all(org, tokens, ["ann", "ben", "cat"])
    login(client, org[viewer])
    for name in ("detail", "respondents", "share", "calibration"):
        response = client.get(reverse(f"feedback:{name}", args=[req.pk]))
        assert response.status_code == status, name
        assert "words-of" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_login(client, asked):
    req, _ = asked
    response = client.get(reverse("feedback:detail", args=[req.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_manager_with_consent_sees_only_the_shared_subset(client, org, asked):
    req, tokens = asked
    for name, rating in (("ann", 3), ("ben", 4), ("cat", 5)):
        actions.submit_answer(tokens[org[name].email], {
            "ratings": {"coding": rating, "code_review": 6 - rating},
            "texts": {"does_well": f"praise-{name}", "stop": f"stop-{name}"},
        })  # fmt: skip
    login(client, org["dev"])
    response = client.post(reverse("feedback:share", args=[req.pk]),
                           {"consent": "1", "activities": ["coding"], "texts": ["does_well"]})  # fmt: skip
    assert response.status_code == 302
    login(client, org["lead"])
    html = client.get(reverse("feedback:detail", args=[req.pk])).content.decode()
    assert "Feedback Dee Dev shares with you" in html
    assert "Writing code" in html and "Code review" not in html
    assert all(f"praise-{n}" in html for n in ("ann", "ben", "cat"))
    assert "stop-" not in html
    data = client.get(f"/api/feedback/requests/{req.pk}").json()
    assert data["shared"] is True and [a["key"] for a in data["results"]["activities"]] == ["coding"]
    assert list(data["results"]["texts"]) == ["does_well"] and "progress" not in data
    # The manager cannot change what is shared, nor open the subject's own pages.
    assert client.post(reverse("feedback:share", args=[req.pk]), {"consent": "1"}).status_code == 403
    assert client.get(reverse("feedback:calibration", args=[req.pk])).status_code == 403
    # The skip-level manager still sees nothing, and withdrawing consent closes the view again.
    set_share(org["dev"], Kind.FEEDBACK, Relation.MANAGER, False)
    assert client.get(reverse("feedback:detail", args=[req.pk])).status_code == 403


def test_sharing_an_item_without_results_is_refused(client, org, asked):
    req, tokens = asked
    _answer_all(org, tokens, ["ann", "ben", "cat"])
    login(client, org["dev"])
    response = client.post(
        reverse("feedback:share", args=[req.pk]), {"consent": "1", "activities": ["design"]}
    )
    assert response.status_code == 400 and "has no released results to share" in response.content.decode()


def test_request_form_sends_invitations(client, org):
    login(client, org["dev"])
    page = client.get(reverse("feedback:new"))
    assert (
        page.status_code == 200
        and "Ann Ash" in page.content.decode()
        and "Sta Stranger" not in page.content.decode()
    )
    start = len(mail.outbox)
    response = client.post(reverse("feedback:new"), {
        "people": [org["ann"].pk, org["ben"].pk], "emails": "friend@elsewhere.test", "k": "3",
        "activities": ["coding", "design"],
    })  # fmt: skip
    req = FeedbackRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("feedback:detail", args=[req.pk])
    # The outside address waits for the manager's approval: no link yet.
    assert sorted(tokens_in_outbox(start)) == sorted([org["ann"].email, org["ben"].email])
    assert req.invites.get(email="friend@elsewhere.test").approval == Invite.Approval.PENDING
    assert req.activities == ["coding", "design"]


@pytest.mark.parametrize("data,message", [
    ({"emails": "a@x.test b@x.test", "k": "2"}, "must be at least 3"),
    ({"emails": "a@x.test b@x.test dee.dev@acme.test", "k": "3"}, "cannot be their own respondent"),
    ({"emails": "a@x.test", "k": "3"}, "ask at least 3 different people"),
    ({"emails": "a@x.test b@x.test c@x.test", "k": "3", "due": "soon"}, "not a date"),
])  # fmt: skip
def test_request_form_errors(client, org, data, message):
    login(client, org["dev"])
    response = client.post(reverse("feedback:new"), {"activities": ["coding"], **data})
    assert response.status_code == 400 and message in response.content.decode()
    assert not FeedbackRequest.objects.exists()


def test_colleague_from_another_organisation_cannot_be_picked(client, org):
    login(client, org["dev"])
    response = client.post(reverse("feedback:new"), {"people": [org["stranger"].pk], "emails": "a@x.test b@x.test",
                                                     "activities": ["coding"]})  # fmt: skip
    assert response.status_code == 400 and not FeedbackRequest.objects.exists()


def test_respondents_page_shows_who_was_asked_but_never_who_answered(client, org, asked):
    req, tokens = asked
    login(client, org["dev"])
    before = client.get(reverse("feedback:respondents", args=[req.pk])).content.decode()
    _answer_all(org, tokens, ["ann"])
    after = client.get(reverse("feedback:respondents", args=[req.pk])).content.decode()

    def table(html):  # without the per-response CSRF token
        found = re.search(r'<table id="respondents">.*?</table>', html, re.S).group(0)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", found)

    assert "Ann Ash" in after and table(before) == table(after)
    invite = Invite.objects.get(email=org["ann"].email)
    response = client.post(reverse("feedback:revoke", args=[req.pk, invite.pk]), follow=True)
    assert "no longer works" in response.content.decode()
    reminded = client.post(reverse("feedback:remind", args=[req.pk]), follow=True).content.decode()
    assert "went to everyone who has not answered" in reminded and not re.search(
        r"\d+ (people|reminders)", reminded
    )


def test_my_requests_and_team_cycle_show_counts(client, org, asked):
    req, tokens = asked
    _answer_all(org, tokens, ["ann", "ben"])
    login(client, org["dev"])
    html = client.get(reverse("feedback:index")).content.decode()
    assert re.search(r"<td>4</td>\s*<td>0 <span", html)  # 2 answers below k: nothing released
    login(client, org["lead"])
    response = client.post(reverse("feedback:team"), {"due": ""})
    assert response.status_code == 302
    cycle = org["lead"].feedback_cycles.get()
    req.cycle = cycle
    req.save(update_fields=["cycle"])
    html = client.get(reverse("feedback:team")).content.decode()
    assert "1 of 2 have asked colleagues; 4 colleagues asked, 0 answers in released results" in html
    assert "words-of" not in html and "not shared" in html
    login(client, org["dev2"])
    pending = client.get(reverse("feedback:index")).content.decode()
    assert f"?cycle={cycle.pk}" in pending
