"""What review load adds to the lower apps: review-based successors in the code app's "what if X leaves", and the
early-warning signal on the workload pages; and the profile-week suggestion."""

from __future__ import annotations

import pytest

from pathcraft.code.tests.gitfactory import RepoBuilder
from pathcraft.code.tests.scenarios import analysed, login, org_with_lead
from pathcraft.paths.actions import latest_snapshot, save_profile
from pathcraft.paths.profile import ActivityAnswer, Profile
from pathcraft.reviews.actions import store_review_events
from pathcraft.reviews.models import WeekSuggestion
from pathcraft.reviews.tests.scenarios import core_reviews, event

pytestmark = pytest.mark.django_db


@pytest.fixture
def o(tmp_path):
    """Dee authors core/, Lee ops/; Dan never commits to core/ but reviewed four of Dee's changes there."""
    o = org_with_lead()
    git = RepoBuilder(tmp_path / "repo")
    git.commit(f"Lee Lead <{o['lead'].email}>", {"ops/deploy.py": "d\n"})
    git.commit(f"Dee Dev <{o['dev'].email}>", {"core/a.py": "a\n", "core/b.py": "b\n"})
    o["repo"] = analysed(o["team"], git)
    store_review_events(o["repo"], [event(o["dev2"], o["dev"], n, paths=("core/a.py",)) for n in range(4)]
                        + [event(o["lead"], o["dev"], 9, paths=("core/b.py",))])  # fmt: skip
    return o


