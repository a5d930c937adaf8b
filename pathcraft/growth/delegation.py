"""Delegation board, readiness for a manager's leave, handover, and what reached the manager anyway."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from pathcraft.errors import InputError
from pathcraft.growth.agenda import ActionItem
from pathcraft.growth.cadence import Leave
from pathcraft.growth.defaults import delegation_data

DUTY, DECISION, FILE = "duty", "decision", "file"


@dataclass(frozen=True)
class Duty:
    """A duty or decision the team depends on. `level` is Management 3.0's delegation level 1–7."""

    name: str
    owner: str
    deputy: str | None = None
    level: int = 1
    critical: bool = False
    kind: str = DUTY

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InputError("a duty needs a name")
        if not self.owner:
            raise InputError(f"duty {self.name!r} needs an owner")
        if self.kind not in (DUTY, DECISION, FILE):
            raise InputError(f"unknown kind {self.kind!r} for {self.name!r}; expected duty, decision or file")
        delegation_data().level(self.level)  # raises a clear error outside 1–7
        if self.deputy == self.owner:
            raise InputError(f"duty {self.name!r}: the deputy must be someone other than the owner")

    @property
    def level_label(self) -> str:
        return delegation_data().level(self.level).label


@dataclass(frozen=True)
class Board:
    manager: str
    duties: tuple[Duty, ...]

    def __post_init__(self) -> None:
        names = [d.name for d in self.duties]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise InputError(f"duties listed twice on the board: {', '.join(duplicates)}")


def files_as_duties(manager: str, paths: Iterable[str]) -> list[Duty]:
    """Files only the manager knows (from the code capability) as critical single-owner duties."""
    return [Duty(f"knows {path}", manager, None, 1, True, FILE) for path in sorted(set(paths))]


@dataclass(frozen=True)
class Gap:
    duty: Duty
    why: str


@dataclass(frozen=True)
class Readiness:
    """Before a leave: what only the manager can do. Ready when nothing critical is on that list."""

    manager: str
    leave: Leave
    manager_only: tuple[Gap, ...]  # critical, nobody else can act
    waits_for_manager: tuple[Gap, ...]  # a deputy exists, but the level keeps the decision with the manager
    covered: tuple[Duty, ...]

    @property
    def ready(self) -> bool:
        return not self.manager_only


def readiness(board: Board, leave: Leave, manager_only_files: Iterable[str] = ()) -> Readiness:
    """Every critical duty of the manager without a deputy (and every file only they know) is listed."""
    if leave.person != board.manager:
        raise InputError(f"the leave is {leave.person}'s, but the board is {board.manager}'s")
    team_decides = delegation_data().team_decides_from_level
    duties = [*board.duties, *files_as_duties(board.manager, manager_only_files)]
    only, waits, covered = [], [], []
    for duty in duties:
        if duty.owner != board.manager:
            covered.append(duty)
        elif duty.deputy is None:
            if duty.critical:
                only.append(Gap(duty, "only the manager can do this and it is critical"))
            else:
                waits.append(Gap(duty, "no deputy; it waits until the manager is back"))
        elif duty.level < team_decides:
            level = delegation_data().level(duty.level)
            waits.append(
                Gap(
                    duty,
                    f"{duty.deputy} is deputy, but at level {level.level} ({level.label}) the manager decides",
                )
            )
        else:
            covered.append(duty)
    return Readiness(board.manager, leave, tuple(only), tuple(waits), tuple(covered))


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    how: str


@dataclass(frozen=True)
class Handover:
    manager: str
    acting_lead: str
    leave: Leave
    delegated: tuple[tuple[str, str, str], ...]  # (duty, who, level label)
    uncovered: tuple[str, ...]
    open_actions: tuple[ActionItem, ...]
    contacts: tuple[Contact, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


def handover(
    board: Board,
    leave: Leave,
    acting_lead: str,
    open_actions: Iterable[ActionItem] = (),
    contacts: Iterable[Contact] = (),
    manager_only_files: Iterable[str] = (),
) -> Handover:
    """The handover page as data: who covers each of the manager's duties while away."""
    if acting_lead == board.manager:
        raise InputError("the acting lead must be someone other than the manager")
    check = readiness(board, leave, manager_only_files)
    delegated = []
    for duty in board.duties:
        if duty.owner == board.manager and duty.deputy:
            delegated.append((duty.name, duty.deputy, duty.level_label))
        elif duty.owner != board.manager:
            delegated.append((duty.name, duty.owner, duty.level_label))
    uncovered = tuple(gap.duty.name for gap in (*check.manager_only, *check.waits_for_manager))
    actions = tuple(sorted((a for a in open_actions if not a.done), key=lambda a: (a.due, a.id)))
    return Handover(
        board.manager, acting_lead, leave, tuple(sorted(delegated)), uncovered, actions, tuple(contacts)
    )


def handover_markdown(h: Handover) -> str:
    """The handover page as Markdown (for a wiki, an email, or printing)."""
    lines = [
        f"# Handover: {h.manager} away {h.leave.first_day} – {h.leave.last_day}",
        "",
        f"**Acting lead:** {h.acting_lead}",
        "",
        "## Delegated areas",
        "",
    ]
    lines += [f"- {name} — {who} (level: {level})" for name, who, level in h.delegated] or ["- (none)"]
    lines += ["", "## Not covered — goes to the acting lead or waits", ""]
    lines += [f"- {name}" for name in h.uncovered] or ["- (none)"]
    lines += ["", "## Open action items", ""]
    lines += [f"- {a.text} — {a.owner}, due {a.due}" for a in h.open_actions] or ["- (none)"]
    lines += ["", "## Contacts", ""]
    lines += [f"- {c.name} ({c.role}): {c.how}" for c in h.contacts] or ["- (none)"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Escalation:
    """Something that reached a person (input from the workload capability's escalation log)."""

    on: date
    summary: str
    duty: str | None = None
    raised_by: str = ""


@dataclass(frozen=True)
class AfterLeave:
    reached_manager: tuple[Escalation, ...]
    about_delegated: tuple[Escalation, ...]  # a deputy or owner existed — why did it still come up?
    about_manager_only: tuple[Escalation, ...]
    unlinked: tuple[Escalation, ...]  # not tied to a duty on the board: maybe a duty to add

    @property
    def count(self) -> int:
        return len(self.reached_manager)


def after_leave(board: Board, leave: Leave, escalations: Sequence[Escalation]) -> AfterLeave:
    """Escalations that reached the manager during the leave, by whether their duty was delegated."""
    during = tuple(sorted((e for e in escalations if leave.covers(e.on)), key=lambda e: (e.on, e.summary)))
    by_name = {d.name: d for d in board.duties}
    delegated, manager_only, unlinked = [], [], []
    for escalation in during:
        duty = by_name.get(escalation.duty) if escalation.duty else None
        if duty is None:
            unlinked.append(escalation)
        elif duty.owner != board.manager or duty.deputy:
            delegated.append(escalation)
        else:
            manager_only.append(escalation)
    return AfterLeave(during, tuple(delegated), tuple(manager_only), tuple(unlinked))
