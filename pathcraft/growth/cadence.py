"""Plan 1:1 occurrences from a cadence and measure how well the cadence is kept."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pathcraft.errors import InputError
from pathcraft.growth.defaults import question_data, threshold
from pathcraft.growth.figures import Ratio

WEEKLY, BIWEEKLY, EVERY_N_WEEKS, MONTHLY = "weekly", "biweekly", "every_n_weeks", "monthly"
PLANNED, HELD, CANCELLED, SKIPPED_FOR_LEAVE, MOVED = (
    "planned",
    "held",
    "cancelled",
    "skipped_for_leave",
    "moved",
)
STATUSES = (PLANNED, HELD, CANCELLED, SKIPPED_FOR_LEAVE, MOVED)


@dataclass(frozen=True)
class Cadence:
    """How often a 1:1 recurs: every `weeks` weeks, or monthly on the same weekday of the month."""

    kind: str
    weeks: int = 1

    def __post_init__(self) -> None:
        if self.kind not in (WEEKLY, BIWEEKLY, EVERY_N_WEEKS, MONTHLY):
            raise InputError(
                f"unknown cadence {self.kind!r}; expected weekly, biweekly, every_n_weeks or monthly"
            )
        if self.kind == EVERY_N_WEEKS and not (isinstance(self.weeks, int) and 1 <= self.weeks <= 52):
            raise InputError(f"a cadence every N weeks needs N between 1 and 52, got {self.weeks!r}")

    @classmethod
    def parse(cls, text: str) -> Cadence:
        """'weekly', 'biweekly', 'monthly' or 'every 3 weeks'."""
        words = text.strip().lower().split()
        if words in (["weekly"], ["biweekly"], ["monthly"]):
            return cls(words[0])
        if len(words) == 3 and words[0] == "every" and words[2] in ("weeks", "week") and words[1].isdigit():
            return cls(EVERY_N_WEEKS, int(words[1]))
        raise InputError(f"cannot read cadence {text!r}; use weekly, biweekly, monthly or 'every N weeks'")

    @property
    def interval_weeks(self) -> int | None:
        """Weeks between occurrences; None for monthly."""
        return {WEEKLY: 1, BIWEEKLY: 2, EVERY_N_WEEKS: self.weeks}.get(self.kind)

    @property
    def per_week(self) -> float:
        """Average occurrences per week (monthly: 12 a year over 52 weeks)."""
        return 12 / 52 if self.kind == MONTHLY else 1 / self.interval_weeks

    def label(self) -> str:
        return f"every {self.weeks} weeks" if self.kind == EVERY_N_WEEKS else self.kind


@dataclass(frozen=True)
class Relationship:
    """A recurring 1:1: manager and report (or mentor and mentee), slot in the manager's time zone."""

    id: str
    manager: str
    report: str
    cadence: Cadence
    starts_on: date
    weekday: int  # 0 = Monday
    at: time
    timezone: str
    length_minutes: int = 30
    kind: str = "manager"  # or "mentor"
    ends_on: date | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise InputError(f"weekday must be 0 (Monday) to 6 (Sunday), got {self.weekday!r}")
        if not 5 <= self.length_minutes <= 240:
            raise InputError(f"a 1:1 lasts 5 to 240 minutes, got {self.length_minutes!r}")
        if self.manager == self.report:
            raise InputError("a 1:1 needs two different people")
        if self.ends_on and self.ends_on < self.starts_on:
            raise InputError(f"1:1 series ends ({self.ends_on}) before it starts ({self.starts_on})")
        zone(self.timezone)

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.timezone)


@dataclass(frozen=True)
class Leave:
    """A person's leave, both days included."""

    person: str
    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise InputError(
                f"leave of {self.person} ends ({self.last_day}) before it starts ({self.first_day})"
            )

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class Occurrence:
    """One meeting of a series. `start` is its slot (aware); a moved one points to its replacement."""

    start: datetime
    length_minutes: int
    status: str = PLANNED
    cancelled_by: str | None = None
    moved_to: datetime | None = None
    moved_from: datetime | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise InputError(
                f"unknown occurrence status {self.status!r}; expected one of {', '.join(STATUSES)}"
            )
        if self.start.tzinfo is None:
            raise InputError(f"occurrence at {self.start} needs a time zone")
        if self.status == CANCELLED and not self.cancelled_by:
            raise InputError(f"cancelled occurrence at {self.start:%Y-%m-%d %H:%M} needs who cancelled it")
        if self.status == MOVED and self.moved_to is None:
            raise InputError(f"moved occurrence at {self.start:%Y-%m-%d %H:%M} needs its new time")

    @property
    def key(self) -> str:
        return self.start.isoformat()

    @property
    def is_open(self) -> bool:
        """Still to come: agenda items wait here."""
        return self.status == PLANNED

    @property
    def counts_as_expected(self) -> bool:
        """Part of the cadence: leave and moved-away slots are not (the replacement is)."""
        return self.status in (PLANNED, HELD, CANCELLED)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown time zone {name!r}; use an IANA name such as Europe/Berlin") from None


