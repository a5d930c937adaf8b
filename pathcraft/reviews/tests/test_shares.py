"""The pure review-load figures, on hand-computed teams."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import yaml

from pathcraft.reviews.defaults import DATA_FILE, load_defaults, parse
from pathcraft.reviews.shares import (
    Review,
    WeekEstimate,
    concentration,
    review_hours,
    suggest_week,
    sustained_above,
    team_load,
    turnaround,
    week_of,
)

MONDAY = date(2026, 11, 2)


def reviews(counts: dict[str, int], week: date = MONDAY, author: str = "x") -> list[Review]:
    return [Review(who, author, week) for who, n in counts.items() for _ in range(n)]


@pytest.mark.parametrize(
    ("given", "names", "sentence"),
    [
        ({"a": 5, "b": 2, "c": 2, "d": 1}, None, "One person gives 50% of the reviews."),
        ({"a": 4, "b": 3, "c": 2, "d": 1}, None, "Two people give 70% of the reviews."),
        ({"a": 4, "b": 3, "c": 2, "d": 1}, ["Ann", "Bo"], "Two people (Ann and Bo) give 70% of the reviews."),
        ({"a": 1, "b": 1, "c": 1, "d": 1}, None, "Two people give 50% of the reviews."),
        ({"a": 1, "b": 1, "c": 1}, ["A", "B"], "Two people (A and B) give 67% of the reviews."),
        ({"a": 0, "b": 0}, None, "Nobody on the team has given a review yet."),
    ],
    ids=["one-half", "two-seventy", "named", "even", "three-even", "none"],
)
def test_the_fewest_people_giving_half_of_the_reviews_in_words(given, names, sentence):
    assert concentration(given, 0.5).sentence(names) == sentence


def test_team_load_counts_shares_received_and_the_gini_of_the_inequality_engine():
    # a gives 6, b 3, c 1, d 0 (10 reviews): G = sum|xi-xj| / (2 n^2 mean) = 40 / (2*16*2.5) = 0.5, G* = 0.5*4/3.
    rows = [Review("a", "b", MONDAY)] * 6 + [Review("b", "a", MONDAY)] * 3 + [Review("c", "a", MONDAY)]
    load = team_load(rows, ["a", "b", "c", "d"])
    assert load.given == {"a": 6, "b": 3, "c": 1, "d": 0}
    assert load.received == {"a": 4, "b": 6, "c": 0, "d": 0}
    assert load.total == 10 and load.fair_share == 0.25
    assert load.spread.gini == pytest.approx(0.5)
    assert load.spread.normalised_gini == pytest.approx(0.667, abs=1e-3)
    assert load.spread.top == "a" and load.spread.top_share == 0.6
    assert load.above_fair == ["a"]  # 60% is 2.4x an equal share of 25%
    assert load.concentration.people == ("a",) and load.concentration.share == 0.6


def test_a_self_review_under_a_second_identity_does_not_count_and_outsiders_are_counted_apart():
    rows = [Review("a", "a", MONDAY), Review(None, "a", MONDAY), Review("b", None, MONDAY)]
    load = team_load(rows, ["a", "b"])
    assert load.given == {"a": 0, "b": 1}
    assert load.received == {"a": 1, "b": 0}
    assert load.outside_team == 1


def test_sustained_needs_most_of_the_window_above_twice_an_equal_share():
    d = load_defaults()
    per_week = {}
    for n in range(
        d.window_weeks
    ):  # six weeks, 10 reviews each; a gives 6 in the first four, 1 in the last two
        week = MONDAY + timedelta(weeks=n)
        mine = 6 if n < d.min_weeks else 1
        per_week[week] = Counter({"a": mine, "b": 10 - mine})
    found = sustained_above(per_week, "a", team_size=5)  # equal share 20%, line 40%
    assert found is not None and len(found.hits) == d.min_weeks and found.seen == d.window_weeks
    assert found.share == pytest.approx((6 * 4 + 2) / 60)
    # one week fewer above the line: no signal
    per_week[MONDAY + timedelta(weeks=3)]["a"] = 1
    assert sustained_above(per_week, "a", team_size=5) is None


def test_weeks_with_too_few_team_reviews_say_nothing_about_shares():
    d = load_defaults()
    small = d.min_team_reviews_per_week - 1
    per_week = {MONDAY + timedelta(weeks=n): Counter({"a": small}) for n in range(10)}
    assert sustained_above(per_week, "a", team_size=4) is None


def test_team_load_flags_whoever_gives_over_twice_an_equal_share():
    rows = reviews({"a": 7, "b": 1, "c": 1, "d": 1})
    load = team_load(rows, ["a", "b", "c", "d"])
    assert load.above_fair == ["a"]  # 70% >= 2 x 25%
    assert team_load(reviews({"a": 4, "b": 3, "c": 2, "d": 1}), ["a", "b", "c", "d"]).above_fair == []


def test_weekly_trend_is_the_last_active_weeks_oldest_first():
    rows = reviews({"a": 2}, MONDAY) + reviews({"a": 1, "b": 3}, MONDAY + timedelta(weeks=2))
    load = team_load(rows, ["a", "b"])
    assert load.weeks == [MONDAY, MONDAY + timedelta(weeks=2)]
    assert load.weekly_total == [2, 4] and load.weekly == {"a": [2, 1], "b": [0, 3]}


def test_week_of_is_the_monday_in_the_moments_own_offset():
    late_sunday = datetime(2026, 11, 8, 23, 30, tzinfo=timezone(timedelta(hours=-8)))  # Monday 07:30 UTC
    assert week_of(late_sunday) == date(2026, 11, 2)
    assert week_of(late_sunday.astimezone(UTC)) == date(2026, 11, 9)


def test_turnaround_median_and_90th_percentile_in_hours():
    rows = [Review("a", "b", MONDAY, turnaround_seconds=h * 3600) for h in (1, 2, 3, 4, 10)]
    rows.append(Review("a", "b", MONDAY))  # a trailer: no request time
    t = turnaround(rows)
    assert (t.reviews, t.median_hours, t.p90_hours) == (5, 3.0, 10.0)
    assert turnaround([]).median_hours is None


def test_review_hours_average_the_last_weeks_with_empty_weeks_as_zero():
    d = load_defaults()
    last = MONDAY
    per_week = {last: 8, last - timedelta(weeks=1): 8, last - timedelta(weeks=d.estimate_weeks): 100}
    found = review_hours(per_week)
    # 16 reviews in the window of estimate_weeks weeks at minutes_per_review each (the 100 are outside it)
    expected = 16 * d.minutes_per_review / 60 / d.estimate_weeks
    assert found.reviews == 16 and found.hours == round(expected * 2) / 2
    assert review_hours({}) is None


@pytest.mark.parametrize(
    ("hours", "profile", "expected"),
    [(4.0, None, 4.0), (4.0, 0.0, 4.0), (4.0, 3.5, None), (4.0, 2.0, 4.0), (1.5, 0.0, None)],
    ids=["no-profile", "profile-says-none", "profile-close", "profile-far", "too-few-hours"],
)
def test_the_profile_week_suggestion(hours, profile, expected):
    estimate = WeekEstimate(hours, 20, 8, 30)
    assert suggest_week(estimate, profile) == expected


def test_defaults_reject_an_entry_without_a_source_or_with_a_bad_value():
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    assert parse(raw) == load_defaults()
    with pytest.raises(ValueError, match="over_fair needs a source"):
        parse({**raw, "over_fair": {"value": 2.0}})
    with pytest.raises(ValueError, match="window_weeks must be a positive number"):
        parse({**raw, "window_weeks": {"value": -1, "estimate": True, "reason": "r"}})
    with pytest.raises(ValueError, match="min_weeks cannot exceed"):
        parse({**raw, "min_weeks": {**raw["min_weeks"], "value": 99}})
    with pytest.raises(ValueError, match="trend_weeks must be a whole number"):
        parse({**raw, "trend_weeks": {**raw["trend_weeks"], "value": 2.5}})
