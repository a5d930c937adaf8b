"""Escalations, support and on-call pages from an incident tool's CSV export: load per person and manager.

Pure engine. Two shapes are read (see docs/workload.md for the full column list):

* generic: person_email, started_at, ended_at, kind (escalation|support|oncall), severity;
* PagerDuty's incident export: assignee from assigned_to_user (or assigned_to / resolved_by_user_name),
  created_on / created_at, resolved_on / resolved_at, urgency, service_name, id / incident_number. Every
  PagerDuty row is an on-call page unless a `kind` column says otherwise.

Any bad row refuses the whole file with every problem listed by line number: nothing is half-imported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pathcraft.errors import InputError
from pathcraft.workload.inequality import Spread, spread
from pathcraft.workload.overlap import Person, zone

KINDS = ("escalation", "support", "oncall")

# Column -> accepted header names, first match wins. Headers are compared lower-cased and stripped.
ALIASES: dict[str, tuple[str, ...]] = {
    "person": (
        "person_email",
        "email",
        "assigned_to_user",
        "assigned_to",
        "assignee",
        "assigned_to_user_email",
        "resolved_by_user_name",
    ),
    "started_at": ("started_at", "created_on", "created_at", "triggered_at"),
    "ended_at": ("ended_at", "resolved_on", "resolved_at"),
    "kind": ("kind",),
    "severity": ("severity", "urgency", "priority"),
    "id": ("id", "incident_number", "incident_id"),
    "service": ("service_name", "service"),
}
REQUIRED = ("person", "started_at")


@dataclass(frozen=True)
class Incident:
    person: str  # as written in the export: an email (generic) or the assignee's name (PagerDuty)
    started_at: datetime  # timezone-aware
    ended_at: datetime | None
    kind: str
    severity: str
    line: int  # CSV: the line number; JSON exports: the item's index in its list
    id: str = ""
    service: str = ""
    # Tool exports (PagerDuty, Opsgenie) say more than the generic CSV: when this person acknowledged (None if
    # they were paged but did not), and whether an escalation reached them rather than the first page.
    acknowledged_at: datetime | None = None
    escalated: bool = False

    @property
    def minutes(self) -> float | None:
        return None if self.ended_at is None else (self.ended_at - self.started_at).total_seconds() / 60


def parse_incidents_csv(
    data: str | bytes,
    source: str = "incidents CSV",
    default_kind: str = "oncall",
    assume_tz: str | None = None,
) -> list[Incident]:
    """Read a generic or PagerDuty-shaped incident CSV; raise InputError listing every bad row."""
    if default_kind not in KINDS:
        raise InputError(f"unknown kind {default_kind!r}; use one of: {', '.join(KINDS)}")
    tz = zone(assume_tz) if assume_tz else None
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{source} is not UTF-8 text; save it as UTF-8 CSV") from None
    reader = csv.DictReader(io.StringIO(data.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not header:
        raise InputError(
            f"{source} is empty; expected a header such as person_email,started_at,ended_at,kind,severity"
        )
    reader.fieldnames = header
    columns = {name: next((a for a in aliases if a in header), None) for name, aliases in ALIASES.items()}
    missing = [name for name in REQUIRED if columns[name] is None]
    if missing:
        wanted = "; ".join(f"{m}: one of {', '.join(ALIASES[m])}" for m in missing)
        raise InputError(f"{source} lacks required column(s) ({wanted}); found: {', '.join(header)}")

    incidents, problems = [], []
    for row in reader:
        line = reader.line_num
        if not any((v or "").strip() for k, v in row.items() if k is not None):
            continue
        try:
            incidents.append(_row(row, columns, line, default_kind, tz))
        except InputError as exc:
            problems.append(f"line {line}: {exc}")
    if problems:
        raise InputError(f"{source}: {len(problems)} bad row(s); nothing was imported", problems)
    return incidents


def _row(
    row: Mapping[str, str], columns: Mapping[str, str | None], line: int, default_kind: str, tz
) -> Incident:
    def get(name: str) -> str:
        column = columns[name]
        return (row.get(column) or "").strip() if column else ""

    person = get("person")
    if not person:
        raise InputError(f"{columns['person']} is empty: who handled it?")
    started = _when(get("started_at"), columns["started_at"], tz)
    ended_text = get("ended_at")
    ended = _when(ended_text, columns["ended_at"], tz) if ended_text else None
    if ended is not None and ended < started:
        raise InputError(f"{columns['ended_at']} {ended_text!r} is before {columns['started_at']}")
    kind = get("kind").lower() or default_kind
    if kind not in KINDS:
        raise InputError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    return Incident(person, started, ended, kind, get("severity").lower(), line, get("id"), get("service"))


def parse_time(text: str, field_name: str | None, tz=None) -> datetime:
    """An ISO 8601 instant (Z, +01:00 or a trailing " UTC"); without an offset only when `tz` is given."""
    return _when(text, field_name, tz)


def _when(text: str, column: str | None, tz) -> datetime:
    if not text:
        raise InputError(f"{column} is empty")
    cleaned = text.strip()
    if cleaned.endswith(" UTC"):
        cleaned = cleaned[:-4] + "+00:00"
    try:
        value = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"{column} {text!r} is not an ISO 8601 date-time (e.g. 2026-03-10T14:05:00+01:00)"
        ) from None
    if value.tzinfo is None:
        if tz is None:
            raise InputError(
                f"{column} {text!r} has no UTC offset; add one (Z, +01:00) or give the export's zone"
            )
        value = value.replace(tzinfo=tz)
    return value


# --- load per person and per manager --------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonLoad:
    person: str
    count: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    minutes: float = 0.0
    off_hours: int = 0  # pages that started outside the person's working hours (when those are known)
    off_hours_known: bool = False


@dataclass(frozen=True)
class IncidentReport:
    people: dict[str, PersonLoad]
    managers: dict[str, PersonLoad]  # summed over each manager's reports
    spread_people: Spread
    spread_managers: Spread | None
    unknown_people: tuple[str, ...]  # people in the export that the roster does not know


def in_working_hours(p: Person, when: datetime) -> bool:
    """Whether an instant falls inside p's working hours in p's own zone (overnight shifts included)."""
    local = when.astimezone(zone(p.timezone))
    minute = local.hour * 60 + local.minute
    day = local.weekday()
    if p.end_minute > p.start_minute:
        return day in p.work_days and p.start_minute <= minute < p.end_minute
    # Overnight: the evening part belongs to today's shift, the early-morning part to yesterday's.
    return (day in p.work_days and minute >= p.start_minute) or (
        (day - 1) % 7 in p.work_days and minute < p.end_minute
    )


def _match(roster: Sequence[Person]) -> dict[str, Person]:
    index = {}
    for p in roster:
        index[p.name.strip().lower()] = p
        if p.email:
            index[p.email.strip().lower()] = p
    return index


def incident_report(
    incidents: Sequence[Incident],
    roster: Sequence[Person] = (),
    manager_of: Mapping[str, str] | None = None,
    kinds: Sequence[str] = KINDS,
) -> IncidentReport:
    """Load per person (everyone on the roster, 0 if none), per manager, and how fairly it is spread.

    People are matched to the roster by email or name (case-insensitive) and reported under their roster key.
    """
    index = _match(roster)
    people: dict[str, dict] = {p.key: _blank(p.key, known=True) for p in roster}
    unknown = set()
    for incident in incidents:
        if incident.kind not in kinds:
            continue
        p = index.get(incident.person.lower())
        key = p.key if p else incident.person
        if p is None:
            unknown.add(incident.person)
        entry = people.setdefault(key, _blank(key, known=False))
        entry["count"] += 1
        entry["by_kind"][incident.kind] = entry["by_kind"].get(incident.kind, 0) + 1
        entry["minutes"] += incident.minutes or 0.0
        if p is not None and not in_working_hours(p, incident.started_at):
            entry["off_hours"] += 1
    loads = {k: PersonLoad(**v) for k, v in people.items()}
    managers = _per_manager(loads, manager_of) if manager_of else {}
    return IncidentReport(
        people=loads,
        managers=managers,
        spread_people=spread({k: v.count for k, v in loads.items()}),
        spread_managers=spread({k: v.count for k, v in managers.items()}) if managers else None,
        unknown_people=tuple(sorted(unknown)),
    )


def _blank(key: str, known: bool) -> dict:
    return {
        "person": key,
        "count": 0,
        "by_kind": {},
        "minutes": 0.0,
        "off_hours": 0,
        "off_hours_known": known,
    }


def _per_manager(loads: Mapping[str, PersonLoad], manager_of: Mapping[str, str]) -> dict[str, PersonLoad]:
    lowered = {k.lower(): v for k, v in manager_of.items()}
    totals: dict[str, dict] = {m: _blank(m, known=True) for m in set(manager_of.values())}
    for key, load in loads.items():
        manager = lowered.get(key.lower())
        if manager is None:
            continue
        t = totals[manager]
        t["count"] += load.count
        t["minutes"] += load.minutes
        t["off_hours"] += load.off_hours
        for kind, n in load.by_kind.items():
            t["by_kind"][kind] = t["by_kind"].get(kind, 0) + n
    return {m: PersonLoad(**v) for m, v in totals.items()}


def weekly_counts(incidents: Sequence[Incident], person: str) -> dict[str, int]:
    """Pages per ISO week (Monday's date) for one person, as the signals engine takes them."""
    out: dict[str, int] = {}
    for incident in incidents:
        if incident.person.lower() == person.lower():
            day = incident.started_at.date()
            monday = (day - timedelta(days=day.weekday())).isoformat()
            out[monday] = out.get(monday, 0) + 1
    return dict(sorted(out.items()))
