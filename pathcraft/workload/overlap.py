"""Working-hour overlap across time zones: pairs, a matrix, fair shared meeting slots and a rotation.

Pure engine: plain dataclasses in, plain dataclasses out; no Django. Every working day is placed in UTC with the
person's own zone rules for that date (so daylight-saving changes apply), and each working day of one person is
intersected with every working day of the other, so a window that crosses midnight or a date line is found.
"""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from pathcraft.errors import InputError

DATA_FILE = Path(__file__).parent / "data" / "overlap.yaml"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_NAMES = {name.lower(): i for i, name in enumerate(WEEKDAYS)} | {
    full: i
    for i, full in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class OverlapDefaults:
    min_overlap_hours: float
    work_days: frozenset[int]
    grid_minutes: int
    slot_lengths: tuple[int, ...]
    top_slots: int


@cache
def defaults() -> OverlapDefaults:
    """The numbers in data/overlap.yaml, loaded once and checked."""
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    for key in ("min_overlap_hours", "default_work_days", "slot_grid_minutes", "slot_lengths_minutes"):
        entry = raw[key]
        if "source" not in entry and not entry.get("estimate"):
            raise ValueError(f"{DATA_FILE.name}: {key} needs a source or estimate: true")
    return OverlapDefaults(
        min_overlap_hours=float(raw["min_overlap_hours"]["value"]),
        work_days=parse_work_days(",".join(raw["default_work_days"]["value"])),
        grid_minutes=int(raw["slot_grid_minutes"]["value"]),
        slot_lengths=tuple(int(v) for v in raw["slot_lengths_minutes"]["value"]),
        top_slots=int(raw["top_slots"]["value"]),
    )


# --- people and their working hours -------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Someone's working hours in their own zone. Minutes after local midnight; end <= start means overnight."""

    name: str
    timezone: str
    start_minute: int
    end_minute: int
    work_days: frozenset[int] = frozenset(range(5))
    email: str = ""

    def __post_init__(self) -> None:
        zone(self.timezone)  # fail early, with the message users see
        if not (0 <= self.start_minute < 1440 and 0 < self.end_minute <= 1440):
            raise InputError(f"{self.name}: working hours must lie within one day (00:00-24:00)")
        if self.start_minute == self.end_minute:
            raise InputError(f"{self.name}: working hours start and end at the same time")
        if not self.work_days:
            raise InputError(f"{self.name}: no working days")

    @property
    def key(self) -> str:
        return self.email or self.name

    @property
    def day_minutes(self) -> int:
        length = self.end_minute - self.start_minute
        return length if length > 0 else length + 1440

    @property
    def hours_label(self) -> str:
        return f"{_fmt_minute(self.start_minute)}-{_fmt_minute(self.end_minute)}"

    @property
    def days_label(self) -> str:
        return ",".join(WEEKDAYS[d] for d in sorted(self.work_days))


def person(
    name: str, timezone: str, hours: str = "09:00-17:00", days: str = "Mon-Fri", email: str = ""
) -> Person:
    """Convenience constructor from text: person("Ana", "Europe/Berlin", "09:00-17:00", "Mon-Fri")."""
    start, _, end = hours.partition("-")
    return Person(name, timezone, parse_time(start), parse_time(end, end=True), parse_work_days(days), email)


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA zone of that name, or a clear InputError."""
    hint = "use an IANA name such as Europe/Berlin or America/Los_Angeles"
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"missing time zone: {hint}")
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError, OSError):
        raise InputError(f"unknown time zone {name!r}: {hint}") from None


def parse_time(text: str, *, end: bool = False) -> int:
    """'09:30' -> 570 minutes. '24:00' is accepted as an end time."""
    match = _TIME_RE.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise InputError(f"bad time {text!r}: expected HH:MM, e.g. 09:00")
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not end)):
        raise InputError(f"bad time {text!r}: hours 00-23 and minutes 00-59 (24:00 only as an end)")
    return hours * 60 + minutes


def parse_work_days(text: str) -> frozenset[int]:
    """'Mon-Fri', 'Sun-Thu' (wraps round), 'Mon,Wed,Fri' or 'Mon-Thu,Sat' -> weekday numbers (Mon=0)."""
    days: set[int] = set()
    for part in (p.strip().lower() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        first, _, last = part.partition("-")
        if first.strip() not in _DAY_NAMES or (last and last.strip() not in _DAY_NAMES):
            raise InputError(f"bad working days {text!r}: use e.g. Mon-Fri, Sun-Thu or Mon,Wed,Fri")
        a = _DAY_NAMES[first.strip()]
        b = _DAY_NAMES[last.strip()] if last else a
        days.update((a + i) % 7 for i in range((b - a) % 7 + 1))
    if not days:
        raise InputError(f"bad working days {text!r}: no day given")
    return frozenset(days)


def _fmt_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def week_start(day: date) -> date:
    """The Monday of the ISO week holding that day."""
    return day - timedelta(days=day.weekday())


# --- placing working days in UTC ------------------------------------------------------------------------------


def working_intervals(p: Person, week: date) -> list[tuple[datetime, datetime]]:
    """p's working periods in UTC for each local working date of the ISO week of `week`, in order."""
    tz = zone(p.timezone)
    monday = week_start(week)
    out = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        if day.weekday() not in p.work_days:
            continue
        start = _local(day, p.start_minute, tz)
        end_day = day if p.end_minute > p.start_minute else day + timedelta(days=1)
        end = _local(end_day, p.end_minute, tz)
        if end > start:  # a day shortened to nothing by a clock change is skipped, not negative
            out.append((start, end))
    return out


def _local(day: date, minute: int, tz: ZoneInfo) -> datetime:
    if minute == 1440:
        day, minute = day + timedelta(days=1), 0
    # Wall-clock time in that zone on that date: zoneinfo applies the offset valid then (daylight saving included).
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz).astimezone(UTC)


