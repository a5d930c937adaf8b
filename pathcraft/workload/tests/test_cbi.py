"""Copenhagen Burnout Inventory: wording, scoring as published, bands, trend, and k-anonymous aggregates."""

from __future__ import annotations

from datetime import date

import pytest

from pathcraft.errors import InputError
from pathcraft.workload import cbi


def test_inventory_has_the_published_structure():
    inv = cbi.inventory()
    assert {k: len(s.items) for k, s in inv.scales.items()} == {"personal": 6, "work": 7, "client": 6}
    assert [i.id for i in inv.items if i.reverse] == ["wb7"]
    assert (
        inv.item("wb7").published_text
        == "Do you have enough energy for family and friends during leisure time?"
    )
    assert inv.item("pb1").text == "How often do you feel tired?"


def test_client_items_read_clients_as_the_people_you_serve():
    for item in cbi.inventory().scales["client"].items:
        assert "clients" in item.published_text
        assert "clients" not in item.text and "the people you serve at work" in item.text
    assert cbi.inventory().item("cb5").text == "Are you tired of working with the people you serve at work?"


@pytest.mark.parametrize(
    "item, answer, score",
    [
        ("pb1", "always", 100),
        ("pb1", "Often", 75),
        ("pb1", "never/almost never", 0),
        ("pb1", 25, 25),
        ("wb1", "To a very high degree", 100),
        ("wb1", "somewhat", 50),
        ("wb7", "always", 0),  # reverse-scored: plenty of energy left is the healthy answer
        ("wb7", "never", 100),
        ("wb7", "seldom", 75),
        ("cb6", "sometimes", 50),
        ("pb2", None, None),
        ("pb2", "  ", None),
    ],
)
def test_item_scores(item, answer, score):
    assert cbi.item_score(item, answer) == score


@pytest.mark.parametrize("item, answer", [("wb1", "often"), ("pb1", "very_high"), ("pb1", 60), ("pb1", True)])
def test_answer_from_the_wrong_set_is_refused(item, answer):
    with pytest.raises(InputError, match="is not an answer to this question"):
        cbi.item_score(item, answer)


def _all(answer_freq: str, answer_degree: str) -> dict[str, str]:
    inv = cbi.inventory()
    return {i.id: answer_freq if i.response_set == "frequency" else answer_degree for i in inv.items}


def test_scale_score_is_the_mean_of_items_with_the_reversed_item():
    scores = cbi.score_answers(_all("often", "high"))
    assert scores["personal"].score == 75
    assert scores["client"].score == 75
    assert scores["work"].score == pytest.approx((6 * 75 + 25) / 7)  # wb7 "often" scores 25
    assert scores["personal"].band.key == "high"
    assert not hasattr(scores, "total")  # no total: the authors publish none


@pytest.mark.parametrize(
    "scale, answered, shown",
    [
        ("personal", 2, False),
        ("personal", 3, True),
        ("work", 3, False),
        ("work", 4, True),
        ("client", 0, False),
    ],
)
def test_missing_answer_rule(scale, answered, shown):
    items = cbi.inventory().scales[scale].items
    answers = {i.id: ("always" if i.response_set == "frequency" else "very_high") for i in items[:answered]}
    result = cbi.score_answers(answers)[scale]
    assert result.answered == answered
    assert (result.score is not None) == shown


def test_unknown_item_refused():
    with pytest.raises(InputError, match="unknown CBI item"):
        cbi.score_answers({"pb9": "often"})


@pytest.mark.parametrize(
    "score, band",
    [(0, "low"), (49.9, "low"), (50, "moderate"), (74.9, "moderate"), (75, "high"), (100, "severe")],
)
def test_bands(score, band):
    assert cbi.band_of(score).key == band


@pytest.mark.parametrize("score", [-1, 101, float("nan"), "50", True])
def test_band_refuses_impossible_scores(score):
    with pytest.raises(InputError, match="between 0 and 100"):
        cbi.band_of(score)


@pytest.mark.parametrize(
    "series, direction, change",
    [
        ([30, 35, 45], "rising", 15),
        ([60, 55, 48], "falling", -12),
        ([40, 45, 44], "steady", 4),
        ([40], "not enough pulses", None),
    ],
)
def test_trend(series, direction, change):
    pulses = [(date(2026, 1 + i, 1), {"work": s}) for i, s in enumerate(series)]
    t = cbi.trend(list(reversed(pulses)), "work")  # order of input does not matter
    assert t.direction == direction
    assert t.change == change
    assert t.latest == series[-1]


