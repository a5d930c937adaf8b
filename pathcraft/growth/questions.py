"""The four questions: how long since each was discussed, and one prompt for the next agenda when stale;
and the three career conversations a new relationship is offered in its first months.

Only a discussion resets a question's clock. A suggested prompt that is dismissed is recorded (so it
is not offered again soon) but the question stays stale, and the next agenda gets another prompt.

The next agenda shows at most one suggestion of each kind (`agenda_suggestions`): one career
conversation and one prompt for a stale question. When both serve the same question the career
conversation wins, and a question already on the agenda gets no prompt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pathcraft.errors import InputError
from pathcraft.growth.defaults import QUESTION_KEYS, BankPrompt, check_prompts, question_data

# Kinds of record that can carry a question tag.
DISCUSSION_KINDS = ("agenda_item", "note", "growth_plan")
SUGGESTED, DISMISSED, USED = "suggested", "dismissed", "used"


@dataclass(frozen=True)
class Discussion:
    """An agenda item, note or growth-plan entry tagged with one of the four questions."""

    question: str
    on: date
    discussed: bool = True  # an agenda item tagged but not yet talked about does not reset the clock
    kind: str = "agenda_item"

    def __post_init__(self) -> None:
        if self.question not in QUESTION_KEYS:
            raise InputError(
                f"unknown question {self.question!r}; expected one of {', '.join(QUESTION_KEYS)}"
            )
        if self.kind not in DISCUSSION_KINDS:
            raise InputError(f"unknown kind {self.kind!r}; expected one of {', '.join(DISCUSSION_KINDS)}")


@dataclass(frozen=True)
class PromptEvent:
    """What happened to a suggested prompt: suggested, dismissed, or used (talked about).

    `occurrence` is the start of the 1:1 it was dismissed for, when that matters (career conversations).
    """

    prompt_id: str
    question: str
    on: date
    action: str
    occurrence: datetime | None = None

    def __post_init__(self) -> None:
        if self.action not in (SUGGESTED, DISMISSED, USED):
            raise InputError(f"unknown prompt action {self.action!r}; expected suggested, dismissed or used")


@dataclass(frozen=True)
class Staleness:
    question: str
    label: str
    last_discussed: date | None
    days_since: int  # since the last discussion, or since the relationship began if never
    stale_after_days: int
    source: str

    @property
    def stale(self) -> bool:
        return self.days_since > self.stale_after_days

    @property
    def days_overdue(self) -> int:
        return self.days_since - self.stale_after_days


@dataclass(frozen=True)
class Suggestion:
    """The one prompt proposed for the next agenda, and why."""

    prompt: BankPrompt
    question: str
    reason: str


def question_bank(user_prompts: Iterable[BankPrompt] = ()) -> list[BankPrompt]:
    """Bundled prompts followed by the user's own; ids must stay unique."""
    bank = [*question_data().prompts, *user_prompts]
    check_prompts(bank)
    return bank


def staleness(
    discussions: Iterable[Discussion],
    today: date,
    since: date,
    stale_after: dict[str, int] | None = None,
) -> list[Staleness]:
    """For each of the four questions (fixed order), days since it was last discussed.

    `since` is when the relationship began: a question never discussed is as old as the relationship.
    `stale_after` overrides the defaults per question (a team may choose its own).
    """
    if since > today:
        raise InputError(f"relationship starts ({since}) after today ({today})")
    overrides = stale_after or {}
    unknown = set(overrides) - set(QUESTION_KEYS)
    if unknown:
        raise InputError(f"unknown question(s) in stale_after: {', '.join(sorted(unknown))}")
    last: dict[str, date] = {}
    for d in discussions:
        # A mark dated in the future (a planned agenda item) is not a discussion yet.
        if d.discussed and d.on <= today and (d.question not in last or d.on > last[d.question]):
            last[d.question] = d.on
    result = []
    for q in question_data().questions:
        limit = int(overrides.get(q.key, q.stale_after_days))
        if limit < 1:
            raise InputError(f"stale_after for {q.key} must be at least 1 day, got {limit}")
        seen = last.get(q.key)
        days = (today - (seen or since)).days
        source = "set by the team" if q.key in overrides else q.source
        result.append(Staleness(q.key, q.label, seen, days, limit, source))
    return result