def _as_minutes(intervals: Sequence[tuple[datetime, datetime]], ref: datetime) -> list[tuple[int, int]]:
    return [
        (int((s - ref).total_seconds()) // 60, int((e - ref).total_seconds()) // 60) for s, e in intervals
    ]


def offset_difference_hours(zone_a: str, zone_b: str, at: datetime) -> float:
    """How many hours zone_b's clocks are ahead of zone_a's at that instant."""
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    a = at.astimezone(zone(zone_a)).utcoffset()
    b = at.astimezone(zone(zone_b)).utcoffset()
    return (b - a).total_seconds() / 3600


# --- pairs and the matrix -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairOverlap:
    a: str
    b: str
    weekly_minutes: int
    spans: tuple[
        tuple[int, int], ...
    ]  # shared working time in minutes from `ref`, one per pair of working days
    best_window_minutes: int
    live: bool  # best shared window reaches the threshold
    ref: datetime  # Monday 00:00 UTC of the week

    @property
    def windows(self) -> list[tuple[datetime, datetime]]:
        """The shared windows as UTC datetimes (built on demand: a large matrix holds many pairs)."""
        return [(self.ref + timedelta(minutes=s), self.ref + timedelta(minutes=e)) for s, e in self.spans]

    @property
    def weekly_hours(self) -> float:
        return round(self.weekly_minutes / 60, 2)


@dataclass(frozen=True)
class OverlapMatrix:
    week_start: date
    people: tuple[Person, ...]
    min_overlap_minutes: int
    minutes: tuple[tuple[int, ...], ...]  # weekly shared minutes; the diagonal holds each person's own week
    pairs: tuple[PairOverlap, ...]

    def pair(self, a: str, b: str) -> PairOverlap:
        for p in self.pairs:
            if {p.a, p.b} == {a, b}:
                return p
        raise KeyError((a, b))

    @property
    def cannot_collaborate_live(self) -> list[PairOverlap]:
        return [p for p in self.pairs if not p.live]


def intersect(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Intersection of two sorted lists of disjoint intervals (two-pointer walk)."""
    i = j = 0
    out = []
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def pair_overlap(a: Person, b: Person, week: date, min_overlap_hours: float | None = None) -> PairOverlap:
    """Shared working time of a and b during the ISO week holding `week`."""
    threshold = _threshold_minutes(min_overlap_hours)
    ref = datetime.combine(week_start(week), time(0), tzinfo=UTC)
    shared = intersect(
        _as_minutes(working_intervals(a, week), ref), _as_minutes(working_intervals(b, week), ref)
    )
    return _pair(a.key, b.key, shared, ref, threshold)


def _pair(a: str, b: str, shared: list[tuple[int, int]], ref: datetime, threshold: int) -> PairOverlap:
    lengths = [e - s for s, e in shared]
    best = max(lengths, default=0)
    return PairOverlap(a, b, sum(lengths), tuple(shared), best, best > 0 and best >= threshold, ref)


def _threshold_minutes(hours: float | None) -> int:
    hours = defaults().min_overlap_hours if hours is None else hours
    if not isinstance(hours, int | float) or hours < 0 or hours > 24:
        raise InputError(f"minimum overlap must be between 0 and 24 hours, not {hours!r}")
    return round(hours * 60)


def overlap_matrix(
    people: Sequence[Person], week: date, min_overlap_hours: float | None = None
) -> OverlapMatrix:
    """Every pair's shared working time for the week, as a symmetric matrix plus per-pair details."""
    _check_unique(people)
    threshold = _threshold_minutes(min_overlap_hours)
    ref = datetime.combine(week_start(week), time(0), tzinfo=UTC)
    spans = [_as_minutes(working_intervals(p, week), ref) for p in people]
    n = len(people)
    grid = [[0] * n for _ in range(n)]
    pairs = []
    for i in range(n):
        grid[i][i] = sum(e - s for s, e in spans[i])
        for j in range(i + 1, n):
            pair = _pair(people[i].key, people[j].key, intersect(spans[i], spans[j]), ref, threshold)
            grid[i][j] = grid[j][i] = pair.weekly_minutes
            pairs.append(pair)
    return OverlapMatrix(week_start(week), tuple(people), threshold, tuple(map(tuple, grid)), tuple(pairs))


def _check_unique(people: Sequence[Person]) -> None:
    seen: set[str] = set()
    for p in people:
        if p.key in seen:
            raise InputError(f"{p.key} appears twice in the team")
        seen.add(p.key)


# --- shared meeting slots, fairness of the off-hours burden, rotation ----------------------------------------


@dataclass(frozen=True)
class Slot:
    start: datetime  # UTC
    minutes: int
    burden: dict[str, int]  # minutes of the slot outside each person's working hours
    reach: dict[str, int] = field(
        default_factory=dict
    )  # minutes between the slot and their nearest working time
    local_starts: dict[str, str] = field(default_factory=dict)

    @property
    def max_burden(self) -> int:
        return max(self.burden.values(), default=0)

    @property
    def total_burden(self) -> int:
        return sum(self.burden.values())

    @property
    def inside_everyones_hours(self) -> bool:
        return self.max_burden == 0

    @property
    def burdened(self) -> list[str]:
        return [k for k, v in self.burden.items() if v > 0]

    @property
    def max_reach(self) -> int:
        return max(self.reach.values(), default=0)

    def rank_key(self) -> tuple[int, int, int, int, datetime]:
        # Fairness first: the worst-off person's off-hours minutes, then the team's total. Among equals, prefer the
        # slot closest to people's days (07:00 beats 02:00 for the same 60 minutes), then the earliest start.
        return (self.max_burden, self.total_burden, self.max_reach, sum(self.reach.values()), self.start)


@dataclass(frozen=True)
class Rotation:
    slots: tuple[Slot, ...]  # one per week, repeating
    burden: dict[str, int]  # each person's total off-hours minutes over the whole rotation

    @property
    def weeks(self) -> int:
        return len(self.slots)


def candidate_slots(
    people: Sequence[Person], week: date, minutes: int = 60, grid: int | None = None
) -> list[Slot]:
    """Every slot of that length starting on the grid within the UTC week, with each person's burden."""
    _check_unique(people)
    if not people:
        raise InputError("no people given")
    grid = grid or defaults().grid_minutes
    if minutes <= 0 or minutes > 24 * 60 or grid <= 0:
        raise InputError("slot length must be 1-1440 minutes and the grid positive")
    ref = datetime.combine(week_start(week), time(0), tzinfo=UTC)
    # The UTC week cuts through other zones' local weeks: a Sunday-evening UTC slot is Monday morning in Auckland,
    # so the neighbouring weeks' working days count too.
    spans = [
        _as_minutes([iv for w in (-7, 0, 7) for iv in working_intervals(p, week + timedelta(days=w))], ref)
        for p in people
    ]
    week_minutes = 7 * 1440
    # Per person, minutes worked before each minute of the week (a prefix sum) and the working spans' starts and
    # ends in order: a slot's worked minutes and its distance to the nearest working time are then two lookups
    # each, not a scan of every span for each of the week's slots.
    worked_before = [_worked_prefix(span, week_minutes) for span in spans]
    starts = [sorted(s for s, _ in span) for span in spans]
    ends = [sorted(e for _, e in span) for span in spans]
    keys = [p.key for p in people]
    slots = []
    for start in range(0, week_minutes - minutes + 1, grid):
        end = start + minutes
        burden, reach = {}, {}
        for i, key in enumerate(keys):
            worked = worked_before[i][end] - worked_before[i][start]
            burden[key] = minutes - worked
            reach[key] = 0 if worked else _distance_to_work(starts[i], ends[i], start, end)
        slots.append(Slot(ref + timedelta(minutes=start), minutes, burden, reach))
    return slots


def _worked_prefix(span: Sequence[tuple[int, int]], week_minutes: int) -> list[int]:
    """prefix[m] = minutes worked in [0, m) of the week (overlapping spans counted once per span, as before)."""
    delta = [0] * (week_minutes + 2)
    for s, e in span:
        s, e = max(s, 0), min(e, week_minutes)
        if s < e:
            delta[s] += 1
            delta[e] -= 1
    prefix, running, total = [0] * (week_minutes + 1), 0, 0
    for minute in range(week_minutes):
        running += delta[minute]
        total += running
        prefix[minute + 1] = total
    return prefix


def _distance_to_work(starts: list[int], ends: list[int], start: int, end: int) -> int:
    """Minutes from a slot with no working time in it to the nearest working span, before or after it."""
    if not starts:
        raise InputError("a person has no working hours in that week")
    after = bisect_left(starts, end)
    before = bisect_right(ends, start) - 1
    gaps = []
    if after < len(starts):
        gaps.append(starts[after] - end)
    if before >= 0:
        gaps.append(start - ends[before])
    return min(gaps)


def best_slots(
    people: Sequence[Person], week: date, minutes: int = 60, top: int | None = None, grid: int | None = None
) -> list[Slot]:
    """The fairest distinct slots, best first, with each person's local start time.

    A time of day that works equally well on several days is listed once (its first day); slots are at least
    their own length apart in time of day, so the list offers real alternatives rather than 15-minute shifts.
    """
    top = top or defaults().top_slots
    chosen: list[Slot] = []
    for slot in sorted(candidate_slots(people, week, minutes, grid), key=Slot.rank_key):
        if len(chosen) == top:
            break
        if all(_minutes_apart(slot.start, c.start) >= minutes for c in chosen):
            chosen.append(_with_local_starts(slot, people))
    return chosen


def _minutes_apart(a: datetime, b: datetime) -> int:
    """Distance between two times of day, round the clock."""
    diff = abs((a.hour * 60 + a.minute) - (b.hour * 60 + b.minute))
    return min(diff, 1440 - diff)


def rotation(
    people: Sequence[Person], week: date, minutes: int = 60, weeks: int | None = None, grid: int | None = None
) -> Rotation:
    """Slots to rotate week by week so that the off-hours burden is shared rather than left on the same people.

    Greedy: each week takes the slot that keeps the largest accumulated burden smallest (then the total, then the
    earliest time). The default length is one week per distinct UTC offset in the team (each region takes a turn).
    """
    candidates = candidate_slots(people, week, minutes, grid)
    if weeks is None:
        ref = datetime.combine(week_start(week), time(12), tzinfo=UTC)
        offsets = {ref.astimezone(zone(p.timezone)).utcoffset() for p in people}
        weeks = min(max(len(offsets), 2), 8)
    if weeks < 1:
        raise InputError("a rotation needs at least one week")
    total = {p.key: 0 for p in people}
    picked = []
    for _ in range(weeks):
        slot = min(
            candidates,
            key=lambda s: (max(total[k] + v for k, v in s.burden.items()), *s.rank_key()[1:]),
        )
        for k, v in slot.burden.items():
            total[k] += v
        picked.append(_with_local_starts(slot, people))
    return Rotation(tuple(picked), total)


def _with_local_starts(slot: Slot, people: Sequence[Person]) -> Slot:
    local = {p.key: slot.start.astimezone(zone(p.timezone)).strftime("%a %H:%M") for p in people}
    return Slot(slot.start, slot.minutes, slot.burden, slot.reach, local)


def burden_carriers(slots: Iterable[Slot]) -> dict[str, int]:
    """Total off-hours minutes per person over a set of slots, largest first."""
    total: dict[str, int] = {}
    for slot in slots:
        for k, v in slot.burden.items():
            total[k] = total.get(k, 0) + v
    return dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0])))


