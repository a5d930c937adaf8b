"""The demo's reviews: Reviewed-by trailers in the generated repository, read back into review events."""

from __future__ import annotations

from collections import Counter

import pytest

from pathcraft.code.demorepo import Author, build_demo_repository
from pathcraft.errors import InputError
from pathcraft.reviews.demo import trailer_events

PEOPLE = [Author(n, f"{n.lower()}@x.test") for n in ("Sven", "Rosa", "Ann", "Bo", "Cy", "Di", "Ed", "Sam")]


def build(path, reviewers=PEOPLE):
    return build_demo_repository(
        path, PEOPLE[0], PEOPLE[1], PEOPLE[2:5], manager=PEOPLE[7], reviewers=reviewers
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "repo"
    head = build(path)
    return {"path": path, "head": head, "events": trailer_events(str(path))}


def test_every_persons_commit_has_one_reviewer_who_is_not_its_author(built):
    events = built["events"]
    assert len(events) == len({e.change_id for e in events}) > 200
    assert all(e.reviewer.email != e.author.email for e in events)
    assert all(e.kind == "reviewed-by" and e.paths and e.at.tzinfo is not None for e in events)
    assert "Priya Lindqvist" not in {e.author.name for e in events}  # the former contributor's era has none


def test_the_specialist_gives_most_reviews_and_the_second_most_of_his(built):
    given = Counter(e.reviewer.name for e in built["events"])
    total = sum(given.values())
    (first, n1), (second, n2) = given.most_common(2)
    assert (first, second) == ("Sven", "Rosa")
    assert 0.40 < n1 / total < 0.55 and 0.65 < (n1 + n2) / total < 0.85
    of_sven = Counter(e.reviewer.name for e in built["events"] if e.author.name == "Sven")
    assert of_sven.most_common(1)[0][0] == "Rosa"


def test_trailers_are_reproducible_and_change_no_file_or_time(built, tmp_path):
    assert build(tmp_path / "again") == built["head"]
    plain = build_demo_repository(tmp_path / "plain", PEOPLE[0], PEOPLE[1], PEOPLE[2:5], manager=PEOPLE[7])
    assert trailer_events(str(tmp_path / "plain")) == []
    import subprocess

    def tree_and_times(path):
        out = subprocess.run(
            ["git", "-C", str(path), "log", "--format=%T %at %an"], capture_output=True, text=True
        )
        return out.stdout

    assert plain != built["head"] and tree_and_times(tmp_path / "plain") == tree_and_times(built["path"])


def test_too_few_reviewers_is_an_error(tmp_path):
    with pytest.raises(InputError, match="at least three reviewers"):
        build(tmp_path / "r", reviewers=PEOPLE[:2])
