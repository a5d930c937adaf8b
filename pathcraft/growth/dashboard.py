"""The manager dashboard: per report and per team, every figure with its parts and its threshold.

Deliberately absent: engagement or flight-risk scores, any ranking of people (reports are listed by
name), and anything read from the text of notes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import Enum

from pathcraft.errors import InputError
from pathcraft.growth.agenda import ActionItem, AgendaItem, AgendaShare, agenda_share, overdue_by_owner
from pathcraft.growth.cadence import (
    WEEKLY,
    Milestone,
    Occurrence,
    Relationship,
    adherence,
    cancellations_by,
    days_since_last_held,
    onboarding_milestones,
)
from pathcraft.growth.defaults import BankPrompt, question_data, threshold
from pathcraft.growth.fairness import (
    Distribution,
    LowPromotabilityTask,
    NextPerson,
    SpotlightEvent,
    low_promotability_distribution,
    next_for_spotlight,
    next_in_rotation,
    spotlight_distribution,
)
from pathcraft.growth.figures import Ratio, Threshold
from pathcraft.growth.questions import (
    Discussion,
    PromptEvent,
    Staleness,
    Suggestion,
    question_bank,
    staleness,
    suggest_for_next_agenda,
)
from pathcraft.workload import manager_load
from pathcraft.workload.manager_load import OneOnOne


@dataclass(frozen=True)
class CheckIn:
    """An optional short mood check-in by the report (1 = low, 5 = high). Seen only by the pair."""

    on: date
    mood: int

    def __post_init__(self) -> None:
        if not (isinstance(self.mood, int) and 1 <= self.mood <= 5):
            raise InputError(f"mood must be a whole number from 1 to 5, got {self.mood!r}")


@dataclass(frozen=True)
class MoodTrend:
    check_ins: int
    earlier: Ratio | None  # sum of moods / number of check-ins, earlier half
    later: Ratio | None
    direction: str  # up, down, flat, or "not enough data"
    threshold: Threshold


def mood_trend(check_ins: Iterable[CheckIn]) -> MoodTrend:
    """Earlier half against later half of the check-ins; a change below the threshold is flat."""
    ordered = sorted(check_ins, key=lambda c: c.on)
    minimum = int(threshold("mood.min_check_ins").value)
    change = threshold("mood.change_that_counts")
    if len(ordered) < minimum:
        return MoodTrend(len(ordered), None, None, "not enough data", change)
    half = len(ordered) // 2
    first, second = ordered[:half], ordered[-half:]  # an odd middle check-in belongs to neither half
    earlier = Ratio(sum(c.mood for c in first), len(first))
    later = Ratio(sum(c.mood for c in second), len(second))
    delta = later.value - earlier.value
    direction = "up" if delta >= change.value else "down" if delta <= -change.value else "flat"
    return MoodTrend(len(ordered), earlier, later, direction, change)


@dataclass(frozen=True)
class Flagged:
    """A figure next to its threshold; `flagged` says whether it crossed it."""

    figure: Ratio | int | None
    threshold: Threshold
    flagged: bool


@dataclass(frozen=True)
class ReportInputs:
    """Everything the dashboard reads about one 1:1 relationship (already restricted to what the viewer may see)."""

    relationship: Relationship
    occurrences: Sequence[Occurrence] = ()
    agenda_items: Sequence[AgendaItem] = ()
    action_items: Sequence[ActionItem] = ()
    discussions: Sequence[Discussion] = ()
    check_ins: Sequence[CheckIn] = ()
    prompt_history: Sequence[PromptEvent] = ()
    career_conversations_done: Sequence[str] = ()
    stale_after: dict[str, int] | None = None


@dataclass(frozen=True)
class ReportDashboard:
    report: str
    adherence: Flagged
    days_since_last_one_on_one: Flagged
    cancellations_by_manager: Flagged
    agenda_share: AgendaShare
    overdue_action_items: dict[str, Ratio]  # owner -> overdue / their open action items
    questions: tuple[Staleness, ...]
    next_prompt: Suggestion | None
    mood: MoodTrend
    onboarding: tuple[Milestone, ...]  # only while the relationship is new


def report_dashboard(
    inputs: ReportInputs, now: datetime, user_prompts: Iterable[BankPrompt] = ()
) -> ReportDashboard:
    """One report's figures at `now` (an aware datetime)."""
    if now.tzinfo is None:
        raise InputError("the dashboard needs an aware 'now' (with a time zone)")
    rel = inputs.relationship
    today = now.astimezone(rel.zone).date()

    held = adherence(inputs.occurrences, now)
    below = threshold("cadence.adherence_alert_below")
    adherence_flag = Flagged(held, below, held.value is not None and held.value < below.value)

    days = days_since_last_held(inputs.occurrences, today)
    gap_alert = threshold("cadence.days_since_last_alert")
    # Never met: count from the start of the relationship, so a report never seen is flagged too.
    gap = days if days is not None else (today - rel.starts_on).days
    days_flag = Flagged(days, gap_alert, gap > gap_alert.value)

    cancelled = cancellations_by(inputs.occurrences, rel.manager, now)
    cancel_alert = threshold("cadence.manager_cancellations_alert")
    cancel_flag = Flagged(cancelled, cancel_alert, cancelled.numerator >= cancel_alert.value)

    open_by_owner: dict[str, int] = {}
    for action in inputs.action_items:
        if not action.done:
            open_by_owner[action.owner] = open_by_owner.get(action.owner, 0) + 1
    overdue = {
        owner: Ratio(len(items), open_by_owner[owner])
        for owner, items in overdue_by_owner(inputs.action_items, today).items()
    }

    stale = tuple(staleness(inputs.discussions, today, rel.starts_on, inputs.stale_after))
    prompt = suggest_for_next_agenda(stale, question_bank(user_prompts), inputs.prompt_history, today)

    last_due = max((c.suggest_within_days for c in question_data().career_conversations), default=0)
    onboarding = ()
    if (today - rel.starts_on).days <= last_due:
        onboarding = tuple(
            onboarding_milestones(rel, inputs.occurrences, today, inputs.career_conversations_done)
        )
    return ReportDashboard(
        report=rel.report,
        adherence=adherence_flag,
        days_since_last_one_on_one=days_flag,
        cancellations_by_manager=cancel_flag,
        agenda_share=agenda_share(inputs.agenda_items, rel.report, rel.manager),
        overdue_action_items=overdue,
        questions=stale,
        next_prompt=prompt,
        mood=mood_trend(inputs.check_ins),
        onboarding=onboarding,
    )


