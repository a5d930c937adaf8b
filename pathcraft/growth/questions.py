"""The four questions: how long since each was discussed, and one prompt for the next agenda when stale.

Only a discussion resets a question's clock. A suggested prompt that is dismissed is recorded (so it
is not offered again soon) but the question stays stale, and the next agenda gets another prompt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

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
    """What happened to a suggested prompt: suggested, dismissed, or used (talked about)."""

    prompt_id: str
    question: str
    on: date
    action: str

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