# --- anonymity -----------------------------------------------------------------------------------------------------


def test_aggregate_hidden_below_k_without_even_the_count():
    agg = cbi.aggregate_scores([60, 70, 80, 90])
    assert not agg.shown and agg.n is None and agg.mean is None and agg.distribution is None
    assert "5 answers" in agg.reason


def test_aggregate_shown_from_k():
    agg = cbi.aggregate_scores([40, 50, 60, 75, 100])
    assert agg.shown and agg.n == 5 and agg.mean == 65
    assert agg.distribution == {"low": 1, "moderate": 2, "high": 1, "severe": 1}
    assert agg.share_moderate_or_higher == 0.8


def test_unanswered_scales_do_not_count_towards_k():
    assert not cbi.aggregate_scores([60, 70, 80, 90, None]).shown


@pytest.mark.parametrize("k", [2, 1, 0, -5])
def test_k_below_three_is_refused(k):
    with pytest.raises(cbi.AnonymityError, match="at least 3"):
        cbi.aggregate_scores([50] * 10, k=k)


@pytest.mark.parametrize("k", ["5", 4.5, True, None.__class__])
def test_k_must_be_a_whole_number(k):
    with pytest.raises(cbi.AnonymityError, match="whole number"):
        cbi.check_k(k)


def test_k_of_three_is_allowed_for_small_feedback_groups():
    assert cbi.aggregate_scores([50, 60, 70], k=3).shown


def test_aggregate_refuses_impossible_values():
    with pytest.raises(InputError, match="between 0 and 100"):
        cbi.aggregate_scores([50, 60, 70, 80, 900])


TEAM = [f"person{i}@example.com" for i in range(12)]


def test_groups_of_k_or_more_pass():
    cbi.check_groups({"Berlin": TEAM[:6], "Remote": TEAM[6:]})
    cbi.check_groups({"all": TEAM})


@pytest.mark.parametrize(
    "groups, population",
    [
        ({"Seniors": TEAM[:4]}, TEAM),  # the filter itself is too small
        ({"Berlin": TEAM[:8]}, TEAM[:12]),  # the rest of the team (4) can be read off by difference
        ({"Berlin": TEAM[:5]}, TEAM[:9]),
        ({"Pulse 1": TEAM[:6], "Pulse 2": TEAM[:7]}, None),  # one person more in the second pulse
        ({"A": TEAM[:6], "B": TEAM[2:12]}, TEAM),  # A and B overlap, A without B is only 2 people
        ({"A": TEAM[:6], "B": TEAM[6:12], "Seniors": TEAM[4:8]}, TEAM),  # cells of 2 inside each group
        ({"tiny": TEAM[:3]}, None),  # fewer than k in total
    ],
)
def test_groups_that_would_expose_someone_are_refused(groups, population):
    with pytest.raises(cbi.AnonymityError) as exc:
        cbi.check_groups(groups, population=population)
    message = str(exc.value)
    assert "fewer than 5" in message
    assert "@" not in message  # names groups, never people


def test_difference_message_names_the_groups():
    with pytest.raises(cbi.AnonymityError, match=r"in 'Pulse 2', not in 'Pulse 1'"):
        cbi.check_groups({"Pulse 1": TEAM[:6], "Pulse 2": TEAM[:7]})


def test_group_outside_population_refused():
    with pytest.raises(cbi.AnonymityError, match="outside the population"):
        cbi.check_groups({"x": ["stranger@example.com", *TEAM[:5]]}, population=TEAM)


def test_check_groups_refuses_low_k():
    with pytest.raises(cbi.AnonymityError, match="at least 3"):
        cbi.check_groups({"all": TEAM}, k=2)


def test_raising_k_makes_more_groups_refused():
    cbi.check_groups({"Berlin": TEAM[:6]}, k=5, population=TEAM)
    with pytest.raises(cbi.AnonymityError, match="fewer than 7"):
        cbi.check_groups({"Berlin": TEAM[:6]}, k=7, population=TEAM)