@dataclass(frozen=True)
class BiweeklyOption:
    reports_moved: int  # how many weekly 1:1s would become biweekly (which ones is the manager's call)
    hours_freed: float
    hours_after: float
    share_after: Ratio


@dataclass(frozen=True)
class OneOnOneCost:
    reports: int
    minutes_per_week: float  # (length + preparation) × occurrences per week, summed
    hours_per_week: float
    share_of_week: Ratio  # hours / working-week hours
    preparation: Threshold
    working_week: Threshold
    span_of_control: Flagged
    biweekly: BiweeklyOption | None = None


def _weekly_minutes(rel: Relationship, prep: float) -> float:
    return (rel.length_minutes + prep) * rel.cadence.per_week


def biweekly_option(relationships: Sequence[Relationship], reports_moved: int) -> BiweeklyOption:
    """What moving `reports_moved` weekly 1:1s to biweekly would free (each saves half its weekly cost)."""
    prep = threshold("cost.preparation_minutes").value
    week = threshold("cost.working_week_hours").value
    weekly = sorted(
        (_weekly_minutes(r, prep) for r in relationships if r.cadence.kind == WEEKLY), reverse=True
    )
    if not 0 <= reports_moved <= len(weekly):
        raise InputError(f"can move 0 to {len(weekly)} weekly 1:1s to biweekly, not {reports_moved}")
    # Equal lengths in practice; with unequal ones we show the most it could free, not a choice of people.
    freed = sum(weekly[:reports_moved]) / 2 / 60
    total = sum(_weekly_minutes(r, prep) for r in relationships) / 60
    after = total - freed
    return BiweeklyOption(reports_moved, freed, after, Ratio(after, week))


