"""Calibration through the page and the API, on answers whose outcome is worked out by hand.

t(90%, 5 df) = 2.015 and t(90%, 2 df) = 2.920 (NIST TN 1297, Table B.1); half-width = t * s / sqrt(n),
with s never below sqrt(1/12) = 0.289.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from pathcraft.feedback import actions
from pathcraft.feedback.tests.conftest import approve_outside, login, tokens_in_outbox

pytestmark = pytest.mark.django_db

ACTIVITIES = ["coding", "code_review", "design", "testing", "writing", "planning"]
N = "not_seen"
# One column per respondent.
SIX = {
    "code_review": [
        5,
        5,
        5,
        5,
        4,
        5,
    ],  # mean 4.83, s 0.41, half-width 0.34; self 3 -> hidden strength, 6 ratings
    "writing": [2, 2, 3, 2, 2, 2],  # mean 2.17; self 4 -> blind spot
    "coding": [4, 4, 4, 4, 4, 4],  # mean 4; self 4 -> aligned
    "design": [2, 5, 1, 5, 2, 5],  # mean 3.33, s 1.86, half-width 1.53; self 2, gap 1.33 -> unclear
    "testing": [3, 4, N, N, N, N],  # 2 ratings < k -> too few
    "planning": [3, 3, 3, 3, 3, 3],  # no self-rating
}
SELF = {"code_review": 3, "writing": 4, "coding": 4, "design": 2, "testing": 3}
EXPECTED_SIX = {
    "code_review": ("hidden_strength", "consistent"),
    "writing": ("blind_spot", "consistent"),
    "coding": ("aligned", None),
    "design": ("unclear", None),
    "testing": ("too_few_ratings", None),
    "planning": ("no_self_rating", None),
}


def _request(org, columns: dict[str, list], close: bool = True):
    count = len(next(iter(columns.values())))
    start = len(mail.outbox)
    req = actions.create_request(
        org["dev"], [f"r{i}@elsewhere.test" for i in range(count)], activities=ACTIVITIES
    )
    approve_outside(req)
    for i, token in enumerate(tokens_in_outbox(start).values()):
        actions.submit_answer(token, {"ratings": {a: values[i] for a, values in columns.items()}})
    if close:
        actions.close_request(req)
    return req


def test_known_cases_through_the_api(client, org):
    req = _request(org, SIX)
    login(client, org["dev"])
    response = client.put(
        f"/api/feedback/requests/{req.pk}/self-ratings", {"ratings": SELF}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    items = {
        i["activity"]: i for i in client.get(f"/api/feedback/requests/{req.pk}/calibration").json()["items"]
    }
    assert {a: (i["kind"], i["certainty"]) for a, i in items.items()} == EXPECTED_SIX
    assert items["code_review"]["peer_mean"] == pytest.approx(29 / 6) and items["code_review"]["n"] == 6
    assert items["code_review"]["gap"] == pytest.approx(29 / 6 - 3)
    assert items["design"]["interval"][0] == pytest.approx(3.333 - 1.532, abs=0.01)
    assert items["testing"]["peer_mean"] is None  # an unreleased item gives no figures at all


def test_three_ratings_are_only_a_tentative_sign(client, org):
    # code_review [5,5,5]: s floored to 0.289, half-width 2.92*0.289/1.73 = 0.49; self 3 -> gap 2
    # writing [4,4,5]: mean 4.33, s 0.58, half-width 0.97; self 4 -> gap 0.33 < 0.5 -> aligned
    # design [2,4,5]: mean 3.67, s 1.53, half-width 2.57; self 2 -> gap 1.67 inside -> unclear
    req = _request(org, {"code_review": [5, 5, 5], "writing": [4, 4, 5], "design": [2, 4, 5]}, close=False)
    actions.set_self_ratings(req, {"code_review": 3, "writing": 4, "design": 2})
    login(client, org["dev"])
    items = {
        i["activity"]: i for i in client.get(f"/api/feedback/requests/{req.pk}/calibration").json()["items"]
    }
    assert (items["code_review"]["kind"], items["code_review"]["certainty"]) == (
        "hidden_strength",
        "tentative",
    )
    assert items["writing"]["kind"] == "aligned" and items["design"]["kind"] == "unclear"
    assert "with only 3 ratings this is a tentative sign" in items["code_review"]["sentence"]


def test_calibration_page_shows_sentences_and_saves_self_ratings(client, org):
    req = _request(org, SIX)
    login(client, org["dev"])
    url = reverse("feedback:calibration", args=[req.pk])
    before = client.get(url).content.decode()
    assert "You have not rated your code review yourself" in before
    response = client.post(url, {f"self_{a}": str(v) for a, v in SELF.items()})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "Possible hidden strengths (colleagues rate you higher than you do): code review." in html
    assert (
        "Possible blind spots (you rate yourself higher than colleagues do): documentation and writing."
        in html
    )
    assert "6 colleagues rated your code review higher than you did (mean 4.8 vs your 3)" in html
    assert "Too few colleagues rated your testing" in html
    bad = client.post(url, {"self_coding": "9"})
    assert bad.status_code == 400 and "use a whole number from 1 to 5" in bad.content.decode()


def test_profile_ratings_are_used_when_the_paths_app_provides_them(org, monkeypatch):
    from pathcraft.feedback import results, sources

    req = _request(org, SIX)
    monkeypatch.setattr(
        sources, "profile_self_ratings", lambda person: {"code_review": 3, "writing": 4, "hiring": 2}
    )
    kinds = {i.activity: i.kind for i in results.calibration_for(req).items}
    assert kinds["code_review"] == "hidden_strength" and kinds["writing"] == "blind_spot"
    actions.set_self_ratings(req, {"code_review": 5})  # entered on the page: overrides the profile
    kinds = {i.activity: i.kind for i in results.calibration_for(req).items}
    assert kinds["code_review"] == "aligned" and "hiring" not in kinds
    monkeypatch.undo()
    assert sources.profile_self_ratings(org["dev"]) == {}  # no profile stored for Dee


def test_self_ratings_come_from_the_newest_career_profile(org):
    import datetime as dt

    from django.apps import apps

    from pathcraft.feedback import results

    snapshots = apps.get_model("paths", "ProfileSnapshot")
    for day, skill in ((1, 5), (2, 3)):  # the newer profile wins
        snapshots.objects.create(person=org["dev"], taken_on=dt.date(2026, 11, day), data={
            "pathcraft_profile": 1, "activities": {"code_review": {"hours": 3, "skill": skill}, "coding": {"hours": 9}},
        })  # fmt: skip
    req = _request(org, SIX)
    assert results.self_ratings(req) == {"code_review": 3}
    assert {i.activity: i.kind for i in results.calibration_for(req).items}[
        "code_review"
    ] == "hidden_strength"
