"""Manager load: span of control against the published range, and what the 1:1 cadence costs."""

from __future__ import annotations

import pytest

from pathcraft.errors import InputError
from pathcraft.workload import manager_load as ml


@pytest.mark.parametrize(
    "reports, of_managers, status",
    [
        (5, False, "below"),
        (6, False, "within"),
        (8, False, "within"),
        (9, False, "above"),
        (13, False, "above"),
        (4, True, "within"),
        (6, True, "within"),
        (7, True, "above"),
        (3, True, "below"),
    ],
)
def test_span_of_control(reports, of_managers, status):
    span = ml.assess_span(reports, manages_managers=of_managers)
    assert span.status == status
    assert "Larson" in span.source
    assert (span.low, span.high) == ((4, 6) if of_managers else (6, 8))


def test_span_message_says_how_far_above():
    assert ml.assess_span(13).message == "13 direct reports: 5 above the 6-8 range"


@pytest.mark.parametrize("bad", [-1, 2.5, "13", True])
def test_span_refuses_bad_counts(bad):
    with pytest.raises(InputError, match="whole number"):
        ml.assess_span(bad)


@pytest.mark.parametrize(
    "reports, hours, share",
    [(5, 3.3, 0.083), (8, 5.3, 0.133), (13, 8.7, 0.217)],  # EVIDENCE.md worked values: 8%, 13%, 22% of 40 h
)
def test_weekly_one_on_one_cost(reports, hours, share):
    cost = ml.one_on_one_cost(reports)  # defaults: weekly, 30 min + 10 min preparation, 40 h week
    assert cost.hours_per_week == hours
    assert cost.share_of_week == share
    assert round(cost.share_of_week * 100) == {5: 8, 8: 13, 13: 22}[reports]


def test_biweekly_and_mixed_cadences():
    assert ml.one_on_one_cost(13, cadence="biweekly").minutes_per_week == 13 * 40 / 2
    mixed = ml.one_on_one_cost({"weekly": 8, "biweekly": 5})
    assert mixed.minutes_per_week == 8 * 40 + 5 * 20
    assert mixed.hours_per_week == 7.0
    assert ml.one_on_one_cost(4, cadence="monthly").minutes_per_week == pytest.approx(4 * 40 / 4.33, abs=0.1)


def test_custom_minutes():
    assert ml.one_on_one_cost(6, minutes=45, prep_minutes=15).hours_per_week == 6.0


def test_moving_reports_to_biweekly_frees_time():
    change = ml.move_to_biweekly(13, 5)
    assert change.before.hours_per_week == 8.7
    assert change.hours_freed == 1.7  # 5 reports x 40 min / 2
    assert change.after.cadences == {"weekly": 8, "biweekly": 5}
    assert ml.move_to_biweekly(13, 0).hours_freed == 0


def test_suggested_biweekly_brings_weekly_back_to_eight():
    assert ml.suggested_biweekly(13) == 5
    assert ml.suggested_biweekly(6) == 0


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ml.one_on_one_cost({"fortnightly": 3}), "unknown 1:1 cadence 'fortnightly'"),
        (lambda: ml.one_on_one_cost(-2), "whole number of 0 or more"),
        (lambda: ml.one_on_one_cost(5, minutes=-10), "between 0 and 480"),
        (lambda: ml.one_on_one_cost(5, work_week_hours=0), "positive number of hours"),
        (lambda: ml.move_to_biweekly(5, 6), "between 0 and 5"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(InputError, match=message):
        call()