def simulate(client, o, viewer, leaver) -> str:
    response = login(client, o[viewer]).post(f"/code/repositories/{o['repo'].pk}/leave/", {"person": o[leaver].pk},
                                             HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200
    return response.content.decode()


def test_reviewers_of_a_module_they_do_not_author_are_offered_as_successors(client, o):
    html = simulate(client, o, "lead", "dev")
    assert "core/a.py" in html and 'data-from="reviews"' in html
    # Lee (the manager) sees the counts: Dan reviewed 4 changes to core/, Lee 1; both are offered
    assert (
        f'<a href="/code/people/{o["dev2"].pk}/">Dan Dev</a> <span class="muted">reviewed 4 changes</span>'
        in html
    )
    assert "reviewed 1 change<" in html


def test_a_peer_sees_the_review_successors_named_but_not_their_review_counts(client, o):
    html = simulate(client, o, "other", "dev")
    assert 'data-from="reviews"' in html and "Dan Dev" in html
    assert "reviewed 4 changes" not in html


def test_a_leaver_is_never_their_own_review_successor(client, o):
    html = simulate(client, o, "lead", "dev2")  # Dan authors nothing: nothing is orphaned, nothing offered
    assert 'Dan Dev</a> <span class="muted">reviewed' not in html


def test_the_sustained_review_share_is_an_early_warning_signal_on_the_workload_pages(client, o):
    core_reviews(o)
    own = login(client, o["dev"]).get("/workload/").content.decode()
    assert 'data-signal="review_share"' in own and "A large share of the team&#x27;s reviews" in own
    manager = login(client, o["lead"]).get(f"/workload/people/{o['dev'].pk}/").content.decode()
    assert 'data-signal="review_share"' in manager
    team = login(client, o["lead"]).get("/workload/team/").content.decode()
    assert team.count('data-signal="review_share"') >= 1
    quiet = login(client, o["dev2"]).get("/workload/").content.decode()
    assert 'data-signal="review_share"' not in quiet


def test_a_peer_still_cannot_open_a_colleagues_workload_page(client, o):
    core_reviews(o)
    assert login(client, o["dev2"]).get(f"/workload/people/{o['dev'].pk}/").status_code == 403


def suggestion_page(client, o, viewer="dev") -> str:
    return login(client, o[viewer]).get(f"/reviews/people/{o['dev'].pk}/").content.decode()


def test_many_review_hours_are_suggested_for_the_profile_week_and_accepting_saves_them(client, o):
    core_reviews(o, weeks=8)  # Dee gives 6 reviews a week for 8 weeks: 6 x 30 min = 3 h a week
    save_profile(o["dev"], Profile(answers={"coding": ActivityAnswer("coding", 20.0, 4, 1)}))
    html = suggestion_page(client, o)
    assert 'id="week-suggestion"' in html and "about <strong>3 h</strong>" in html
    assert 'id="week-suggestion"' not in suggestion_page(
        client, o, "lead"
    )  # the manager cannot accept for her
    response = client.post(f"/reviews/people/{o['dev'].pk}/week/", {"hours": "3", "decision": "accept"})
    assert response.status_code == 403
    login(client, o["dev"]).post(f"/reviews/people/{o['dev'].pk}/week/", {"hours": "3", "decision": "accept"})
    profile = latest_snapshot(o["dev"]).profile
    assert profile.answers["code_review"].hours == 3.0 and profile.answers["coding"].hours == 20.0
    assert 'id="week-suggestion"' not in suggestion_page(client, o)  # the profile now says 3 h


def test_a_dismissed_suggestion_stays_away_until_the_estimate_changes(client, o):
    core_reviews(o, weeks=8)
    login(client, o["dev"]).post(
        f"/reviews/people/{o['dev'].pk}/week/", {"hours": "3", "decision": "dismiss"}
    )
    assert WeekSuggestion.objects.get(person=o["dev"]).decision == "dismissed"
    assert latest_snapshot(o["dev"]) is None
    assert 'id="week-suggestion"' not in suggestion_page(client, o)


@pytest.mark.parametrize("hours", ["", "abc", "0", "500"], ids=["empty", "text", "zero", "too-many"])
def test_a_bad_hours_answer_is_one_message_and_changes_nothing(client, o, hours):
    core_reviews(o)
    response = login(client, o["dev"]).post(f"/reviews/people/{o['dev'].pk}/week/",
                                            {"hours": hours, "decision": "accept"}, follow=True)  # fmt: skip
    assert response.status_code == 200 and 'class="messages' in response.content.decode()
    assert latest_snapshot(o["dev"]) is None and not WeekSuggestion.objects.exists()


def test_the_workload_page_shows_the_persons_review_share_to_them_and_their_manager(client, o):
    core_reviews(o)
    own = login(client, o["dev"]).get("/workload/").content.decode()
    assert 'id="review-summary"' in own and "36 of the Core team's 53 (68%" in own  # 48 + the fixture's 5
    manager = login(client, o["lead"]).get(f"/workload/people/{o['dev'].pk}/").content.decode()
    assert 'id="review-summary"' in manager
    boss = login(client, o["boss"]).get(f"/workload/people/{o['dev'].pk}/")
    assert boss.status_code == 403 and b"review-summary" not in boss.content
    nothing = login(client, o["other"]).get("/workload/").content.decode()  # no reviews: no section
    assert 'id="review-summary"' not in nothing


def test_the_career_page_offers_the_review_hours_to_the_person_and_accepting_comes_back_to_it(client, o):
    core_reviews(o, weeks=8)
    save_profile(o["dev"], Profile(answers={"coding": ActivityAnswer("coding", 20.0, 4, 1)}))
    url = f"/paths/people/{o['dev'].pk}/"
    html = login(client, o["dev"]).get(url).content.decode()
    assert 'id="week-suggestion"' in html and f'name="next" value="{url}"' in html
    response = client.post(
        f"/reviews/people/{o['dev'].pk}/week/", {"hours": "3", "decision": "accept", "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url
    assert latest_snapshot(o["dev"]).profile.answers["code_review"].hours == 3.0
    assert 'id="week-suggestion"' not in client.get(url).content.decode()


def test_the_career_page_of_someone_else_offers_nothing(client, o):
    core_reviews(o, weeks=8)
    save_profile(o["dev"], Profile(answers={"coding": ActivityAnswer("coding", 20.0, 4, 1)}))
    from pathcraft.people.permissions import set_share

    set_share(o["dev"], "career", "manager", True)
    response = login(client, o["lead"]).get(f"/paths/people/{o['dev'].pk}/")
    assert response.status_code == 200 and 'id="week-suggestion"' not in response.content.decode()


def test_a_decision_never_redirects_off_the_site(client, o):
    core_reviews(o, weeks=8)
    response = login(client, o["dev"]).post(f"/reviews/people/{o['dev'].pk}/week/",
                                            {"hours": "3", "decision": "dismiss", "next": "https://evil.example/"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == f"/reviews/people/{o['dev'].pk}/"


def test_the_team_health_page_says_when_reviews_are_unevenly_spread(client, o):
    core_reviews(o)  # Lee's team: Lee, Dee, Dan; Dee gives 36 of the 48 + 5 reviews
    html = login(client, o["lead"]).get("/workload/team/").content.decode()
    assert 'data-signal="team_review_spread"' in html and "Reviews are unevenly spread" in html
    assert "One person (Dee Dev) gives" in html


def test_an_even_spread_raises_no_team_signal(client, o):
    from pathcraft.reviews.models import ReviewRecord

    ReviewRecord.objects.all().delete()
    store_review_events(o["repo"], [event(a, b, n, w) for w in range(4) for n, (a, b) in enumerate(
        [(o["dev"], o["lead"]), (o["dev2"], o["dev"]), (o["lead"], o["dev2"])] * 2)])  # fmt: skip
    html = login(client, o["lead"]).get("/workload/team/").content.decode()
    assert 'data-signal="team_review_spread"' not in html and 'data-signal="review_share"' not in html
