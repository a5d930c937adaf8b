"""The questionnaire and the validation of a submitted answer."""

import pytest

from pathcraft.errors import InputError
from pathcraft.feedback.defaults import load_defaults
from pathcraft.feedback.questions import build_questionnaire, validate_answer

QUESTIONNAIRE = build_questionnaire(
    {"code_review": "Code review", "design": "Design and architecture"},
    competencies=["technical_direction"],
)


def test_questionnaire_asks_the_four_text_questions_then_ratings():
    assert [key for key, _, _ in QUESTIONNAIRE.text_questions] == ["does_well", "start", "keep", "stop"]
    assert [q.key for q in QUESTIONNAIRE.activities] == ["code_review", "design"]
    assert QUESTIONNAIRE.activities[1].label == "Design and architecture"
    assert QUESTIONNAIRE.competencies[0].label == "technical direction"
    assert [value for value, _ in QUESTIONNAIRE.scale] == [1, 2, 3, 4, 5]
    assert QUESTIONNAIRE.not_seen_label == load_defaults().not_seen_label


@pytest.mark.parametrize(
    ("activities", "message"),
    [([], "needs at least one activity"), (["design", "design"], "names 'design' twice")],
)
def test_bad_question_lists_are_refused(activities, message):
    with pytest.raises(InputError, match=message):
        build_questionnaire(activities)


def test_valid_answer_is_normalised():
    answer = validate_answer(
        {
            "ratings": {"code_review": "4", "design": "not_seen"},
            "texts": {"does_well": "  Thorough reviews.  ", "stop": ""},
            "competency_ratings": {"technical_direction": 3},
        },
        QUESTIONNAIRE,
    )
    assert answer.ratings == {"code_review": 4, "design": None}
    assert answer.texts == {"does_well": "Thorough reviews."}
    assert answer.competency_ratings == {"technical_direction": 3}


def test_text_only_answer_is_enough():
    assert validate_answer({"texts": {"keep": "Pairing with juniors"}}, QUESTIONNAIRE).ratings == {}


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (
            {"ratings": {"code_review": 6}},
            "rating for activity 'code_review' is 6; use a whole number from 1 to 5",
        ),
        ({"ratings": {"code_review": 0}}, "rating for activity 'code_review' is 0"),
        ({"ratings": {"code_review": 3.5}}, "is 3.5"),
        ({"ratings": {"code_review": True}}, "is True"),
        ({"ratings": {"code_review": "five"}}, "is 'five'"),
        ({"ratings": {"code_review": [4]}}, "is [4]"),
        (
            {"ratings": {"juggling": 4}},
            "unknown activity 'juggling'; this request asks about: code_review, design",
        ),
        ({"competency_ratings": {"charisma": 4}}, "unknown competency 'charisma'"),
        ({"texts": {"weaknesses": "x"}}, "unknown question 'weaknesses'"),
        ({"texts": {"does_well": 42}}, "the answer to 'does_well' must be text"),
        ({"texts": {"does_well": "x" * 4001}}, "is 4001 characters long; the limit is 4000"),
        ({"ratings": [4]}, "activity ratings must be a mapping"),
        ({"ratings": {"design": 3}, "name": "Bob"}, "unknown field(s): name"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_problem(raw, problem):
    with pytest.raises(InputError, match="the answer cannot be saved") as info:
        validate_answer(raw, QUESTIONNAIRE)
    assert problem in str(info.value)


def test_every_problem_is_listed_at_once():
    with pytest.raises(InputError) as info:
        validate_answer({"ratings": {"code_review": 9, "juggling": 1}}, QUESTIONNAIRE)
    assert len(info.value.problems) == 2


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"ratings": {"code_review": None, "design": "not_seen"}},
        {"texts": {"does_well": "   ", "stop": ""}},
        {"ratings": {"code_review": ""}, "texts": {"keep": None}},
    ],
)
def test_empty_answer_is_refused(raw):
    with pytest.raises(InputError, match="the answer is empty"):
        validate_answer(raw, QUESTIONNAIRE)


def test_answer_must_be_a_mapping():
    with pytest.raises(InputError, match="an answer must be a mapping, got list"):
        validate_answer([], QUESTIONNAIRE)