def team_one_on_one_cost(relationships: Sequence[Relationship]) -> OneOnOneCost:
    """Weekly hours the 1:1s cost (summed by the workload engine's one `one_on_one_cost`), and what biweekly
    1:1s for the reports above the span would free."""
    prep = threshold("cost.preparation_minutes")
    week = threshold("cost.working_week_hours")
    span = threshold("cost.span_of_control_max")
    meetings = [OneOnOne(r.length_minutes, r.cadence.per_week) for r in relationships]
    cost = manager_load.one_on_one_cost(meetings, prep_minutes=prep.value, work_week_hours=week.value)
    n = len({r.report for r in relationships})
    above = max(0, n - int(span.value))
    weekly_count = sum(1 for r in relationships if r.cadence.kind == WEEKLY)
    option = biweekly_option(relationships, min(above, weekly_count)) if above and weekly_count else None
    return OneOnOneCost(
        reports=n,
        minutes_per_week=cost.minutes_per_week,
        hours_per_week=cost.minutes_per_week / 60,
        share_of_week=Ratio(cost.minutes_per_week / 60, week.value),
        preparation=prep,
        working_week=week,
        span_of_control=Flagged(n, span, n > span.value),
        biweekly=option,
    )


@dataclass(frozen=True)
class TeamDashboard:
    spotlight: Distribution
    low_promotability: Distribution
    next_spotlight: NextPerson
    next_low_promotability: NextPerson
    cost: OneOnOneCost


@dataclass(frozen=True)
class ManagerDashboard:
    manager: str
    today: date
    reports: tuple[ReportDashboard, ...]  # in name order: a list, not a ranking
    team: TeamDashboard | None
    notes: tuple[str, ...] = field(default=("Reports are listed by name; nothing here ranks people.",))

    def to_dict(self) -> dict:
        return to_jsonable(self)


def manager_dashboard(
    manager: str,
    reports: Sequence[ReportInputs],
    now: datetime,
    spotlight_events: Iterable[SpotlightEvent] = (),
    low_promotability_tasks: Iterable[LowPromotabilityTask] = (),
    user_prompts: Iterable[BankPrompt] = (),
) -> ManagerDashboard:
    """The whole dashboard for one manager. Team figures need at least two reports."""
    for inputs in reports:
        if inputs.relationship.manager != manager:
            raise InputError(
                f"{inputs.relationship.report}'s 1:1 is with {inputs.relationship.manager}, not {manager}"
            )
    prompts = list(user_prompts)
    per_report = tuple(
        sorted((report_dashboard(r, now, prompts) for r in reports), key=lambda d: d.report.lower())
    )
    team_members = sorted({r.relationship.report for r in reports})
    today = now.date()
    team = None
    if len(team_members) >= 2:
        events, tasks = list(spotlight_events), list(low_promotability_tasks)
        team = TeamDashboard(
            spotlight=spotlight_distribution(events, team_members, today),
            low_promotability=low_promotability_distribution(tasks, team_members, today),
            next_spotlight=next_for_spotlight(events, team_members, today),
            next_low_promotability=next_in_rotation(tasks, team_members, today),
            cost=team_one_on_one_cost([r.relationship for r in reports]),
        )
    return ManagerDashboard(manager, today, per_report, team)


def to_jsonable(value):
    """Dataclasses, ratios, dates and thresholds as plain JSON types (stable keys for --json)."""
    if isinstance(value, Ratio):
        return value.to_dict()
    if isinstance(value, Distribution):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, Staleness):
            data["stale"] = value.stale
        return data
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float):
        return round(value, 4)
    return value
