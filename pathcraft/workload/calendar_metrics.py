"""Weekly meeting load, focus time, after-hours meetings, back-to-back chains and async candidates.

Pure engine: takes `Occurrence`s (calendar_parse) and returns JSON-able dataclasses. All interval arithmetic runs on
UTC timestamps, so a week with a daylight-saving change has its real length (Python's aware-datetime subtraction
in one zone would ignore the change).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from pathcraft.errors import InputError
from pathcraft.workload.calendar_parse import Occurrence, resolve_zone
from pathcraft.workload.calendar_settings import AsyncRule, CalendarSettings, WorkingHours, load_settings

Interval = tuple[float, float]  # UTC timestamps, start < end
TREND_METRICS = (
    "meeting_hours",
    "meeting_count",
    "focus_hours",
    "after_hours_meeting_hours",
    "back_to_back_meetings",
    "one_on_one_hours",
)
KINDS = ("meeting", "personal", "leave", "all_day", "free", "tentative", "declined", "cancelled", "too_long")


@dataclass(slots=True)
class WeekRow:
    """One ISO week in the person's zone. Hours are rounded to 0.01."""

    week: str  # ISO week, e.g. "2026-W14"
    start: str  # the Monday, ISO date
    working_hours: float  # scheduled working time inside the window, minus leave
    leave_hours: float  # working time taken by leave (OOF / all-day leave)
    meeting_hours: float  # time in meetings; overlapping meetings count once
    meeting_count: int  # meetings that start this week
    meeting_share: float  # meeting time inside working hours / working hours (0..1)
    one_on_one_count: int
    one_on_one_hours: float
    large_meeting_count: int
    large_meeting_hours: float
    recurring_meeting_hours: float
    recurring_share: float  # recurring meeting hours / all meeting hours (summed per meeting)
    focus_hours: float  # free blocks of at least focus_block_minutes inside working hours
    focus_blocks: int
    focus_target_met: bool
    after_hours_meeting_hours: float  # meeting time outside working hours (evenings, weekends, leave)
    back_to_back_chains: int  # runs of 2+ meetings with gaps shorter than the break threshold
    back_to_back_meetings: int  # meetings that are part of such a run
    longest_chain_meetings: int
    longest_chain_hours: float
    async_candidate_count: int
    async_candidate_hours: float


@dataclass(slots=True)
class Trend:
    """How one weekly metric moved over the window: least-squares slope and first-vs-last averages."""

    metric: str
    weeks: int
    slope_per_week: float
    first_average: float  # mean of the first k weeks (k = min(4, weeks // 2))
    last_average: float  # mean of the last k weeks
    direction: str  # rising, falling, flat, or "too few weeks"


@dataclass(slots=True)
class AsyncCandidate:
    """A meeting (a whole series counts once) that might work as a written update, with the reasons."""

    uid: str
    summary: str
    occurrences: int
    hours: float  # summed over the occurrences in the window
    participants: int  # largest attendance seen
    recurring: bool
    first_start: str
    reasons: list[dict]  # {"rule": id, "reason": text, "source": citation or estimate reasoning}


@dataclass(slots=True)
class CalendarReport:
    """Everything `analyze` found; `to_dict()` is the stable JSON shape (documented in docs/calendar.md)."""

    tz: str
    working_hours: str
    start: str
    end: str  # exclusive
    settings: dict
    weeks: list[WeekRow]
    summary: dict
    trends: list[Trend]
    async_candidates: list[AsyncCandidate]
    counted: dict[str, int]  # occurrences per kind (meeting, personal, leave, declined, cancelled…)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def classify(
    occurrence: Occurrence, settings: CalendarSettings, leave_pattern: re.Pattern | None = None
) -> str:
    """What an occurrence is for the analysis: one of KINDS. Only "meeting" counts as meeting time.

    A meeting has at least two people (organizer + attendee, rooms excluded); a single-person event is a personal
    block, as Google Work Insights counts it. Declined, cancelled, free (transparent), all-day and >23 h events
    are not meetings; Outlook's OOF and all-day leave titles reduce working hours instead.
    """
    if occurrence.cancelled:
        return "cancelled"
    if occurrence.declined:
        return "declined"
    if occurrence.busy == "OOF":
        return "leave"
    if occurrence.all_day:
        pattern = leave_pattern or _leave_pattern(settings.leave_keywords)
        if pattern is not None and pattern.search(occurrence.summary):
            return "leave"
        return "all_day"
    if occurrence.busy == "FREE":
        return "free"
    if occurrence.hours > settings.max_meeting_hours:
        return "too_long"
    if occurrence.busy == "TENTATIVE" and not settings.count_tentative_as_meeting:
        return "tentative"
    if occurrence.participants >= 2 or settings.busy_blocks_are_meetings:
        return "meeting"
    return "personal"


