"""Agenda and action items: they live on the next open 1:1 and carry over until done."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pathcraft.errors import InputError
from pathcraft.growth.cadence import MOVED, Occurrence
from pathcraft.growth.defaults import QUESTION_KEYS, threshold
from pathcraft.growth.figures import Ratio, Threshold


@dataclass(frozen=True)
class AgendaItem:
    """A point one side wants to discuss. `occurrence` is the slot (start) of the 1:1 it waits for."""

    id: str
    text: str
    author: str
    added_at: datetime
    occurrence: datetime | None = None
    done: bool = False
    carried: int = 0
    question: str | None = None  # one of the four questions it serves, if tagged
    prompt_id: str = ""  # the question-bank prompt it came from (a suggestion someone accepted)

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise InputError("an agenda item needs some text")
        if self.question is not None and self.question not in QUESTION_KEYS:
            raise InputError(
                f"unknown question {self.question!r}; expected one of {', '.join(QUESTION_KEYS)}"
            )


@dataclass(frozen=True)
class ActionItem:
    """Something someone agreed to do; reviewed at every 1:1 until done."""

    id: str
    text: str
    owner: str
    due: date
    created_at: datetime
    occurrence: datetime | None = None
    done_on: date | None = None
    carried: int = 0

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise InputError("an action item needs some text")
        if not self.owner:
            raise InputError(f"action item {self.text[:40]!r} needs an owner")

    @property
    def done(self) -> bool:
        return self.done_on is not None


def next_open_occurrence(occurrences: Iterable[Occurrence], after: datetime) -> Occurrence | None:
    """The first planned 1:1 starting at or after `after`."""
    candidates = [o for o in occurrences if o.is_open and o.start >= after]
    return min(candidates, key=lambda o: o.start, default=None)


def add_item(item: AgendaItem | ActionItem, occurrences: Iterable[Occurrence], now: datetime):
    """The item attached to the next open 1:1 (occurrence None while the series has none left)."""
    target = next_open_occurrence(occurrences, now)
    return dataclasses.replace(item, occurrence=target.start if target else None)


def _successor(occ: Occurrence, occurrences: Sequence[Occurrence]) -> Occurrence | None:
    """Where items of a closed 1:1 go: a moved one's replacement, else the next planned one after it."""
    anchor = occ.moved_to if occ.status == MOVED else occ.start
    candidates = [o for o in occurrences if o.is_open and o.start >= anchor and o.start != occ.start]
    return min(candidates, key=lambda o: o.start, default=None)


def carry_over(items: Iterable, occurrences: Sequence[Occurrence]) -> list:
    """Open items whose 1:1 is no longer open (held, cancelled, skipped, moved) move to the next open one.

    `carried` counts the moves: one per call in which the item's 1:1 had closed. The app calls this
    whenever a 1:1 changes state, so an item on a cancelled meeting and then on a moved one is carried
    twice. Done items stay where they were closed; items already on an open 1:1 do not move, so a second
    call changes nothing. Works for AgendaItem and ActionItem alike.
    """
    by_start = {o.start: o for o in occurrences}
    result = []
    for item in items:
        if item.done or item.occurrence is None:
            result.append(item)
            continue
        current = by_start.get(item.occurrence)
        if current is None:
            raise InputError(f"item {item.id!r} belongs to an unknown 1:1 at {item.occurrence.isoformat()}")
        if current.is_open:
            result.append(item)
            continue
        target = _successor(current, occurrences)
        # With no open 1:1 left in the series the item waits (occurrence None) for the next one planned.
        result.append(
            dataclasses.replace(item, occurrence=target.start if target else None, carried=item.carried + 1)
        )
    return result


def items_for(items: Iterable, occurrence: Occurrence) -> list:
    """Items waiting for (or closed at) this 1:1, oldest first."""
    chosen = [i for i in items if i.occurrence == occurrence.start]
    return sorted(chosen, key=lambda i: (getattr(i, "added_at", None) or i.created_at, i.id))


def overdue_by_owner(actions: Iterable[ActionItem], today: date) -> dict[str, list[ActionItem]]:
    """Open action items past their due date, grouped by owner (owners sorted by name)."""
    overdue: dict[str, list[ActionItem]] = {}
    for action in actions:
        if not action.done and action.due < today:
            overdue.setdefault(action.owner, []).append(action)
    return {owner: sorted(overdue[owner], key=lambda a: (a.due, a.id)) for owner in sorted(overdue)}


@dataclass(frozen=True)
class AgendaShare:
    """Who puts items on the agenda; the manager adding more than half is a warning sign."""

    report_items: Ratio
    manager_items: Ratio
    threshold: Threshold
    flagged: bool


def agenda_share(
    items: Iterable[AgendaItem], report: str, manager: str, since: datetime | None = None
) -> AgendaShare:
    """The report's and manager's share of agenda items (optionally only those added since a time)."""
    counted = [i for i in items if since is None or i.added_at >= since]
    by_report = sum(1 for i in counted if i.author == report)
    by_manager = sum(1 for i in counted if i.author == manager)
    # Items by anyone else (a suggested prompt, a mentor's co-lead) count in the total but for neither side.
    total = len(counted)
    alert = threshold("agenda.manager_share_alert")
    manager_ratio = Ratio(by_manager, total)
    flagged = manager_ratio.value is not None and manager_ratio.value > alert.value
    return AgendaShare(Ratio(by_report, total), manager_ratio, alert, flagged)
