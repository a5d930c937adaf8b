"""Storing a repository's review events: replace or incremental, idempotent, self-reviews left out."""

from __future__ import annotations

import pytest

from pathcraft.errors import InputError
from pathcraft.people.tests.factories import small_org
from pathcraft.reviews.actions import INCREMENTAL, REPLACE, identity_key, store_review_events
from pathcraft.reviews.events import Identity
from pathcraft.reviews.models import ReviewImport, ReviewRecord
from pathcraft.reviews.tests.scenarios import event, repository

pytestmark = pytest.mark.django_db


@pytest.fixture
def o():
    o = small_org()
    o["repo"] = repository(o["team"])
    return o


def stored(repo) -> set[tuple]:
    return set(ReviewRecord.objects.filter(repository=repo).values_list("change_id", "reviewer_key", "kind"))


@pytest.mark.parametrize("mode", [REPLACE, INCREMENTAL])
def test_storing_the_same_events_twice_changes_nothing(o, mode):
    events = [event(o["dev"], o["lead"], n) for n in range(3)]
    first = store_review_events(o["repo"], events, mode)
    before = stored(o["repo"])
    again = store_review_events(o["repo"], events, mode)
    assert stored(o["repo"]) == before and len(before) == 3
    assert (first.events, first.added) == (3, 3)
    assert (again.events, again.added) == (3, 0 if mode == INCREMENTAL else 3)
    assert ReviewImport.objects.get(repository=o["repo"]).mode == mode


def test_replace_drops_events_no_longer_reported_and_incremental_keeps_them(o):
    store_review_events(o["repo"], [event(o["dev"], o["lead"], n) for n in range(3)])
    store_review_events(o["repo"], [event(o["dev"], o["lead"], 5)], INCREMENTAL)
    assert {c for c, _, _ in stored(o["repo"])} == {"c0-0", "c0-1", "c0-2", "c0-5"}
    store_review_events(o["repo"], [event(o["dev"], o["lead"], 5)], REPLACE)
    assert {c for c, _, _ in stored(o["repo"])} == {"c0-5"}


def test_the_same_review_listed_twice_is_stored_once_and_a_self_review_not_at_all(o):
    events = [event(o["dev"], o["lead"], 1), event(o["dev"], o["lead"], 1), event(o["dev"], o["dev"], 2)]
    state = store_review_events(o["repo"], events)
    assert state.events == 1


def test_two_kinds_or_two_reviewers_of_one_change_are_two_events(o):
    events = [event(o["dev"], o["lead"], 1, change_id="abc"), event(o["dev2"], o["lead"], 1, change_id="abc"),
              event(o["dev"], o["lead"], 1, change_id="abc", kind="acked-by")]  # fmt: skip
    assert store_review_events(o["repo"], events).events == 3


def test_events_of_another_repository_are_left_alone(o):
    other = repository(o["team"], "other")
    store_review_events(other, [event(o["dev"], o["lead"], 1)])
    store_review_events(o["repo"], [event(o["dev2"], o["lead"], 1)])
    store_review_events(o["repo"], [], REPLACE)
    assert len(stored(other)) == 1 and stored(o["repo"]) == set()


@pytest.mark.parametrize(
    ("identity", "key"),
    [(Identity("Ann", " Ann@X.test "), "ann@x.test"), (Identity("Ann", "", "AnnGH"), "login:anngh"),
     (Identity("Ann  Bell"), "name:ann bell")],
    ids=["email", "login", "name"],
)  # fmt: skip
def test_identity_keys(identity, key):
    assert identity_key(identity) == key


def test_bad_input_is_one_clear_error_and_stores_nothing(o):
    store_review_events(o["repo"], [event(o["dev"], o["lead"], 1)])
    with pytest.raises(InputError, match="store mode must be"):
        store_review_events(o["repo"], [], "merge")
    with pytest.raises(InputError, match="names nobody"):
        store_review_events(o["repo"], [event(Identity(""), o["lead"], 2)])
    with pytest.raises(InputError, match="expected review events, not dict"):
        store_review_events(o["repo"], [{"reviewer": "x"}])
    assert len(stored(o["repo"])) == 1
