"""The three career conversations and the first 1:1 of a new relationship, as pure engines with worked dates.

The worked relationship starts on Monday 2026-01-05: life story due by 2026-02-04 (30 days), dreams by
2026-03-06 (60), action plan by 2026-04-05 (90); the first 1:1 by Monday 2026-01-12 (5 working days,
Monday–Friday, the start day not counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest

from pathcraft.errors import InputError
from pathcraft.growth.cadence import (
    CANCELLED,
    FIRST_HELD,
    FIRST_MISSING,
    FIRST_PLANNED,
    HELD,
    SKIPPED_FOR_LEAVE,
    Leave,
    first_free_slot,
    first_one_on_one,
)
from pathcraft.growth.defaults import QUESTION_KEYS, question_data
from pathcraft.growth.questions import (
    DISMISSED,
    USED,
    PromptEvent,
    Suggestion,
    agenda_suggestions,
    career_conversations,
    career_prompt_id,
    career_window_end,
    held_career_conversations,
    is_new_relationship,
    question_bank,
    suggest_career_conversation,
)
from pathcraft.growth.tests.factories import BERLIN, REPORT, at, occ, relationship

START = date(2026, 1, 5)  # a Monday
NEXT = datetime(2026, 2, 12, 10, tzinfo=BERLIN)  # "the next 1:1" the suggestion is for
PREVIOUS = datetime(2026, 2, 5, 10, tzinfo=BERLIN)


@dataclass(frozen=True)
class Item:
    """An agenda item as the engines read it (rows and plain AgendaItems have these attributes)."""

    prompt_id: str = ""
    done: bool = False
    question: str = ""


def held(*keys):
    return [Item(career_prompt_id(k), True, "") for k in keys]


def dismissed(key, occurrence):
    return PromptEvent(career_prompt_id(key), "motivation", START, DISMISSED, occurrence)


def suggest(today, items=(), history=(), occurrence=NEXT):
    return suggest_career_conversation(START, today, items, history, occurrence, question_bank())


# --- the schedule ----------------------------------------------------------------------------------


def test_worked_due_dates_and_when_each_opens():
    conversations = career_conversations(START, [])
    assert [(c.key, c.due, c.opens) for c in conversations] == [
        ("life_story", date(2026, 2, 4), date(2026, 1, 5)),
        ("dreams", date(2026, 3, 6), date(2026, 2, 5)),  # the day after life story's deadline
        ("career_action_plan", date(2026, 4, 5), date(2026, 3, 7)),
    ]
    assert career_window_end(START) == date(2026, 4, 5)
    # Once life story is held, dreams opens at once (the next 1:1), not only after day 30.
    assert career_conversations(START, held("life_story"))[1].opens == START


def test_each_conversation_has_its_prompt_in_the_bank_with_a_source_and_its_question():
    bank = {p.id: p for p in question_bank()}
    for conversation in question_data().career_conversations:
        prompt = bank[career_prompt_id(conversation.key)]
        assert prompt.question == conversation.question
        assert "Radical Candor" in prompt.source
    assert [career_prompt_id(c.key) for c in question_data().career_conversations] == [
        "career-life-story",
        "career-dreams",
        "career-action-plan",
    ]


@pytest.mark.parametrize(
    ("today", "new"),
    [(date(2026, 1, 4), False), (START, True), (date(2026, 4, 5), True), (date(2026, 4, 6), False)],
)
def test_a_relationship_is_new_for_its_first_90_days(today, new):
    assert is_new_relationship(START, today) is new


# --- what counts as held ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([Item("career-life-story", True, "motivation")], {"life_story"}),
        ([Item("career-life-story", False, "motivation")], set()),  # on the agenda, not talked about yet
        ([Item("", True, "motivation")], set()),  # a hand-written point cannot be told from any other
        ([Item("motivation-energy", True, "motivation")], set()),  # another prompt of the same question
        (held("life_story", "dreams", "career_action_plan"), {"life_story", "dreams", "career_action_plan"}),
    ],
)
def test_held_means_its_agenda_point_was_marked_discussed(items, expected):
    assert held_career_conversations(items) == expected


# --- which one is suggested ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "today", "items", "history", "expected"),
    [
        ("day one: life story", START, [], [], ("life_story", 30)),
        ("life story missed its deadline", date(2026, 2, 10), [], [], ("life_story", -6)),
        ("after life story, dreams at once", date(2026, 1, 20), held("life_story"), [], ("dreams", 45)),
        ("dreams in its own window", date(2026, 2, 10), held("life_story"), [], ("dreams", 24)),
        ("then the action plan", date(2026, 3, 10), held("life_story", "dreams"), [], ("career_action_plan", 26)),
        ("the day of the last deadline", date(2026, 4, 5), held("life_story", "dreams"), [],
         ("career_action_plan", 0)),
        ("after the window: nothing", date(2026, 4, 6), [], [], None),
        ("all three held: nothing", date(2026, 2, 10), held("life_story", "dreams", "career_action_plan"), [],
         None),
        ("accepted, waiting on the agenda: nothing more", date(2026, 2, 10),
         [Item("career-life-story", False, "motivation")], [], None),
        ("dismissed for this 1:1, dreams not open yet", date(2026, 1, 20), [],
         [dismissed("life_story", NEXT)], None),
        ("dismissed for this 1:1, dreams open: dreams", date(2026, 2, 10), [],
         [dismissed("life_story", NEXT)], ("dreams", 24)),
        ("dismissed for the previous 1:1: back now", date(2026, 2, 10), [],
         [dismissed("life_story", PREVIOUS)], ("life_story", -6)),
        ("a used event is not a dismissal", date(2026, 1, 20), [],
         [PromptEvent("career-life-story", "motivation", START, USED, NEXT)], ("life_story", 15)),
    ],
)  # fmt: skip
def test_one_career_conversation_at_a_time(case, today, items, history, expected):
    found = suggest(today, items, history)
    if expected is None:
        assert found is None, case
        return
    key, days_left = expected
    assert found is not None, case
    assert (found.conversation.key, found.days_left) == (key, days_left), case
    assert found.prompt.id == career_prompt_id(key) and found.question == found.conversation.question


def test_the_reason_says_the_deadline_and_how_far_off_it_is():
    assert suggest(START).reason == "Career conversation 1: life story: due by 2026-02-04 — 30 days left"
    assert suggest(date(2026, 2, 10)).reason.endswith("due by 2026-02-04 — 6 days overdue")
    assert suggest(date(2026, 2, 4)).reason.endswith("due today")


def test_a_dismissal_without_a_planned_1on1_holds_until_one_is_planned():
    history = [dismissed("life_story", None)]
    assert suggest(date(2026, 1, 20), [], history, occurrence=None) is None
    assert suggest(date(2026, 1, 20), [], history, occurrence=NEXT).conversation.key == "life_story"


def test_a_bank_without_the_prompt_is_a_clear_error():
    bank = [p for p in question_bank() if p.id != "career-dreams"]
    with pytest.raises(InputError, match="no prompt 'career-dreams'"):
        suggest_career_conversation(START, date(2026, 2, 10), held("life_story"), [], NEXT, bank)


# --- career conversation and stale question on one agenda -----------------------------------------


def stale(question):
    prompt = next(p for p in question_bank() if p.question == question and not p.id.startswith("career-"))
    return Suggestion(prompt, question, f"{question} is stale")


@pytest.mark.parametrize(
    ("case", "career_today", "stale_q", "items", "shown", "held_back"),
    [
        ("different questions: one of each", START, "vision", [], ("life_story", "vision"), ""),
        ("same question: the career conversation wins", START, "motivation", [], ("life_story", None),
         "the career conversation serves it"),
        ("no career conversation: the stale prompt", None, "motivation", [], (None, "motivation"), ""),
        ("question already on the agenda: no prompt", None, "align", [Item("", False, "align")], (None, None),
         "is on the agenda already"),
        ("a done item does not count", None, "align", [Item("", True, "align")], (None, "align"), ""),
        ("its prompt already on the agenda", None, "grow", [Item("PROMPT", False, "")], (None, None),
         "suggested prompt is on the agenda already"),
    ],
)  # fmt: skip
def test_at_most_one_of_each_kind(case, career_today, stale_q, items, shown, held_back):
    career = suggest(career_today) if career_today else None
    stale_suggestion = stale(stale_q)
    items = [
        Item(stale_suggestion.prompt.id, i.done, i.question) if i.prompt_id == "PROMPT" else i for i in items
    ]
    picks = agenda_suggestions(career, stale_suggestion, items)
    assert (picks.career.conversation.key if picks.career else None) == shown[0], case
    assert (picks.stale.question if picks.stale else None) == shown[1], case
    assert held_back in picks.held_back, case
    assert bool(picks.held_back) == bool(held_back), case


def test_the_career_prompt_chosen_for_a_stale_question_gives_way_to_the_career_conversation():
    # motivation's first bank prompt IS the life-story prompt: never shown twice.
    first_motivation = next(p for p in question_bank() if p.question == "motivation")
    assert first_motivation.id == "career-life-story"
    picks = agenda_suggestions(suggest(START), Suggestion(first_motivation, "motivation", "stale"), [])
    assert picks.career.prompt.id == "career-life-story" and picks.stale is None


def test_only_known_questions_reach_the_combination():
    assert {c.question for c in question_data().career_conversations} <= set(QUESTION_KEYS)


# --- the first 1:1 within five working days --------------------------------------------------------


def monday_rel(**kwargs):
    return relationship("weekly", starts_on=START, weekday=kwargs.pop("weekday", 0), **kwargs)


def test_first_1on1_due_by_the_fifth_working_day():
    state = first_one_on_one(monday_rel(), [occ(at(2026, 1, 5))], at(2026, 1, 5, 8))
    assert (state.due, state.working_days) == (date(2026, 1, 12), 5)
    assert state.state == FIRST_PLANNED and state.planned == at(2026, 1, 5) and not state.warn
    holiday = first_one_on_one(monday_rel(), [], at(2026, 1, 5, 8), holidays=[date(2026, 1, 7)])
    assert holiday.due == date(2026, 1, 13)


@pytest.mark.parametrize(
    ("case", "occurrences", "now", "leaves", "state", "proposed", "late"),
    [
        ("held", [occ(at(2026, 1, 5), HELD)], at(2026, 1, 20), [], FIRST_HELD, None, False),
        ("first cancelled, second on the deadline", [occ(at(2026, 1, 5), CANCELLED, cancelled_by="m"),
         occ(at(2026, 1, 12))], at(2026, 1, 5, 12), [], FIRST_PLANNED, None, False),
        ("both skipped for leave: plan tomorrow", [occ(at(2026, 1, 5), CANCELLED, cancelled_by="m"),
         occ(at(2026, 1, 12), SKIPPED_FOR_LEAVE), occ(at(2026, 1, 19))], at(2026, 1, 5, 12),
         [Leave(REPORT, date(2026, 1, 12), date(2026, 1, 16))], FIRST_MISSING, at(2026, 1, 6), False),
        ("Friday afternoon: the weekend is skipped", [occ(at(2026, 1, 7), CANCELLED, cancelled_by="m"),
         occ(at(2026, 1, 14))], at(2026, 1, 9, 15), [], FIRST_MISSING, at(2026, 1, 12), False),
        ("the report away Monday to Wednesday", [occ(at(2026, 1, 14))], at(2026, 1, 9, 15),
         [Leave(REPORT, date(2026, 1, 12), date(2026, 1, 14))], FIRST_MISSING, at(2026, 1, 15), False),
        ("someone else's leave does not matter", [occ(at(2026, 1, 14))], at(2026, 1, 9, 15),
         [Leave("other@example.org", date(2026, 1, 12), date(2026, 1, 14))], FIRST_MISSING, at(2026, 1, 12),
         False),
        ("a slot already taken is skipped", [occ(at(2026, 1, 12), CANCELLED, cancelled_by="m"),
         occ(at(2026, 1, 14))], at(2026, 1, 9, 15), [], FIRST_MISSING, at(2026, 1, 13), False),
        ("past the deadline, nothing held: late", [occ(at(2026, 1, 5))], at(2026, 1, 14, 12), [],
         FIRST_MISSING, at(2026, 1, 15), True),
        ("a held 1:1 in the future is not held yet", [occ(at(2026, 1, 21), HELD)], at(2026, 1, 14, 12), [],
         FIRST_MISSING, at(2026, 1, 15), True),
    ],
)  # fmt: skip
def test_first_1on1_states(case, occurrences, now, leaves, state, proposed, late):
    rel = monday_rel(weekday=0)
    found = first_one_on_one(rel, occurrences, now, leaves)
    assert (found.state, found.proposed, found.late) == (state, proposed, late), case
    assert found.warn is (state == FIRST_MISSING)


def test_the_slot_keeps_the_local_hour_in_the_relationships_zone():
    rel = monday_rel(at=time(9, 30), timezone="America/New_York")
    slot = first_free_slot(rel, [], datetime(2026, 3, 6, 20, tzinfo=BERLIN))  # Friday 14:00 in New York
    assert slot.isoformat() == "2026-03-09T09:30:00-04:00"  # Monday, after the US switch to summer time


def test_no_free_day_within_the_search_gives_no_slot():
    leave = [Leave(REPORT, date(2026, 1, 1), date(2026, 3, 1))]
    assert first_free_slot(monday_rel(), [], at(2026, 1, 5, 12), leave) is None
    state = first_one_on_one(monday_rel(), [], at(2026, 1, 5, 12), leave)
    assert state.warn and state.proposed is None


def test_naive_now_is_refused():
    with pytest.raises(InputError, match="aware"):
        first_one_on_one(monday_rel(), [], datetime(2026, 1, 5, 12))
    assert first_one_on_one(monday_rel(), [], at(2026, 1, 5, 12)).due == START + timedelta(days=7)
