from datetime import date, timedelta

import pytest

from pathcraft.errors import InputError
from pathcraft.growth.defaults import QUESTION_KEYS, BankPrompt, question_data
from pathcraft.growth.questions import (
    DISMISSED,
    Discussion,
    PromptEvent,
    choose_prompt,
    dismiss,
    question_bank,
    staleness,
    suggest_for_next_agenda,
    use,
)

START = date(2025, 1, 1)


def _fresh(today):
    """Every question discussed `today`, so nothing is stale."""
    return [Discussion(q, today) for q in QUESTION_KEYS]


def test_days_since_each_question_in_fixed_order():
    today = date(2025, 4, 1)
    discussions = [
        Discussion("grow", date(2025, 3, 1)),
        Discussion("grow", date(2025, 2, 1)),
        Discussion("motivation", date(2025, 2, 1), kind="note"),
        Discussion("align", date(2025, 3, 25), discussed=False),  # tagged, not talked about yet
        Discussion("vision", date(2025, 5, 1)),  # in the future: not a discussion yet
    ]
    result = staleness(discussions, today, START)
    assert [s.question for s in result] == list(QUESTION_KEYS)
    days = {s.question: (s.last_discussed, s.days_since, s.stale) for s in result}
    assert days["grow"] == (date(2025, 3, 1), 31, False)
    assert days["motivation"] == (date(2025, 2, 1), 59, True)  # stale after 30
    assert days["align"] == (None, 90, False)  # 90 days old, stale only after 90
    assert days["vision"] == (None, 90, False)


def test_stale_question_triggers_exactly_one_suggestion_and_only_discussion_resets_it():
    bank = question_bank()
    today = date(2025, 3, 1)
    discussions = [*_fresh(date(2025, 2, 20))]
    discussions = [d for d in discussions if d.question != "motivation"]
    discussions.append(Discussion("motivation", date(2025, 1, 15)))  # 45 days: stale
    first = suggest_for_next_agenda(staleness(discussions, today, START), bank, [], today)
    assert first is not None and first.question == "motivation"
    assert first.prompt.question == "motivation" and first.prompt.source
    assert "45 days ago" in first.reason

    # Dismissing is recorded and does not reset the clock: still stale, next agenda gets another prompt.
    history = dismiss([], first, today)
    assert history == [PromptEvent(first.prompt.id, "motivation", today, DISMISSED)]
    next_week = today + timedelta(days=7)
    still = staleness(discussions, next_week, START)
    assert next(s for s in still if s.question == "motivation").stale
    second = suggest_for_next_agenda(still, bank, history, next_week)
    assert second.question == "motivation" and second.prompt.id != first.prompt.id

    # Talking about it resets the clock: no suggestion any more.
    history, discussion = use(history, second, next_week)
    after = staleness([*discussions, discussion], next_week, START)
    assert not any(s.stale for s in after)
    assert suggest_for_next_agenda(after, bank, history, next_week) is None


def test_the_most_overdue_question_wins_and_choice_is_deterministic():
    today = date(2025, 6, 1)
    discussions = [Discussion("grow", date(2025, 1, 2)), Discussion("motivation", date(2025, 4, 1))]
    # grow: 150 days, 60 over its 90; motivation: 61 days, 31 over; align/vision: 151 days, 61 over.
    stale = staleness(discussions, today, START)
    picks = {suggest_for_next_agenda(stale, question_bank(), [], today).prompt.id for _ in range(5)}
    assert len(picks) == 1
    assert suggest_for_next_agenda(stale, question_bank(), [], today).question == "align"


def test_when_every_prompt_was_dismissed_the_oldest_comes_back():
    bank = [p for p in question_bank() if p.question == "vision"]
    today = date(2025, 6, 1)
    history = [
        PromptEvent(p.id, "vision", today - timedelta(days=10 + i), DISMISSED) for i, p in enumerate(bank)
    ]
    assert choose_prompt("vision", bank, history, today).id == bank[-1].id


def test_user_prompts_join_the_bank_and_bad_ones_are_refused():
    mine = BankPrompt("team-ritual", "vision", "Which customer story stayed with you this month?", "our team")
    bank = question_bank([mine])
    assert bank[-1] == mine and len(bank) == len(question_data().prompts) + 1
    with pytest.raises(InputError, match="question bank has problems") as error:
        question_bank([BankPrompt("grow-goal", "salary", "", "")])
    text = str(error.value)
    assert "id used twice" in text and "unknown question 'salary'" in text and "missing source" in text


def test_every_question_has_prompts_and_every_prompt_a_source():
    data = question_data()
    assert {p.question for p in data.prompts} == set(QUESTION_KEYS)
    assert all(p.source for p in data.prompts)
    assert {q.key: q.stale_after_days for q in data.questions} == {
        "grow": 90,
        "align": 90,
        "motivation": 30,
        "vision": 90,
    }
    assert all(q.estimate for q in data.questions)
    sources = " ".join(p.source for p in data.prompts)
    assert "Whitmore" in sources and "Laraway" in sources and "pathcraft" in sources


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Discussion("money", START), "unknown question 'money'"),
        (lambda: Discussion("grow", START, kind="email"), "unknown kind 'email'"),
        (lambda: staleness([], START, date(2025, 2, 1)), "starts .* after today"),
        (lambda: staleness([], date(2025, 2, 1), START, {"salary": 10}), "unknown question.*salary"),
        (lambda: staleness([], date(2025, 2, 1), START, {"grow": 0}), "at least 1 day"),
        (lambda: PromptEvent("x", "grow", START, "snoozed"), "unknown prompt action 'snoozed'"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(InputError, match=message):
        call()