def _recently_offered(history: Iterable[PromptEvent], today: date, avoid_days: int) -> dict[str, date]:
    """Prompt id -> last time it was dismissed or used, within the avoid window."""
    cutoff = today - timedelta(days=avoid_days)
    recent: dict[str, date] = {}
    for event in history:
        if event.action in (DISMISSED, USED) and cutoff <= event.on <= today:
            recent[event.prompt_id] = max(event.on, recent.get(event.prompt_id, event.on))
    return recent


def choose_prompt(
    question: str, bank: Sequence[BankPrompt], history: Iterable[PromptEvent], today: date
) -> BankPrompt:
    """A prompt for the question: the first in bank order not dismissed/used recently, else the stalest one."""
    candidates = [p for p in bank if p.question == question]
    if not candidates:
        raise InputError(f"the question bank has no prompt for {question!r}")
    history = list(history)
    recent = _recently_offered(history, today, question_data().avoid_repeat_days)
    for prompt in candidates:
        if prompt.id not in recent:
            return prompt
    # All were offered lately: bring back the one offered longest ago (bank order breaks ties).
    return min(candidates, key=lambda p: (recent[p.id], candidates.index(p)))


def suggest_for_next_agenda(
    staleness_list: Sequence[Staleness],
    bank: Sequence[BankPrompt],
    history: Iterable[PromptEvent],
    today: date,
) -> Suggestion | None:
    """At most ONE prompt for the next agenda: for the question most overdue (ties in fixed order)."""
    stale = [s for s in staleness_list if s.stale]
    if not stale:
        return None
    order = {key: i for i, key in enumerate(QUESTION_KEYS)}
    worst = max(stale, key=lambda s: (s.days_overdue, -order[s.question]))
    prompt = choose_prompt(worst.question, bank, history, today)
    when = f"last discussed {worst.last_discussed}" if worst.last_discussed else "not discussed yet"
    reason = f"{worst.label} — {when}, {worst.days_since} days ago; stale after {worst.stale_after_days} days"
    return Suggestion(prompt, worst.question, reason)


def dismiss(history: Sequence[PromptEvent], suggestion: Suggestion, on: date) -> list[PromptEvent]:
    """Record a dismissal. It does not reset the question's clock (only a Discussion does)."""
    return [*history, PromptEvent(suggestion.prompt.id, suggestion.question, on, DISMISSED)]


def use(
    history: Sequence[PromptEvent], suggestion: Suggestion, on: date
) -> tuple[list[PromptEvent], Discussion]:
    """Record that the prompt was talked about: a prompt event plus the Discussion that resets the clock."""
    events = [*history, PromptEvent(suggestion.prompt.id, suggestion.question, on, USED)]
    return events, Discussion(suggestion.question, on, True, "agenda_item")


# --- the three career conversations of a new relationship ----------------------------------------


@dataclass(frozen=True)
class CareerConversation:
    """Where one of the three career conversations (life story, dreams, action plan) stands."""

    key: str
    label: str
    question: str
    prompt_id: str
    opens: date  # first day it may be suggested
    due: date  # held by this day, counted from the start of the relationship
    held: bool
    on_agenda: bool  # accepted, waiting on the agenda, not held yet


@dataclass(frozen=True)
class CareerSuggestion:
    """The career conversation proposed for the next 1:1, with its prompt from the question bank."""

    conversation: CareerConversation
    prompt: BankPrompt
    today: date

    @property
    def question(self) -> str:
        return self.conversation.question

    @property
    def days_left(self) -> int:
        """Days until it is due; negative when overdue."""
        return (self.conversation.due - self.today).days

    @property
    def when(self) -> str:
        """'25 days left', 'due tomorrow', 'due today' or '6 days overdue'."""
        left = self.days_left
        if left > 1:
            return f"{left} days left"
        return "due tomorrow" if left == 1 else "due today" if left == 0 else f"{-left} days overdue"

    @property
    def reason(self) -> str:
        return f"{self.conversation.label}: due by {self.conversation.due.isoformat()} — {self.when}"


def career_prompt_id(key: str) -> str:
    """The bank prompt of a career conversation: life_story -> career-life-story, career_action_plan ->
    career-action-plan (the rule `actions.career_conversations_done` reads them back with)."""
    return "career-" + key.removeprefix("career_").replace("_", "-")


def career_window_end(started_on: date) -> date:
    """The last day career conversations are suggested: the deadline of the last one (90 days)."""
    days = max((c.suggest_within_days for c in question_data().career_conversations), default=0)
    return started_on + timedelta(days=days)


