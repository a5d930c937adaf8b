"""Calibration on cases with known answers, the t values, and how uncertainty shrinks with n."""

import statistics

import pytest

from pathcraft.errors import InputError
from pathcraft.feedback.anonymity import Answer, release
from pathcraft.feedback.calibration import PeerRatings, calibrate, half_width, t_critical


def peers_of(*ratings):
    return PeerRatings(statistics.mean(ratings), statistics.stdev(ratings), len(ratings))


# Student t values from NIST TN 1297, Appendix B, Table B.1 (two-sided, fraction p of the distribution).
@pytest.mark.parametrize(
    ("df", "p90", "p95", "p99"),
    [
        (1, 6.31, 12.71, 63.66),
        (2, 2.92, 4.30, 9.92),
        (3, 2.35, 3.18, 5.84),
        (4, 2.13, 2.78, 4.60),
        (5, 2.02, 2.57, 4.03),
        (10, 1.81, 2.23, 3.17),
        (20, 1.72, 2.09, 2.85),
        (30, 1.70, 2.04, 2.75),
    ],
)
def test_t_critical_matches_the_published_table(df, p90, p95, p99):
    assert t_critical(0.90, df) == pytest.approx(p90, abs=0.006)
    assert t_critical(0.95, df) == pytest.approx(p95, abs=0.006)
    assert t_critical(0.99, df) == pytest.approx(p99, abs=0.006)


@pytest.mark.parametrize(
    ("confidence", "df", "message"),
    [(1.0, 3, "confidence must be between 0 and 1"), (0.9, 0, "degrees of freedom")],
)
def test_t_critical_refuses_bad_input(confidence, df, message):
    with pytest.raises(InputError, match=message):
        t_critical(confidence, df)


CASES = [
    # name, self, peers' ratings, expected kind, expected certainty
    ("peers clearly higher, few ratings", 3, (4, 4, 5), "hidden_strength", "tentative"),
    ("peers clearly higher, many ratings", 2, (4, 4, 5, 4, 3, 4, 4), "hidden_strength", "consistent"),
    ("self clearly higher, few ratings", 5, (3, 3, 4), "blind_spot", "tentative"),
    ("self clearly higher, many ratings", 5, (2, 3, 2, 3, 2, 3), "blind_spot", "consistent"),
    ("same view", 3, (3, 4, 3), "aligned", None),
    ("small gap with many ratings is still aligned", 4, (4, 4, 3, 4, 4, 4, 4, 3, 4, 4), "aligned", None),
    ("peers disagree among themselves", 4, (1, 5, 3), "unclear", None),
    ("identical peer ratings still carry rounding uncertainty", 3, (4, 4, 4), "hidden_strength", "tentative"),
]


@pytest.mark.parametrize(("name", "own", "ratings", "kind", "certainty"), CASES, ids=[c[0] for c in CASES])
def test_known_cases(name, own, ratings, kind, certainty):
    item = calibrate({"code_review": own}, {"code_review": peers_of(*ratings)}).items[0]
    assert item.kind == kind
    assert item.certainty == certainty
    assert item.n == len(ratings)
    assert item.gap == pytest.approx(statistics.mean(ratings) - own)
    low, high = item.interval
    assert 1 <= low <= statistics.mean(ratings) <= high <= 5


def test_sentence_does_not_over_claim_with_three_ratings():
    result = calibrate(
        {"code_review": 3}, {"code_review": peers_of(4, 4, 5)}, labels={"code_review": "code review"}
    )
    assert result.items[0].sentence == (
        "3 colleagues rated your code review higher than you did (mean 4.3 vs your 3); "
        "with only 3 ratings this is a tentative sign."
    )
    assert any("questions to explore" in line for line in result.summary)
    assert any("hidden strengths" in line and "code review" in line for line in result.summary)


def test_blind_spot_sentence_says_lower():
    item = calibrate({"design": 5}, {"design": peers_of(2, 3, 2, 3, 2, 3)}).items[0]
    assert item.sentence.startswith("6 colleagues rated your design lower than you did (mean 2.5 vs your 5)")
    assert "fairly consistent" in item.sentence


@pytest.mark.parametrize(
    ("own", "peers", "kind", "phrase"),
    [
        (4, None, "too_few_ratings", "Too few colleagues rated your mentoring"),
        (4, PeerRatings(4.0, 0.0, 2), "too_few_ratings", "Too few colleagues"),
        (None, PeerRatings(4.0, 1.0, 3), "no_self_rating", "You have not rated your mentoring yourself"),
    ],
)
def test_missing_data_is_said_plainly(own, peers, kind, phrase):
    item = calibrate({"mentoring": own}, {"mentoring": peers}).items[0]
    assert item.kind == kind
    assert phrase in item.sentence
    assert item.certainty is None


def test_uncertainty_shrinks_as_ratings_grow():
    widths = [half_width(1.0, n) for n in range(3, 31)]
    assert all(later < earlier for earlier, later in zip(widths, widths[1:], strict=False))
    # the same one-point gap and spread: unclear with 3 ratings, a consistent blind spot with many
    kinds = {n: calibrate({"x": 4}, {"x": PeerRatings(3.0, 1.0, n)}).items[0] for n in (3, 6, 30)}
    assert kinds[3].kind == "unclear"
    assert (kinds[6].kind, kinds[6].certainty) == ("blind_spot", "consistent")
    assert kinds[30].half_width < kinds[6].half_width < kinds[3].half_width


def test_identical_ratings_never_give_a_zero_width_interval():
    assert half_width(0.0, 3) > 0.4


def test_calibration_reads_the_release_not_raw_answers():
    answers = [
        Answer(i, {"code_review": r, "design": d}) for i, (r, d) in enumerate([(4, 2), (5, None), (4, 2)], 1)
    ]
    result = calibrate({"code_review": 3, "design": 4}, release(answers, 3))
    by_activity = {item.activity: item for item in result.items}
    assert by_activity["code_review"].kind == "hidden_strength"
    assert by_activity["design"].kind == "too_few_ratings"  # only two people rated design


def test_below_threshold_release_gives_nothing_to_compare():
    result = calibrate({"code_review": 3}, release([Answer(1, {"code_review": 5})], 3))
    assert result.items == ()
    assert result.summary == (
        "Nothing to compare yet: no activity has both your rating and enough colleagues' ratings.",
    )


def test_hidden_strengths_come_first():
    result = calibrate(
        {"a": 3, "b": 5, "c": 3},
        {"a": peers_of(3, 3, 4), "b": peers_of(2, 3, 2, 3, 2, 3), "c": peers_of(4, 5, 5, 4, 5)},
    )
    assert [item.kind for item in result.items] == ["hidden_strength", "blind_spot", "aligned"]


@pytest.mark.parametrize("bad", [0, 6, "4", True])
def test_bad_self_rating_is_refused(bad):
    with pytest.raises(InputError, match="self-ratings cannot be used") as info:
        calibrate({"code_review": bad}, {"code_review": peers_of(4, 4, 5)})
    assert "use a number from 1 to 5" in str(info.value)
