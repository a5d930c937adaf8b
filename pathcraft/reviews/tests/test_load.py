"""Review load from events: counts, ISO weeks, turnaround, out-of-hours, team shares and Gini, module knowledge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from pathcraft.code.timing import WorkingHours
from pathcraft.reviews.events import Identity, ReviewEvent
from pathcraft.reviews.load import (
    iso_week,
    load_to_dict,
    resolve_reviewers,
    review_counts,
    review_knowledge,
    team_to_dict,
    weekly_load,
)
from pathcraft.reviews.shares import Review, team_load

ANA = Identity("Ana", "ana@example.com")
ANA_HOME = Identity("ana", "ana@home.example")  # the same person: names merge case-insensitively
BEN = Identity("Ben", "ben@example.com")
CAT = Identity("Cat", "cat@example.com")
BOT = Identity("renovate[bot]", "bot@example.com")


def event(reviewer, author, at, change, kind="reviewed-by", paths=(), requested=None):
    return ReviewEvent(reviewer, author, at, kind, change, tuple(paths), requested)


MONDAY = datetime(2024, 1, 8, 10, 0, tzinfo=UTC)  # ISO week 2024-W02


def test_one_review_per_reviewer_and_change_whatever_the_identity_or_kind():
    events = [
        event(ANA, BEN, MONDAY, "c1"),
        event(ANA_HOME, BEN, MONDAY, "c1", "tested-by"),
        event(ANA, BEN, MONDAY, "c2", "acked-by"),
        event(BEN, BEN, MONDAY, "c3"),  # self-review
        event(BOT, BEN, MONDAY, "c3"),  # bot
        event(CAT, ANA_HOME, MONDAY, "c4"),
    ]
    reviewers = resolve_reviewers(events)
    assert review_counts(events, reviewers) == {"ana@example.com": 2, "cat@example.com": 1}
    assert review_counts(events, reviewers, ["reviewed-by"]) == {"ana@example.com": 1, "cat@example.com": 1}
    assert review_counts(events, reviewers, exclude_self=False)["ben@example.com"] == 1
    assert reviewers.developer(BOT) is None


@pytest.mark.parametrize(
    ("at", "week"),
    [
        (datetime(2024, 12, 30, 9, tzinfo=UTC), "2025-W01"),  # a Monday that belongs to next year's week 1
        (datetime(2021, 1, 3, 9, tzinfo=UTC), "2020-W53"),
        (datetime(2024, 1, 7, 23, 30, tzinfo=timezone(timedelta(hours=-2))), "2024-W01"),  # local Sunday
    ],
    ids=["monday-next-year", "week-53", "local-sunday"],
)
def test_iso_weeks(at, week):
    assert iso_week(event(ANA, BEN, at, "c")) == week


def test_weekly_load_by_hand():
    events = [
        event(ANA, BEN, MONDAY, "c1", paths=["core/a.py"], requested=MONDAY - timedelta(hours=2)),
        event(ANA, BEN, MONDAY + timedelta(hours=1), "c1", "approved"),  # the same change again: one review
        event(ANA, CAT, MONDAY.replace(hour=21), "c2", paths=["web/x.js", "core/b.py"],
              requested=MONDAY.replace(hour=15)),
        event(BEN, ANA, MONDAY + timedelta(days=7), "c3"),  # next week
    ]  # fmt: skip
    rows = {(r.person, r.week): r.to_dict() for r in weekly_load(events, resolve_reviewers(events))}
    assert rows[("ana@example.com", "2024-W02")] == {
        "person": "ana@example.com",
        "name": "Ana",
        "week": "2024-W02",
        "given": 2,
        "received": 0,
        "people_reviewed": 2,
        "modules": ["core", "web"],
        "turnaround_hours_median": 4.0,  # median of 2 h and 6 h
        "out_of_hours": 1,  # 21:00 is outside the default office hours
    }
    assert rows[("ben@example.com", "2024-W02")]["received"] == 1
    assert rows[("ben@example.com", "2024-W03")]["given"] == 1
    assert rows[("ana@example.com", "2024-W03")]["received"] == 1


def test_out_of_hours_in_the_reviewers_own_zone_and_hours():
    events = [event(ANA, BEN, MONDAY.replace(hour=h), f"c{h}") for h in (6, 9, 17)]
    reviewers = resolve_reviewers(events)
    tokyo = timezone(timedelta(hours=9))  # 06:00, 09:00, 17:00 UTC are 15:00, 18:00, 02:00 in Tokyo
    (row,) = [r for r in weekly_load(events, reviewers, zones={"ana@example.com": tokyo}) if r.given]
    assert row.out_of_hours == 2
    early = WorkingHours(6, 14)
    (row,) = [r for r in weekly_load(events, reviewers, working_hours={"ana@example.com": early}) if r.given]
    assert row.out_of_hours == 1


@pytest.mark.parametrize(
    ("counts", "members", "gini", "summary"),
    [
        ({"a": 6, "b": 3, "c": 1}, None, 0.333, "One person (A) gives 60% of the reviews."),
        ({"a": 5, "b": 5}, ["a", "b", "c", "d"], 0.5, "One person (A) gives 50% of the reviews."),
        ({"a": 4, "b": 4, "c": 4}, None, 0.0, "Two people (A and B) give 67% of the reviews."),
    ],
    ids=["uneven", "two-of-four", "even"],
)
def test_team_by_hand_is_the_pages_team_load(counts, members, gini, summary):
    rows = [Review(who, "x", MONDAY.date()) for who, n in counts.items() for _ in range(n)]
    team = team_to_dict(team_load(rows, members or list(counts)), names={"a": "A", "b": "B"})
    assert team["gini"] == gini and team["summary"] == summary
    assert team["total"] == sum(counts.values()) and sum(team["shares"].values()) == pytest.approx(
        1.0, abs=1e-3
    )


def test_the_cli_team_is_the_shared_team_load_over_one_review_per_reviewer_and_change():
    events = [
        event(ANA, BEN, MONDAY, "c1"),
        event(ANA_HOME, BEN, MONDAY, "c1", "tested-by"),  # the same review
        event(ANA, CAT, MONDAY, "c2"),
        event(CAT, BEN, MONDAY, "c1"),
        event(BOT, BEN, MONDAY, "c3"),
    ]
    data = load_to_dict(events, resolve_reviewers(events))
    assert data["team"]["counts"] == {"ana@example.com": 2, "cat@example.com": 1}
    assert data["team"]["concentration_people"] == ["ana@example.com"]
    assert data["team"]["summary"] == "One person (Ana) gives 67% of the reviews."
    received = {p["person"]: p["received"] for p in data["people"]}
    assert received == {"ana@example.com": 0, "ben@example.com": 1, "cat@example.com": 1}


def test_team_load_without_enough_reviews_says_so():
    load = team_to_dict(team_load([Review("a", "x", MONDAY.date())] * 3, ["a", "b", "c"]))
    assert load["gini"] is None and load["reason"].startswith("not enough data")
    assert team_to_dict(team_load([], ["a"]))["summary"] == "Nobody on the team has given a review yet."


def test_review_knowledge_per_module():
    events = [
        event(ANA, BEN, MONDAY, "c1", paths=["core/a.py", "core/b.py", "README"]),
        event(CAT, BEN, MONDAY, "c1", paths=["core/a.py"]),
        event(ANA, CAT, MONDAY, "c2", paths=["core/c.py"]),
        event(BEN, BEN, MONDAY, "c3", paths=["web/x.js"]),  # self: no knowledge gained by review
    ]
    assert review_knowledge(events, resolve_reviewers(events)) == {
        ".": {"ana@example.com": 1},
        "core": {"ana@example.com": 2, "cat@example.com": 1},
    }
