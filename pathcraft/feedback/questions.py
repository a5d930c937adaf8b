"""The feedback questions and the validation of a submitted answer.

The questionnaire is built from plain data: the activities the respondent may rate (ids and
labels, from the career-paths activity catalogue) and, optionally, the competencies of the
subject's framework level. A submitted form is checked here before anything is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pathcraft.errors import InputError
from pathcraft.feedback.defaults import load_defaults

# Values a form or API may send for "have not seen".
NOT_SEEN_VALUES = frozenset({"", "not_seen", "not-seen", "not seen", "none", "n/a"})


@dataclass(frozen=True)
class RatingQuestion:
    key: str
    label: str


@dataclass(frozen=True)
class Questionnaire:
    """What a respondent is asked, in display order."""

    text_questions: tuple[tuple[str, str, str], ...]  # (key, label, help)
    ratings_label: str
    ratings_help: str
    activities: tuple[RatingQuestion, ...]
    competencies_label: str
    competencies_help: str
    competencies: tuple[RatingQuestion, ...] = ()
    scale: tuple[tuple[int, str], ...] = ()  # (value, label), lowest first
    not_seen_label: str = "Have not seen"


@dataclass(frozen=True)
class SubmittedAnswer:
    """A validated answer, ready to be stored (the storage layer adds the sequence number)."""

    ratings: dict[str, int | None] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    competency_ratings: dict[str, int | None] = field(default_factory=dict)


def _pairs(items: Mapping[str, str] | Iterable[str | tuple[str, str]]) -> tuple[RatingQuestion, ...]:
    if isinstance(items, Mapping):
        pairs = list(items.items())
    else:
        pairs = [(item, item.replace("_", " ")) if isinstance(item, str) else tuple(item) for item in items]
    seen: set[str] = set()
    result = []
    for key, label in pairs:
        if key in seen:
            raise InputError(f"the question list names {key!r} twice")
        seen.add(key)
        result.append(RatingQuestion(key, label))
    return tuple(result)


def build_questionnaire(
    activities: Mapping[str, str] | Iterable[str | tuple[str, str]],
    competencies: Mapping[str, str] | Iterable[str | tuple[str, str]] = (),
) -> Questionnaire:
    """The questions for one request: the text questions, then activities, then competencies."""
    defaults = load_defaults()
    activity_questions = _pairs(activities)
    if not activity_questions:
        raise InputError("a feedback request needs at least one activity to rate")
    return Questionnaire(
        text_questions=tuple((q.key, q.label, q.help) for q in defaults.text_questions),
        ratings_label=defaults.ratings_label,
        ratings_help=defaults.ratings_help,
        activities=activity_questions,
        competencies_label=defaults.competencies_label,
        competencies_help=defaults.competencies_help,
        competencies=_pairs(competencies),
        scale=tuple(sorted(defaults.scale_labels.items())),
        not_seen_label=defaults.not_seen_label,
    )


def _rating(value: Any, what: str, low: int, high: int, problems: list[str]) -> int | None:
    if isinstance(value, str):
        value = value.strip().lower()
    if value is None or (isinstance(value, str) and value in NOT_SEEN_VALUES):
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        problems.append(
            f"rating for {what} is {value!r}; use a whole number from {low} to {high}, or 'have not seen'"
        )
        return None
    return value


def _ratings(
    raw: Any, known: tuple[RatingQuestion, ...], kind: str, low: int, high: int, problems: list[str]
) -> dict[str, int | None]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        problems.append(f"{kind} ratings must be a mapping of {kind} to rating, got {type(raw).__name__}")
        return {}
    names = {q.key for q in known}
    result: dict[str, int | None] = {}
    for key, value in raw.items():
        if key not in names:
            problems.append(
                f"unknown {kind} {key!r}; this request asks about: {', '.join(sorted(names)) or 'none'}"
            )
            continue
        result[key] = _rating(value, f"{kind} {key!r}", low, high, problems)
    return result


def validate_answer(raw: Mapping[str, Any], questionnaire: Questionnaire) -> SubmittedAnswer:
    """Check a submitted answer; raise InputError listing every problem at once.

    ``raw`` has ``ratings`` (activity -> 1..5 or "not_seen"), ``texts`` (question key ->
    text) and optionally ``competency_ratings``. An answer must say something: at least one
    text or one rating.
    """
    defaults = load_defaults()
    low, high = defaults.scale_min, defaults.scale_max
    if not isinstance(raw, Mapping):
        raise InputError(f"an answer must be a mapping, got {type(raw).__name__}")
    problems: list[str] = []
    unknown_fields = sorted(set(raw) - {"ratings", "texts", "competency_ratings"})
    if unknown_fields:
        problems.append(f"unknown field(s): {', '.join(map(str, unknown_fields))}")

    ratings = _ratings(raw.get("ratings"), questionnaire.activities, "activity", low, high, problems)
    competency_ratings = _ratings(
        raw.get("competency_ratings"), questionnaire.competencies, "competency", low, high, problems
    )

    texts: dict[str, str] = {}
    raw_texts = raw.get("texts") or {}
    text_keys = {key for key, _, _ in questionnaire.text_questions}
    if not isinstance(raw_texts, Mapping):
        problems.append(f"texts must be a mapping of question to text, got {type(raw_texts).__name__}")
        raw_texts = {}
    for key, value in raw_texts.items():
        if key not in text_keys:
            problems.append(f"unknown question {key!r}; the questions are: {', '.join(sorted(text_keys))}")
        elif value is not None and not isinstance(value, str):
            problems.append(f"the answer to {key!r} must be text, got {type(value).__name__}")
        elif value and value.strip():
            text = value.strip()
            if len(text) > defaults.max_text_chars:
                problems.append(
                    f"the answer to {key!r} is {len(text)} characters long; the limit is {defaults.max_text_chars}"
                )
            texts[key] = text

    if problems:
        raise InputError("the answer cannot be saved", problems)
    says_something = texts or any(v is not None for v in ratings.values())
    says_something = says_something or any(v is not None for v in competency_ratings.values())
    if not says_something:
        raise InputError("the answer is empty: write at least one comment or rate at least one activity")
    return SubmittedAnswer(ratings=ratings, texts=texts, competency_ratings=competency_ratings)
