"""The team review load page and a person's review page: figures, who may see what, constant query counts."""

from __future__ import annotations

import pytest

from pathcraft.code.tests.scenarios import login
from pathcraft.people.tests.factories import make_person, small_org
from pathcraft.reviews.actions import store_review_events
from pathcraft.reviews.tests.scenarios import (
    PERSON_VIEWER_IDS,
    PERSON_VIEWERS,
    core_reviews,
    event,
    repository,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def o():
    o = small_org()
    o["repo"] = core_reviews(o)
    return o


def as_(client, o, viewer):
    return login(client, "root" if viewer == "admin" else o[viewer])


def team_page(client, o, viewer, team=None):
    return as_(client, o, viewer).get(f"/reviews/teams/{team or o['team'].slug}/")


def test_the_lead_sees_shares_gini_the_sentence_and_the_flagged_reviewer(client, o):
    response = team_page(client, o, "lead")
    assert response.status_code == 200
    html = response.content.decode()
    # 6 weeks x 8 reviews: Dee 36 (75%), Dan 6, Lee 6 of 48; equal share 33%
    assert "One person (Dee Dev) gives 75% of the reviews." in html
    assert f'data-person="{o["dev"].pk}" data-flagged="1"' in html
    assert "<svg" in html and 'class="review-shares"' in html and 'class="review-trend"' in html
    # G = sum|xi-xj| / (2 n^2 mean) = (30+30+30+30) / (2*9*16) = 0.42; normalised x 3/2 = 0.625, shown 0.63
    assert "0.42 (normalised 0.63;" in html
    assert "most loaded" in html


def test_a_member_sees_the_aggregate_and_only_their_own_row(client, o):
    html = team_page(client, o, "dev2").content.decode()
    assert "One person gives 75% of the reviews." in html  # the top reviewer is not named to a peer
    assert "Dee Dev" not in html and "Lee Lead" not in html
    assert f'data-person="{o["dev2"].pk}"' in html
    assert "2 colleagues whose load you do not see" in html


@pytest.mark.parametrize(("viewer", "status"), [("other", 403), ("lead2", 403), ("stranger", 404)])
def test_people_outside_the_team_and_its_management_cannot_open_it(client, o, viewer, status):
    assert team_page(client, o, viewer).status_code == status


def test_a_team_of_another_organisation_is_not_found(client, o):
    from pathcraft.people.tests.factories import make_team

    foreign = make_team(o["stranger"].organisation, "foreign")
    assert team_page(client, o, "lead", team=foreign.slug).status_code == 404
    assert team_page(client, o, "lead", team=str(foreign.pk)).status_code == 404


def person_page(client, o, viewer, subject):
    return as_(client, o, viewer).get(f"/reviews/people/{o[subject].pk}/")


@pytest.mark.parametrize(("viewer", "status"), PERSON_VIEWERS, ids=PERSON_VIEWER_IDS)
def test_a_persons_review_share_is_theirs_and_their_managers(client, o, viewer, status):
    response = person_page(client, o, viewer, "dev")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "36 of the Core team's 48 (75%; an equal share is 33%)" in html
        assert "far above an equal share" in html and 'id="review-signal"' in html


def test_the_person_page_turnaround_and_outside_hours(client, o):
    repo = repository(o["team"], "forge")
    requested = event(o["dev2"], o["lead"], 0).at
    store_review_events(repo, [
        event(o["dev2"], o["lead"], 120, change_id="gh#1", requested_at=requested, source="github"),
        event(o["dev2"], o["lead"], 60 * 13, change_id="gh#2", requested_at=requested, source="github"),
    ])  # fmt: skip
    html = person_page(client, o, "dev2", "dev2").content.decode()
    # 2 h and 13 h after the request (median 7.5 h); 23:00 UTC is outside Dan's 09:00-17:00 UTC
    assert "median 7.5 h, 90th percentile 13.0 h over 2 requested reviews" in html
    assert "1 of 8 reviews (09:00–17:00, UTC)" in html


def make_team_of(o, size: int):
    """A team of SIZE under Lou Lead, each giving and receiving reviews."""
    from pathcraft.people.tests.factories import make_team

    team = make_team(o["org"], f"big{size}")
    team.lead = o["lead2"]
    team.save()
    people = [make_person(o["org"], f"Member{size} {n}", manager=o["lead2"], team=team) for n in range(size)]
    repo = repository(team, f"big{size}")
    events = [event(people[n], people[(n + 1) % size], n * 10 + k, k) for n in range(size) for k in range(3)]
    store_review_events(repo, events)
    return team, people


@pytest.mark.parametrize("size", [3, 12])
def test_the_team_page_query_count_does_not_grow_with_the_team(
    client, o, size, django_assert_max_num_queries
):
    team, _ = make_team_of(o, size)
    login(client, o["lead2"])
    with django_assert_max_num_queries(16):
        response = client.get(f"/reviews/teams/{team.slug}/")
    assert response.status_code == 200 and f"Member{size} {size - 1}" in response.content.decode()


@pytest.mark.parametrize("size", [3, 12])
def test_the_person_page_query_count_does_not_grow_with_the_team(
    client, o, size, django_assert_max_num_queries
):
    _, people = make_team_of(o, size)
    login(client, o["lead2"])
    # 15 since the permission core is set-wise: the manager chain is one recursive query, asked by the view and
    # again by the presenter (constant at both sizes; CaptureQueriesContext tests below compare the two).
    with django_assert_max_num_queries(15):
        response = client.get(f"/reviews/people/{people[0].pk}/")
    assert response.status_code == 200 and "3 of the" in response.content.decode()


def test_the_index_sends_a_member_to_their_team(client, o):
    response = login(client, o["dev"]).get("/reviews/")
    assert response.status_code == 302 and response["Location"] == f"/reviews/teams/{o['team'].slug}/"


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen.captured_queries)