def async_reasons(occurrence: Occurrence, rules: tuple[AsyncRule, ...]) -> list[AsyncRule]:
    """The rules an occurrence matches (all of a rule's conditions must hold)."""
    matched = []
    minutes = occurrence.hours * 60
    summary = occurrence.summary.lower()
    for rule in rules:
        if rule.min_participants is not None and occurrence.participants < rule.min_participants:
            continue
        if rule.recurring is not None and occurrence.recurring != rule.recurring:
            continue
        if rule.min_minutes is not None and not minutes > rule.min_minutes:
            continue
        if rule.no_description and occurrence.description.strip():
            continue
        if rule.summary_keywords and not any(_has_word(summary, k) for k in rule.summary_keywords):
            continue
        matched.append(rule)
    return matched


def analyze(
    occurrences: list[Occurrence],
    *,
    tz: str,
    hours: WorkingHours,
    start: date,
    end: date,
    settings: CalendarSettings | None = None,
    warnings: list[str] | None = None,
) -> CalendarReport:
    """Weekly metrics for [start, end) in zone `tz` with the person's working hours, plus trends and candidates."""
    settings = settings or load_settings()
    zone = resolve_zone(tz)
    if end <= start:
        raise InputError(f"the window is empty: {end} is not after {start}")
    leave_pattern = _leave_pattern(settings.leave_keywords)
    counted = dict.fromkeys(KINDS, 0)
    meetings: list[Occurrence] = []
    leave: list[Interval] = []
    for occurrence in occurrences:
        kind = classify(occurrence, settings, leave_pattern)
        counted[kind] += 1
        if kind == "meeting":
            meetings.append(occurrence)
        elif kind == "leave":
            leave.append(_interval(occurrence))
    meetings.sort(key=lambda o: o.start.timestamp())
    reasons = _reasons_by_meeting(meetings, settings.async_rules)

    first_monday = start - timedelta(days=start.weekday())
    week_count = ((end - first_monday).days + 6) // 7
    window = (_ts(start, zone), _ts(end, zone))
    working = _working_intervals(start, end, hours, zone)
    leave_merged = _merge(leave)
    by_week = _bucket(meetings, first_monday, week_count, zone)
    chains = _chains(meetings, settings.back_to_back_gap_minutes * 60)
    chains_by_week: dict[int, list[list[Occurrence]]] = defaultdict(list)
    for chain in chains:
        chains_by_week[_week_index(chain[0].start.date(), first_monday)].append(chain)

    rows = []
    for index in range(week_count):
        monday = first_monday + timedelta(weeks=index)
        week_span = (max(_ts(monday, zone), window[0]), min(_ts(monday + timedelta(days=7), zone), window[1]))
        rows.append(
            _week_row(
                monday,
                week_span,
                by_week.get(index, []),
                chains_by_week.get(index, []),
                _clip(working, week_span),
                leave_merged,
                settings,
                reasons,
            )
        )
    candidates = _async_candidates(meetings, reasons, window)
    return CalendarReport(
        tz=zone.key,
        working_hours=hours.label(),
        start=start.isoformat(),
        end=end.isoformat(),
        settings={
            "focus_block_minutes": settings.focus_block_minutes,
            "focus_target_hours_per_week": settings.focus_target_hours_per_week,
            "back_to_back_gap_minutes": settings.back_to_back_gap_minutes,
            "large_meeting_participants": settings.large_meeting_participants,
            "one_on_one_participants": settings.one_on_one_participants,
            "one_on_one_keywords": list(settings.one_on_one_keywords),
            "max_meeting_hours": settings.max_meeting_hours,
            "count_tentative_as_meeting": settings.count_tentative_as_meeting,
            "busy_blocks_are_meetings": settings.busy_blocks_are_meetings,
        },
        weeks=rows,
        summary=_summary(rows),
        trends=trends(rows, settings),
        async_candidates=candidates,
        counted=counted,
        warnings=list(warnings or []),
    )


