"""Strengths by performance x energy x use."""

import pytest

from pathcraft.paths.profile import ActivityAnswer, Profile
from pathcraft.paths.strengths import classify, classify_strengths, group_by_class, load_strength_settings

S = load_strength_settings()


@pytest.mark.parametrize(
    "skill, energy, share, expected",
    [
        (5, 2, 0.30, "realised_strength"),
        (4, 1, 0.10, "realised_strength"),  # thresholds are inclusive
        (4, 1, 0.09, "unrealised_strength"),
        (5, 2, 0.00, "unrealised_strength"),
        (5, 0, 0.50, "learned_behaviour"),  # neutral is not energising
        (4, -2, 0.50, "learned_behaviour"),
        (3, 0, 0.50, "neutral"),  # can do it, neutral: not a weakness
        (3, -1, 0.50, "weakness"),  # not strong and draining
        (2, 0, 0.50, "weakness"),  # still learning and not energising
        (1, -2, 0.00, "weakness"),
        (2, 2, 0.00, "emerging"),
        (3, 1, 0.40, "emerging"),
        (None, 2, 0.40, "unrated"),
        (5, None, 0.40, "unrated"),
    ],
)
def test_classification_table(skill, energy, share, expected):
    assert classify(skill, energy, share, S) == expected


def test_thresholds_come_from_data_with_reasons():
    assert (S.high_performance_skill, S.energising_energy, S.draining_energy, S.used_share) == (
        4,
        1,
        -1,
        0.10,
    )
    assert "Linley" in S.model_source and "CAPP" in S.model_source


def test_profile_classification_uses_share_of_the_persons_week():
    p = Profile(
        answers={
            "coding": ActivityAnswer("coding", 30, 5, 2),
            "teaching": ActivityAnswer("teaching", 2, 5, 2),  # 2 of 40 h = 5%: little used
            "meetings": ActivityAnswer("meetings", 8, 4, -2),
        }
    )
    items = {i.activity_id: i for i in classify_strengths(p)}
    assert items["coding"].category == "realised_strength"
    assert items["teaching"].category == "unrealised_strength"
    assert items["meetings"].category == "learned_behaviour"
    assert items["teaching"].reason == "skill 5/5 (expert), energy +2 (energises), 5% of your week"
    assert list(group_by_class(list(items.values()))) == [
        "realised_strength",
        "unrealised_strength",
        "learned_behaviour",
    ]


def test_unanswered_activities_only_when_asked():
    p = Profile(answers={"coding": ActivityAnswer("coding", 1, 3, 0)})
    assert len(classify_strengths(p)) == 1
    everything = classify_strengths(p, include_unanswered=True)
    assert len(everything) == 20
    assert sum(i.category == "unrated" for i in everything) == 19