def is_new_relationship(started_on: date, today: date) -> bool:
    """Career conversations and the first-1:1 check apply only this long (as on the manager dashboard)."""
    return started_on <= today <= career_window_end(started_on)


def held_career_conversations(items: Iterable) -> set[str]:
    """Keys of the career conversations held.

    The rule: a conversation is held once an agenda item carrying its prompt (added by accepting the
    suggestion, or from the bank for a stale question) is marked discussed. A dismissal is not a
    conversation, and a hand-written item cannot be told apart from any other, so neither counts.
    `items` need `prompt_id` and `done` (agenda items, plain or rows).
    """
    done = {i.prompt_id for i in items if i.done and i.prompt_id}
    return {c.key for c in question_data().career_conversations if career_prompt_id(c.key) in done}


def career_conversations(started_on: date, items: Iterable) -> list[CareerConversation]:
    """The three conversations in order. Each is due N days after the start (30, 60, 90); the first may
    be suggested from day one, each later one once the one before is held or past its own deadline."""
    items = list(items)
    held = held_career_conversations(items)
    waiting = {i.prompt_id for i in items if not i.done and i.prompt_id}
    result: list[CareerConversation] = []
    for conversation in question_data().career_conversations:
        previous = result[-1] if result else None
        opens = started_on if previous is None or previous.held else previous.due + timedelta(days=1)
        prompt_id = career_prompt_id(conversation.key)
        result.append(CareerConversation(
            conversation.key, conversation.label, conversation.question, prompt_id, opens,
            started_on + timedelta(days=conversation.suggest_within_days), conversation.key in held,
            prompt_id in waiting and conversation.key not in held,
        ))  # fmt: skip
    return result


def suggest_career_conversation(
    started_on: date,
    today: date,
    items: Iterable,
    history: Iterable[PromptEvent],
    occurrence: datetime | None,
    bank: Sequence[BankPrompt],
) -> CareerSuggestion | None:
    """At most ONE career conversation for the 1:1 starting at `occurrence` (the next open one).

    The first one not held, in order, once it is open. None after the window (`career_window_end`),
    while an accepted one waits on the agenda, or when every open one was dismissed for this very 1:1
    (a dismissal holds for one 1:1: the conversation comes back at the next one, still not held).
    """
    if not is_new_relationship(started_on, today):
        return None
    conversations = career_conversations(started_on, items)
    if any(c.on_agenda for c in conversations):
        return None
    dismissed = {e.prompt_id for e in history if e.action == DISMISSED and e.occurrence == occurrence}
    by_id = {p.id: p for p in bank}
    for conversation in conversations:
        if conversation.held:
            continue
        if today < conversation.opens:
            return None  # later ones open later still
        if conversation.prompt_id in dismissed:
            continue
        prompt = by_id.get(conversation.prompt_id)
        if prompt is None:
            raise InputError(
                f"the question bank has no prompt {conversation.prompt_id!r} for {conversation.label!r}"
            )
        return CareerSuggestion(conversation, prompt, today)
    return None


@dataclass(frozen=True)
class AgendaSuggestions:
    """What the next agenda shows: at most one career conversation and one prompt for a stale question.

    `held_back` says why a stale question's prompt is not shown although the question is due.
    """

    career: CareerSuggestion | None
    stale: Suggestion | None
    held_back: str = ""


def agenda_suggestions(
    career: CareerSuggestion | None, stale: Suggestion | None, open_items: Iterable
) -> AgendaSuggestions:
    """Combine the two kinds without flooding the agenda.

    A stale question already on the agenda (an open item tagged with it, or carrying its prompt) gets no
    prompt; when the career conversation serves the same question as the stale one — or is the same
    prompt — the career conversation wins: talking about it resets that question's clock too.
    `open_items` need `question`, `prompt_id` and `done`.
    """
    if stale is None:
        return AgendaSuggestions(career, None)
    label = question_data().question(stale.question).label
    waiting = [i for i in open_items if not i.done]
    if any(i.prompt_id == stale.prompt.id for i in waiting):
        why = f"“{label}” — its suggested prompt is on the agenda already"
    elif any(i.question == stale.question for i in waiting):
        why = f"“{label}” is on the agenda already"
    elif career is not None and (career.question == stale.question or career.prompt.id == stale.prompt.id):
        why = f"“{label}” — the career conversation serves it"
    else:
        return AgendaSuggestions(career, stale)
    return AgendaSuggestions(career, None, why)