def trends(rows: list[WeekRow], settings: CalendarSettings) -> list[Trend]:
    """Slope (least squares, per week) and first-vs-last averages for the main weekly metrics."""
    result = []
    n = len(rows)
    k = max(1, min(4, n // 2))
    for metric in TREND_METRICS:
        values = [float(getattr(row, metric)) for row in rows]
        slope = _slope(values)
        if n < settings.trend_min_weeks:
            direction = "too few weeks"
        elif abs(slope) < settings.trend_flat_hours_per_week:
            direction = "flat"
        else:
            direction = "rising" if slope > 0 else "falling"
        first = sum(values[:k]) / k if values else 0.0
        last = sum(values[-k:]) / k if values else 0.0
        result.append(Trend(metric, n, round(slope, 3), round(first, 2), round(last, 2), direction))
    return result


def _week_row(monday, span, meetings, chains, working, leave, settings, reasons) -> WeekRow:
    leave_in_work = _overlap(working, leave)
    available = _subtract(working, leave)
    meeting_intervals = _merge([_interval(m) for m in meetings])
    meeting_in_week = _clip(meeting_intervals, span)
    meeting_total = _length(meeting_in_week)
    inside = _overlap(meeting_in_week, available)
    free = _subtract(available, meeting_in_week)
    focus_seconds = settings.focus_block_minutes * 60
    focus = [b for b in free if b[1] - b[0] >= focus_seconds - 1e-6]
    starts_here = [m for m in meetings if span[0] <= m.start.timestamp() < span[1]]
    starting = {id(m) for m in starts_here}
    one_on_ones = [m for m in meetings if is_one_on_one(m, settings)]
    large = [m for m in meetings if m.participants >= settings.large_meeting_participants]
    summed = sum(_clipped_length(m, span) for m in meetings)
    recurring = sum(_clipped_length(m, span) for m in meetings if m.recurring)
    candidates = [m for m in starts_here if reasons.get(id(m))]
    chain_lengths = [
        (len(c), (max(m.end.timestamp() for m in c) - c[0].start.timestamp()) / 3600) for c in chains
    ]
    longest = max(chain_lengths, default=(0, 0.0))
    working_hours = _length(available) / 3600
    focus_hours = sum(b[1] - b[0] for b in focus) / 3600
    iso = monday.isocalendar()
    return WeekRow(
        week=f"{iso.year}-W{iso.week:02d}",
        start=monday.isoformat(),
        working_hours=_round(working_hours),
        leave_hours=_round(leave_in_work / 3600),
        meeting_hours=_round(meeting_total / 3600),
        meeting_count=len(starts_here),
        meeting_share=round(inside / _length(available), 3) if available else 0.0,
        one_on_one_count=sum(1 for m in one_on_ones if id(m) in starting),
        one_on_one_hours=_round(sum(_clipped_length(m, span) for m in one_on_ones) / 3600),
        large_meeting_count=sum(1 for m in large if id(m) in starting),
        large_meeting_hours=_round(sum(_clipped_length(m, span) for m in large) / 3600),
        recurring_meeting_hours=_round(recurring / 3600),
        recurring_share=round(recurring / summed, 3) if summed else 0.0,
        focus_hours=_round(focus_hours),
        focus_blocks=len(focus),
        focus_target_met=focus_hours >= settings.focus_target_hours_per_week - 1e-9,
        after_hours_meeting_hours=_round((meeting_total - inside) / 3600),
        back_to_back_chains=len(chains),
        back_to_back_meetings=sum(n for n, _ in chain_lengths),
        longest_chain_meetings=longest[0],
        longest_chain_hours=_round(longest[1]),
        async_candidate_count=len(candidates),
        async_candidate_hours=_round(sum(m.hours for m in candidates)),
    )


def _chains(meetings: list[Occurrence], gap_seconds: float) -> list[list[Occurrence]]:
    """Runs of 2+ meetings where each starts less than `gap_seconds` after the run so far ends (overlaps join)."""
    chains: list[list[Occurrence]] = []
    current: list[Occurrence] = []
    current_end = float("-inf")
    for meeting in meetings:
        begin = meeting.start.timestamp()
        if current and begin - current_end < gap_seconds:
            current.append(meeting)
        else:
            if len(current) >= 2:
                chains.append(current)
            current = [meeting]
            current_end = float("-inf")
        current_end = max(current_end, meeting.end.timestamp())
    if len(current) >= 2:
        chains.append(current)
    return chains


def _reasons_by_meeting(meetings: list[Occurrence], rules) -> dict[int, list[AsyncRule]]:
    """Matched rules per meeting (by id); occurrences of a series share the answer when nothing differs."""
    result: dict[int, list[AsyncRule]] = {}
    seen: dict[tuple, list[AsyncRule]] = {}
    for meeting in meetings:
        key = (
            meeting.summary,
            meeting.description,
            round(meeting.hours, 4),
            meeting.participants,
            meeting.recurring,
        )
        matched = seen.get(key)
        if matched is None:
            matched = seen[key] = async_reasons(meeting, rules)
        if matched:
            result[id(meeting)] = matched
    return result


def _async_candidates(meetings, reasons, window) -> list[AsyncCandidate]:
    grouped: dict[str, AsyncCandidate] = {}
    for meeting in meetings:
        if not window[0] <= meeting.start.timestamp() < window[1]:
            continue
        matched = reasons.get(id(meeting))
        if not matched:
            continue
        key = meeting.uid or f"{meeting.summary}@{meeting.start.isoformat()}"
        candidate = grouped.get(key)
        if candidate is None:
            candidate = grouped[key] = AsyncCandidate(
                meeting.uid, meeting.summary, 0, 0.0, 0, meeting.recurring, meeting.start.isoformat(), []
            )
        candidate.occurrences += 1
        candidate.hours = _round(candidate.hours + meeting.hours)
        candidate.participants = max(candidate.participants, meeting.participants)
        known = {r["rule"] for r in candidate.reasons}
        for rule in matched:
            if rule.id not in known:
                candidate.reasons.append({"rule": rule.id, "reason": rule.reason, "source": rule.source})
    return sorted(grouped.values(), key=lambda c: (-c.hours, c.summary))


def _summary(rows: list[WeekRow]) -> dict:
    n = len(rows) or 1
    keys = ("meeting_hours", "meeting_count", "focus_hours", "after_hours_meeting_hours", "one_on_one_hours")
    summary = {f"average_{k}": _round(sum(getattr(r, k) for r in rows) / n) for k in keys}
    summary["weeks"] = len(rows)
    summary["weeks_focus_target_met"] = sum(1 for r in rows if r.focus_target_met)
    summary["longest_chain_meetings"] = max((r.longest_chain_meetings for r in rows), default=0)
    return summary


def _working_intervals(start: date, end: date, hours: WorkingHours, zone) -> list[Interval]:
    intervals = []
    day = start
    while day < end:
        if day.weekday() in hours.weekdays:
            begin = datetime.combine(day, hours.start, tzinfo=zone).timestamp()
            finish = datetime.combine(day, hours.end, tzinfo=zone).timestamp()
            if finish > begin:
                intervals.append((begin, finish))
        day += timedelta(days=1)
    return intervals


def _bucket(meetings, first_monday: date, weeks: int, zone) -> dict[int, list[Occurrence]]:
    """Meetings per week index; one that spans a week boundary goes to both weeks."""
    buckets: dict[int, list[Occurrence]] = defaultdict(list)
    for meeting in meetings:
        first = _week_index(meeting.start.date(), first_monday)
        last = _week_index((meeting.end - timedelta(microseconds=1)).astimezone(zone).date(), first_monday)
        for index in range(max(first, 0), min(max(last, first), weeks - 1) + 1):
            buckets[index].append(meeting)
    return buckets


def _week_index(day: date, first_monday: date) -> int:
    return (day - first_monday).days // 7


def _interval(occurrence: Occurrence) -> Interval:
    return (occurrence.start.timestamp(), occurrence.end.timestamp())


def _clipped_length(occurrence: Occurrence, span: Interval) -> float:
    return max(0.0, min(occurrence.end.timestamp(), span[1]) - max(occurrence.start.timestamp(), span[0]))


def _merge(intervals: list[Interval]) -> list[Interval]:
    merged: list[list[float]] = []
    for begin, finish in sorted(i for i in intervals if i[1] > i[0]):
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], finish)
        else:
            merged.append([begin, finish])
    return [(a, b) for a, b in merged]