def test_both_pages_make_the_same_number_of_queries_for_a_team_of_3_and_of_12(client, o):
    small, small_people = make_team_of(o, 3)
    big, big_people = make_team_of(o, 12)
    login(client, o["lead2"])
    counts = {
        "team": (_queries(client, f"/reviews/teams/{small.slug}/"), _queries(client, f"/reviews/teams/{big.slug}/")),
        "person": (_queries(client, f"/reviews/people/{small_people[0].pk}/"),
                   _queries(client, f"/reviews/people/{big_people[0].pk}/")),
    }  # fmt: skip
    print("query counts (team of 3, team of 12):", counts)
    assert counts["team"][0] == counts["team"][1]
    assert counts["person"][0] == counts["person"][1]


@pytest.mark.parametrize(
    ("viewer", "linked"), [("dev", True), ("lead", True), ("dev2", False), ("boss", False)]
)
def test_the_directory_page_links_to_a_persons_reviews_only_for_those_who_may_open_them(
    client, o, viewer, linked
):
    html = as_(client, o, viewer).get(f"/people/{o['dev'].pk}/").content.decode()
    assert (f'href="/reviews/people/{o["dev"].pk}/"' in html) is linked


def test_someone_on_no_team_sees_their_own_reviews_without_a_team_share(client, o):
    store_review_events(repository(o["team"], "solo"), [event(o["other"], o["dev"], n, change_id=f"s{n}")
                                                         for n in range(3)])  # fmt: skip
    html = as_(client, o, "other").get(f"/reviews/people/{o['other'].pk}/").content.decode()
    assert "<dt>Reviews given</dt><dd>3</dd>" in html and "team's review load" not in html
    assert as_(client, o, "other").get("/reviews/").status_code == 200  # no team to send them to


def test_a_forge_login_counts_as_a_person_once_it_is_in_the_alias_table(client, o):
    from pathcraft.code.history import normalize_name
    from pathcraft.code.models import NameAlias
    from pathcraft.reviews.events import Identity

    gh = Identity("", login="dan-gh")
    store_review_events(repository(o["team"], "gh"), [event(gh, o["lead"], n, change_id=f"acme/svc#{n}",
                                                             source="github", kind="approved") for n in range(5)])  # fmt: skip
    before = as_(client, o, "lead").get(f"/api/reviews/people/{o['dev2'].pk}").json()["given"]
    NameAlias.objects.create(
        organisation=o["org"], person=o["dev2"], name="dan-gh", normalized=normalize_name("dan-gh")
    )
    after = as_(client, o, "lead").get(f"/api/reviews/people/{o['dev2'].pk}").json()["given"]
    assert (before, after) == (6, 11)