def monthly_ordinal(day: date) -> int:
    """Which weekday of the month: 1–4, or -1 for the fifth (= last)."""
    ordinal = (day.day - 1) // 7 + 1
    return -1 if ordinal == 5 else ordinal


def _nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> date:
    if ordinal > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = next_month - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def first_meeting_day(rel: Relationship) -> date:
    """The first day on the preferred weekday on or after the start of the series."""
    return rel.starts_on + timedelta(days=(rel.weekday - rel.starts_on.weekday()) % 7)


def meeting_days(rel: Relationship, until: date) -> list[date]:
    """Days of the series from its first meeting through `until` (or its end)."""
    first = first_meeting_day(rel)
    last = min(until, rel.ends_on) if rel.ends_on else until
    days: list[date] = []
    if rel.cadence.kind == MONTHLY:
        ordinal = monthly_ordinal(first)
        year, month = first.year, first.month
        while True:
            day = _nth_weekday(year, month, rel.weekday, ordinal)
            if day > last:
                return days
            days.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    step = timedelta(weeks=rel.cadence.interval_weeks)
    day = first
    while day <= last:
        days.append(day)
        day += step
    return days


def plan_occurrences(
    rel: Relationship, window_start: date, window_end: date, leaves: Iterable[Leave] = ()
) -> list[Occurrence]:
    """Occurrences in [window_start, window_end]; days on which either person is on leave are skipped."""
    if window_end < window_start:
        raise InputError(f"window ends ({window_end}) before it starts ({window_start})")
    # Only the two people's leave matters; other people's leave passed in by accident is ignored.
    their_leave = [leave for leave in leaves if leave.person in (rel.manager, rel.report)]
    planned = []
    for day in meeting_days(rel, window_end):
        if day < window_start:
            continue
        # Wall-clock time in the manager's zone: across a DST change the meeting keeps its local hour.
        start = datetime.combine(day, rel.at, tzinfo=rel.zone)
        on_leave = any(leave.covers(day) for leave in their_leave)
        planned.append(Occurrence(start, rel.length_minutes, SKIPPED_FOR_LEAVE if on_leave else PLANNED))
    return planned


def apply_records(planned: Sequence[Occurrence], recorded: Iterable[Occurrence]) -> list[Occurrence]:
    """Planned occurrences with what was recorded (held, cancelled, moved) laid over them, by slot."""
    by_key = {occ.key: occ for occ in planned}
    for occ in recorded:
        by_key[occ.key] = occ
    return sorted(by_key.values(), key=lambda o: o.start)


def move_occurrence(
    occurrences: Sequence[Occurrence], start: datetime, new_start: datetime
) -> list[Occurrence]:
    """Move one meeting: its slot is marked moved and a planned replacement appears at the new time."""
    if new_start.tzinfo is None:
        raise InputError(f"new time {new_start} needs a time zone")
    found = [o for o in occurrences if o.start == start]
    if not found:
        raise InputError(f"no occurrence at {start.isoformat()} to move")
    if any(o.start == new_start for o in occurrences):
        raise InputError(f"there is already a 1:1 at {new_start.isoformat()}")
    original = found[0]
    if not original.is_open:
        raise InputError(
            f"the 1:1 at {start:%Y-%m-%d %H:%M} is {original.status}; only a planned one can move"
        )
    moved = dataclasses.replace(original, status=MOVED, moved_to=new_start)
    replacement = Occurrence(new_start, original.length_minutes, PLANNED, moved_from=start)
    rest = [o for o in occurrences if o.start != start]
    return sorted([*rest, moved, replacement], key=lambda o: o.start)


def _in_window(occurrences: Iterable[Occurrence], now: datetime, weeks: int) -> list[Occurrence]:
    since = now - timedelta(weeks=weeks)
    return [o for o in occurrences if since < o.start <= now]


def adherence(occurrences: Iterable[Occurrence], now: datetime, weeks: int | None = None) -> Ratio:
    """Held / expected over the last `weeks` weeks; leave and moved-away slots are not expected.

    A past occurrence still marked planned counts as not held: nobody recorded that it happened.
    """
    weeks = int(threshold("cadence.adherence_window_weeks").value) if weeks is None else weeks
    window = [o for o in _in_window(occurrences, now, weeks) if o.counts_as_expected]
    return Ratio(sum(1 for o in window if o.status == HELD), len(window))


def days_since_last_held(occurrences: Iterable[Occurrence], today: date) -> int | None:
    """Days since the last held 1:1 (in its own zone's calendar), None if none was held."""
    held = [o.start.date() for o in occurrences if o.status == HELD and o.start.date() <= today]
    return (today - max(held)).days if held else None