# --- people CSV -----------------------------------------------------------------------------------------------

REQUIRED_COLUMNS = ("name", "email", "timezone", "work_start", "work_end")
OPTIONAL_COLUMNS = ("work_days",)


def parse_people_csv(data: str | bytes, source: str = "people CSV") -> list[Person]:
    """Read name,email,timezone,work_start,work_end[,work_days]; any bad row refuses the whole file."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{source} is not UTF-8 text; save it as UTF-8 CSV") from None
    data = data.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(data))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not header:
        raise InputError(f"{source} is empty; expected a header: {','.join(REQUIRED_COLUMNS)}[,work_days]")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(f"{source} lacks column(s) {', '.join(missing)}; found: {', '.join(header)}")
    reader.fieldnames = header
    people, problems, seen = [], [], {}
    default_days = defaults().work_days
    for row in reader:
        line = reader.line_num
        if not any((v or "").strip() for k, v in row.items() if k is not None):
            continue
        if None in row:
            problems.append(f"line {line}: more fields than the header has columns")
            continue
        try:
            name = (row["name"] or "").strip()
            email = (row["email"] or "").strip()
            if not name:
                raise InputError("name is empty")
            if email and "@" not in email:
                raise InputError(f"email {email!r} has no @")
            days_text = (row.get("work_days") or "").strip()
            p = Person(
                name=name,
                timezone=(row["timezone"] or "").strip(),
                start_minute=parse_time(row["work_start"] or ""),
                end_minute=parse_time(row["work_end"] or "", end=True),
                work_days=parse_work_days(days_text) if days_text else default_days,
                email=email,
            )
        except InputError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        if p.key in seen:
            problems.append(f"line {line}: {p.key} already given on line {seen[p.key]}")
            continue
        seen[p.key] = line
        people.append(p)
    if problems:
        raise InputError(f"{source}: {len(problems)} bad row(s); nothing was read", problems)
    if not people:
        raise InputError(f"{source} has a header but no people")
    return people


# --- SVG heatmap ---------------------------------------------------------------------------------------------


def heatmap_svg(matrix: OverlapMatrix, cell: int = 44) -> str:
    """An accessible SVG heatmap of weekly shared hours (title, description, a text label in every cell)."""
    names = [p.name for p in matrix.people]
    n = len(names)
    label_w = 10 + 7 * max((len(x) for x in names), default=4)
    width, height = label_w + n * cell + 10, label_w + n * cell + 10
    off_diag = [matrix.minutes[i][j] for i in range(n) for j in range(n) if i != j]
    top = max(off_diag, default=0) or 1
    title = f"Weekly working-hour overlap, week of {matrix.week_start.isoformat()}"
    desc = (
        f"Hours per week that each pair of {n} people share inside both their working hours. "
        f"Cells marked 'none' have no shared working time."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="ovl-title ovl-desc" '
        f'font-family="sans-serif" font-size="11">',
        f'<title id="ovl-title">{escape(title)}</title>',
        f'<desc id="ovl-desc">{escape(desc)}</desc>',
    ]
    for i, name in enumerate(names):
        y = label_w + i * cell + cell / 2 + 4
        x = label_w + i * cell + cell / 2
        parts.append(f'<text x="{label_w - 6}" y="{y:.0f}" text-anchor="end">{escape(name)}</text>')
        parts.append(
            f'<text x="{x:.0f}" y="{label_w - 6}" text-anchor="start" '
            f'transform="rotate(-60 {x:.0f} {label_w - 6})">{escape(name)}</text>'
        )
    for i in range(n):
        for j in range(n):
            x, y = label_w + j * cell, label_w + i * cell
            minutes = matrix.minutes[i][j]
            if i == j:
                fill, text, tip = "#eeeeee", "—", f"{names[i]}: {minutes / 60:.1f} h of own working time"
            else:
                share = minutes / top
                # Light for little overlap, dark blue for most; zero gets a warm colour so it stands out.
                fill = "#f4d6cc" if minutes == 0 else _blue(share)
                text = "none" if minutes == 0 else f"{minutes / 60:.1f}"
                tip = f"{names[i]} and {names[j]}: {minutes / 60:.1f} h shared this week"
            ink = "#ffffff" if i != j and minutes and minutes / top > 0.6 else "#000000"
            parts.append(
                f"<g><title>{escape(tip)}</title>"
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" stroke="#ffffff"/>'
                f'<text x="{x + cell / 2:.0f}" y="{y + cell / 2 + 4:.0f}" text-anchor="middle" '
                f'fill="{ink}">{text}</text></g>'
            )
    parts.append("</svg>")
    return "\n".join(parts)


def _blue(share: float) -> str:
    light, dark = (222, 235, 247), (8, 69, 148)
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(light, dark, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"
