from datetime import date, timedelta
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathcraft.errors import InputError
from pathcraft.growth.fairness import (
    Contribution,
    LowPromotabilityTask,
    SpotlightEvent,
    distribution,
    gini,
    low_promotability_distribution,
    next_for_spotlight,
    next_in_rotation,
    normalised_gini,
    spotlight_distribution,
)

TEAM = [f"p{i}@example.org" for i in range(1, 9)]
TODAY = date(2025, 6, 30)


def _pairwise_gini(values):
    """Textbook definition, independent of the sorted formula used in the module."""
    n, mean = len(values), sum(values) / len(values)
    return sum(abs(a - b) for a, b in product(values, values)) / (2 * n * n * mean)


def test_worked_value_nine_and_seven_ones():
    amounts = dict(zip(TEAM, [9, 1, 1, 1, 1, 1, 1, 1], strict=True))
    result = distribution(amounts, TEAM, events=16)
    assert result.enough_data
    assert round(result.gini, 2) == 0.44
    assert round(result.normalised_gini, 2) == 0.50
    assert result.top_over_fair == pytest.approx(4.5)
    assert (result.top_share.numerator, result.top_share.denominator) == (9, 16)
    assert result.top_people == ("p1@example.org",)
    assert result.flagged  # 0.50 > 0.40
    assert "not validated for small teams" in result.note


def test_too_few_events_gives_not_enough_data_but_still_shares():
    amounts = {"p1@example.org": 5, "p2@example.org": 1}
    result = distribution(amounts, TEAM, events=6)
    assert not result.enough_data and result.gini is None and result.normalised_gini is None
    assert not result.flagged
    assert result.note == "not enough data: 6 events for 8 people; the Gini needs at least 16"
    assert result.people_with_none == tuple(TEAM[2:])
    assert result.shares["p1@example.org"].numerator == 5


@given(st.lists(st.integers(min_value=0, max_value=50), min_size=2, max_size=12).filter(lambda v: sum(v) > 0))
def test_gini_matches_pairwise_definition_and_bounds(values):
    assert gini(values) == pytest.approx(_pairwise_gini(values))
    assert 0 <= normalised_gini(values) <= 1 + 1e-9


def test_gini_edges():
    assert gini([3, 3, 3]) == 0
    assert normalised_gini([0, 0, 7]) == pytest.approx(1.0)
    with pytest.raises(InputError, match="at least two people"):
        normalised_gini([4])
    with pytest.raises(InputError, match="0 or more"):
        gini([1, -1])


def _spot(day, *people, kind="internal_demo"):
    return SpotlightEvent(kind, f"demo {day}", day, tuple(Contribution(p, "built it") for p in people))


def test_spotlight_counts_each_contributor_once_per_event_within_the_window():
    events = [
        _spot(TODAY - timedelta(days=10), "a", "b"),
        _spot(TODAY - timedelta(days=20), "a"),
        _spot(TODAY - timedelta(days=400), "c"),  # outside the 180-day window
    ]
    result = spotlight_distribution(events, ["a", "b", "c"], TODAY)
    assert {p: r.numerator for p, r in result.shares.items()} == {"a": 2, "b": 1, "c": 0}
    assert result.events == 3 and result.people_with_none == ("c",)


def test_next_spotlight_goes_to_fewest_recent_then_longest_waiting_then_name():
    events = [_spot(TODAY - timedelta(days=5), "a"), _spot(TODAY - timedelta(days=300), "b")]
    # b's spotlight is outside the window: a 1, b 0, c 0; c never had one, so c before b.
    assert next_for_spotlight(events, ["a", "b", "c"], TODAY).person == "c"
    assert next_for_spotlight(events, ["a", "b"], TODAY).person == "b"
    assert next_for_spotlight([], ["zoe", "adam"], TODAY).person == "adam"


def _task(person, hours, days_ago=10, how="asked"):
    return LowPromotabilityTask("note_taking", TODAY - timedelta(days=days_ago), person, how, hours)


def test_rotation_picks_the_person_with_the_least_low_promotability_hours():
    tasks = [_task("a", 6), _task("b", 1.5), _task("b", 1.5), _task("c", 4), _task("d", 2, how="rotation")]
    pick = next_in_rotation(tasks, ["a", "b", "c", "d"], TODAY)
    assert pick.person == "d" and "2 h" in pick.reason
    # Nobody has done any: alphabetical, never "who volunteers?"
    assert next_in_rotation([], ["b", "a"], TODAY).person == "a"
    # Equal hours: the one whose last task is longest ago.
    tied = [_task("a", 2, days_ago=5), _task("b", 2, days_ago=50)]
    assert next_in_rotation(tied, ["a", "b"], TODAY).person == "b"


def test_low_promotability_distribution_uses_hours_but_counts_tasks_for_enough_data():
    tasks = [_task("a", 10), _task("b", 1), _task("a", 5), _task("b", 1)]
    result = low_promotability_distribution(tasks, ["a", "b"], TODAY)
    assert result.shares["a"].numerator == 15 and result.top_share.denominator == 17
    assert result.events == 4 and result.enough_data


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: SpotlightEvent("podcast", "x", TODAY, (Contribution("a"),)),
            "unknown spotlight kind 'podcast'",
        ),
        (lambda: SpotlightEvent("blog_post", "x", TODAY, ()), "at least one contributor"),
        (lambda: LowPromotabilityTask("coffee", TODAY, "a", "asked", 1), "unknown low-promotability task"),
        (lambda: LowPromotabilityTask("scheduling", TODAY, "a", "told", 1), "unknown assignment 'told'"),
        (lambda: LowPromotabilityTask("scheduling", TODAY, "a", "asked", -1), "hours must be 0 or more"),
        (lambda: distribution({"a": 1}, ["a"], 1), "at least two people"),
    ],
)
def test_bad_input(build, message):
    with pytest.raises(InputError, match=message):
        build()
