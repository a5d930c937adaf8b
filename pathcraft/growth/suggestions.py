"""What the 1:1 page suggests for the next agenda, read from the rows: the career conversation of a new
relationship, the stale question's prompt (computed by `queries.question_state`) and the first-1:1 check;
and the three state changes behind its buttons. The rules themselves live in the pure engines
(`questions.py`: `suggest_career_conversation`, `agenda_suggestions`; `cadence.py`: `first_one_on_one`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from pathcraft.errors import InputError, PathcraftError
from pathcraft.growth import actions, queries
from pathcraft.growth import cadence as engine
from pathcraft.growth.models import AgendaItem, Leave, Occurrence, PromptEvent, Relationship
from pathcraft.growth.questions import (
    DISMISSED,
    AgendaSuggestions,
    CareerSuggestion,
    Suggestion,
    agenda_suggestions,
    is_new_relationship,
    question_bank,
    suggest_career_conversation,
)
from pathcraft.growth.questions import PromptEvent as PlainPromptEvent
from pathcraft.people.models import Person

FIRST_SOURCE = "first"  # Occurrence.source of a first 1:1 planned from the warning


def _today(rel: Relationship, now: dt.datetime) -> dt.date:
    return now.astimezone(engine.zone(rel.timezone)).date()


def _history(rel: Relationship) -> list[PlainPromptEvent]:
    events = rel.prompt_events.select_related("occurrence")
    return [
        PlainPromptEvent(
            e.prompt_id, e.question, e.on, e.action, e.occurrence.start if e.occurrence_id else None
        )
        for e in events
    ]


def career_suggestion(
    rel: Relationship, now: dt.datetime | None = None
) -> tuple[CareerSuggestion | None, Occurrence | None]:
    """The career conversation suggested for the next open 1:1 (and that 1:1), or None."""
    now = now or timezone.now()
    today = _today(rel, now)
    nxt = actions.next_occurrence(rel, now)
    if not is_new_relationship(rel.started_on, today):
        return None, nxt
    items = list(rel.agenda_items.only("prompt_id", "done", "question"))
    bank = question_bank(queries.user_prompts(rel.report.organisation_id))
    found = suggest_career_conversation(
        rel.started_on, today, items, _history(rel), nxt.start if nxt else None, bank
    )
    return found, nxt


def for_agenda(
    rel: Relationship, stale: Suggestion | None, now: dt.datetime | None = None
) -> AgendaSuggestions:
    """Both kinds for the next agenda, combined (`questions.agenda_suggestions` says which wins)."""
    career, _ = career_suggestion(rel, now)
    open_items = rel.agenda_items.filter(done=False).only("prompt_id", "done", "question")
    return agenda_suggestions(career, stale, open_items)


@dataclass(frozen=True)
class FirstCheck:
    """The first-1:1 check as the page shows it (None from `first_check` when it does not apply)."""

    state: engine.FirstOneOnOne
    started_on: dt.date
    zone: str


def first_check(rel: Relationship, now: dt.datetime | None = None) -> FirstCheck | None:
    """The first 1:1 against its deadline, while the relationship is new (as on the dashboard)."""
    now = now or timezone.now()
    if not rel.is_active or not is_new_relationship(rel.started_on, _today(rel, now)):
        return None
    occurrences = actions.engine_occurrences(rel)
    rows = Leave.objects.filter(person_id__in=(rel.manager_id, rel.report_id)).select_related("person")
    leaves = [leave.to_engine() for leave in rows]
    state = engine.first_one_on_one(rel.to_engine(), occurrences, now, leaves)
    return FirstCheck(state, rel.started_on, rel.timezone)


# --- state changes behind the buttons -----------------------------------------------------------


def _current(rel: Relationship, key: str, now: dt.datetime) -> tuple[CareerSuggestion, Occurrence | None]:
    found, nxt = career_suggestion(rel, now)
    if found is None or found.conversation.key != key:
        raise PathcraftError("That suggestion is no longer current.")
    return found, nxt


def accept_career_conversation(
    rel: Relationship, by: Person, key: str, now: dt.datetime | None = None
) -> AgendaItem:
    """The suggested conversation becomes an agenda item of the next 1:1, tagged with its question and
    carrying its prompt (so marking it discussed counts the conversation as held)."""
    now = now or timezone.now()
    found, _ = _current(rel, key, now)
    return actions.use_prompt(rel, found.prompt.id, found.question, found.prompt.text, by, now=now)


def dismiss_career_conversation(
    rel: Relationship, by: Person, key: str, now: dt.datetime | None = None
) -> PromptEvent:
    """Recorded as a dismissal for the next 1:1 only; the conversation is not held and comes back."""
    now = now or timezone.now()
    found, nxt = _current(rel, key, now)
    return actions.record_prompt(rel, found.prompt.id, found.question, DISMISSED, by, on=_today(rel, now),
                                 occurrence=nxt)  # fmt: skip


def plan_first_one_on_one(rel: Relationship, slot: str, now: dt.datetime | None = None) -> Occurrence:
    """Plan the first 1:1 at the slot the warning offered (refused when the offer is no longer current)."""
    now = now or timezone.now()
    check = first_check(rel, now)
    if check is None or not check.state.warn or check.state.proposed is None:
        raise PathcraftError("The first 1:1 needs no planning any more.")
    try:
        wanted = dt.datetime.fromisoformat(slot)
    except (TypeError, ValueError):
        raise InputError(
            f"cannot read the slot {slot!r}; expected a time like 2026-01-06T10:00:00+00:00"
        ) from None
    if wanted.tzinfo is None or wanted != check.state.proposed:
        raise PathcraftError("That slot is no longer the first free one; look at the page again.")
    proposed = check.state.proposed
    try:
        with transaction.atomic():
            occ = Occurrence.objects.create(
                relationship=rel, start=proposed, length_minutes=rel.length_minutes, source=FIRST_SOURCE
            )
    except IntegrityError:
        raise PathcraftError("That slot was just taken; look at the page again.") from None
    actions.carry_items(rel, now)
    return occ