def cancellations_by(
    occurrences: Iterable[Occurrence], person: str, now: datetime, weeks: int | None = None
) -> Ratio:
    """Occurrences cancelled by `person` out of those expected in the window."""
    weeks = int(threshold("cadence.adherence_window_weeks").value) if weeks is None else weeks
    window = [o for o in _in_window(occurrences, now, weeks) if o.counts_as_expected]
    return Ratio(sum(1 for o in window if o.status == CANCELLED and o.cancelled_by == person), len(window))


def add_working_days(start: date, days: int, holidays: Iterable[date] = ()) -> date:
    """The date `days` working days (Monday–Friday, not a holiday) after `start`."""
    off = set(holidays)
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            days -= 1
    return day


@dataclass(frozen=True)
class Milestone:
    """Something a new relationship should have had by `due`."""

    key: str
    label: str
    due: date
    done: bool
    missing: bool  # due date passed and not done


def onboarding_milestones(
    rel: Relationship,
    occurrences: Iterable[Occurrence],
    today: date,
    career_conversations_done: Iterable[str] = (),
    holidays: Iterable[date] = (),
) -> list[Milestone]:
    """First 1:1 within N working days, then the three career conversations at 30, 60 and 90 days."""
    working_days = int(threshold("onboarding.first_one_on_one_working_days").value)
    due = add_working_days(rel.starts_on, working_days, holidays)
    first_done = any(o.status == HELD and o.start.date() <= today for o in occurrences)
    milestones = [Milestone("first_one_on_one", "First 1:1", due, first_done, today > due and not first_done)]
    done = set(career_conversations_done)
    for conversation in question_data().career_conversations:
        due = rel.starts_on + timedelta(days=conversation.suggest_within_days)
        finished = conversation.key in done
        milestones.append(
            Milestone(conversation.key, conversation.label, due, finished, today > due and not finished)
        )
    return milestones


FIRST_HELD, FIRST_PLANNED, FIRST_MISSING = "held", "planned", "missing"


@dataclass(frozen=True)
class FirstOneOnOne:
    """Whether a new relationship's first 1:1 happens within N working days of its start.

    `state`: held (a 1:1 was held), planned (one is planned on or before `due` and still to come) or
    missing (neither: warn, and offer `proposed`, the first free slot from now).
    """

    due: date
    working_days: int
    state: str
    planned: datetime | None = None
    proposed: datetime | None = None
    late: bool = False  # `due` has passed without a held 1:1

    @property
    def warn(self) -> bool:
        return self.state == FIRST_MISSING


def first_free_slot(
    rel: Relationship,
    occurrences: Iterable[Occurrence],
    now: datetime,
    leaves: Iterable[Leave] = (),
    holidays: Iterable[date] = (),
    search_days: int = 28,
) -> datetime | None:
    """The first working day (Monday–Friday, not a holiday, neither person on leave) from now whose
    usual slot (`rel.at` in the relationship's zone) is still ahead and not taken by another occurrence."""
    if now.tzinfo is None:
        raise InputError("the first free slot needs an aware 'now' (with a time zone)")
    taken = {o.start for o in occurrences}
    off = set(holidays)
    their_leave = [leave for leave in leaves if leave.person in (rel.manager, rel.report)]
    today = now.astimezone(rel.zone).date()
    for offset in range(search_days + 1):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5 or day in off or any(leave.covers(day) for leave in their_leave):
            continue
        start = datetime.combine(day, rel.at, tzinfo=rel.zone)
        if start > now and start not in taken:
            return start
    return None


def first_one_on_one(
    rel: Relationship,
    occurrences: Iterable[Occurrence],
    now: datetime,
    leaves: Iterable[Leave] = (),
    holidays: Iterable[date] = (),
) -> FirstOneOnOne:
    """The first 1:1 of a relationship against its deadline: N working days after the start (data file).

    A planned one counts if it starts on or before the deadline and has not ended yet; one that has
    passed without being marked held does not (nobody recorded that it happened).
    """
    if now.tzinfo is None:
        raise InputError("the first 1:1 check needs an aware 'now' (with a time zone)")
    occurrences = list(occurrences)
    working_days = int(threshold("onboarding.first_one_on_one_working_days").value)
    due = add_working_days(rel.starts_on, working_days, holidays)
    today = now.astimezone(rel.zone).date()
    if any(o.status == HELD and o.start <= now for o in occurrences):
        return FirstOneOnOne(due, working_days, FIRST_HELD)
    ahead = sorted(
        o.start for o in occurrences
        if o.is_open and o.start + timedelta(minutes=o.length_minutes) > now
        and o.start.astimezone(rel.zone).date() <= due
    )  # fmt: skip
    if ahead:
        return FirstOneOnOne(due, working_days, FIRST_PLANNED, planned=ahead[0])
    slot = first_free_slot(rel, occurrences, now, leaves, holidays)
    return FirstOneOnOne(due, working_days, FIRST_MISSING, proposed=slot, late=today > due)