def _clip(intervals: list[Interval], span: Interval) -> list[Interval]:
    return [(max(a, span[0]), min(b, span[1])) for a, b in intervals if b > span[0] and a < span[1]]


def _subtract(base: list[Interval], holes: list[Interval]) -> list[Interval]:
    """Parts of merged `base` not covered by merged `holes`."""
    result = []
    for begin, finish in base:
        cursor = begin
        for hole_begin, hole_end in holes:
            if hole_end <= cursor or hole_begin >= finish:
                continue
            if hole_begin > cursor:
                result.append((cursor, hole_begin))
            cursor = max(cursor, hole_end)
            if cursor >= finish:
                break
        if cursor < finish:
            result.append((cursor, finish))
    return result


def _overlap(a: list[Interval], b: list[Interval]) -> float:
    return _length(a) - _length(_subtract(a, b))


def _length(intervals: list[Interval]) -> float:
    return sum(b - a for a, b in intervals)


def _ts(day: date, zone) -> float:
    return datetime.combine(day, datetime.min.time(), tzinfo=zone).timestamp()


def _slope(values: list[float]) -> float:
    n = len(values)
    if n < 2:
        return 0.0
    mean_x = (n - 1) / 2
    mean_y = sum(values) / n
    num = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    den = sum((x - mean_x) ** 2 for x in range(n))
    return num / den


def is_one_on_one(meeting: Occurrence, settings: CalendarSettings) -> bool:
    """Two people, and a cadence (part of a series) or a title that says 1:1; a one-off call of two is not one."""
    if meeting.participants != settings.one_on_one_participants:
        return False
    if meeting.recurring:
        return True
    title = meeting.summary.lower()
    return any(_has_word(title, keyword.lower()) for keyword in settings.one_on_one_keywords)


def _leave_pattern(keywords) -> re.Pattern | None:
    if not keywords:
        return None
    alternatives = "|".join(re.escape(k.lower()) for k in sorted(keywords, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def _round(value: float) -> float:
    return round(value + 0.0, 2)
