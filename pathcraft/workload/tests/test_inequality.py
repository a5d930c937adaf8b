"""Inequality of a load across people: Gini, normalised Gini, top over fair share, not-enough-data."""

from __future__ import annotations

import pytest

from pathcraft.errors import InputError
from pathcraft.workload import inequality as ineq

WORKED = [9, 1, 1, 1, 1, 1, 1, 1]  # one person carries 9 of 16 events on a team of 8


def test_worked_value():
    assert round(ineq.gini(WORKED), 2) == 0.44
    assert ineq.gini(WORKED) == pytest.approx(0.4375)
    assert ineq.normalised_gini(WORKED) == pytest.approx(0.5)
    s = ineq.spread({f"p{i}": v for i, v in enumerate(WORKED)})
    assert (s.gini, s.normalised_gini, s.top_over_fair) == (0.438, 0.5, 4.5)
    assert s.top == "p0" and s.top_share == round(9 / 16, 3)
    assert s.above_alert_line  # 0.50 >= 0.40
    assert "not validated for teams" in s.reason


def pairwise_gini(xs):
    """The textbook definition, to check the sorted formula against."""
    n, mean = len(xs), sum(xs) / len(xs)
    return sum(abs(a - b) for a in xs for b in xs) / (2 * n * n * mean)


@pytest.mark.parametrize(
    "values, g",
    [
        ([5, 5, 5, 5], 0.0),
        ([0, 0, 0, 12], 0.75),  # one of four carries all: G = (n-1)/n
        ([1, 2, 3, 4, 10], None),
        ([0, 3, 3, 7, 7, 20], None),
    ],
)
def test_gini_matches_the_definition(values, g):
    assert ineq.gini(values) == pytest.approx(pairwise_gini(values))
    if g is not None:
        assert ineq.gini(values) == pytest.approx(g)


def test_normalised_gini_is_one_when_one_carries_everything():
    for n in (2, 3, 8, 20):
        assert ineq.normalised_gini([10] + [0] * (n - 1)) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "loads, reason",
    [
        ({"a": 5, "b": 4}, "2 people"),
        ({"a": 3, "b": 2, "c": 1}, "6 events"),
        ({}, "0 people"),
    ],
)
def test_not_enough_data(loads, reason):
    s = ineq.spread(loads)
    assert not s.enough_data and s.gini is None
    assert reason in s.reason and s.reason.startswith("not enough data")


def test_zero_loads_count_as_people():
    even = ineq.spread({"a": 5, "b": 5, "c": 5})
    with_idle = ineq.spread({"a": 5, "b": 5, "c": 5, "d": 0})
    assert even.normalised_gini == 0
    assert with_idle.normalised_gini > 0


@pytest.mark.parametrize("bad", [[-1, 2], [float("nan"), 1], ["3", 1], [True, 1]])
def test_bad_values(bad):
    with pytest.raises(InputError, match="0 or more"):
        ineq.gini(bad)


def test_normalised_needs_two():
    with pytest.raises(InputError, match="at least two"):
        ineq.normalised_gini([4])
