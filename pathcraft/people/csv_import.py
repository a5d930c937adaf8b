"""Validate the people CSV an HR system exports. Pure: plain rows in, plain rows or one InputError out.

Columns (header names are matched case-insensitively; spaces, dashes and underscores are the same):
  name*, email*, manager_email, team, title, timezone, location, work_start, work_end, work_days
Aliases accepted: "full name" for name; "manager", "manager email", "reports to" for manager_email;
"department" for team; "job title" for title; "time zone", "tz" for timezone; "office" for location.
A file with any bad row is refused whole, with one message per problem (line number and reason).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zoneinfo
from dataclasses import dataclass

from pathcraft.errors import InputError

COLUMNS = (
    "name", "email", "manager_email", "team", "title", "timezone", "location", "work_start", "work_end", "work_days",
)  # fmt: skip
REQUIRED = ("name", "email")
ALIASES = {
    "fullname": "name",
    "manager": "manager_email",
    "manageremail": "manager_email",
    "reportsto": "manager_email",
    "department": "team",
    "jobtitle": "title",
    "tz": "timezone",
    "timezone": "timezone",
    "office": "location",
    "workstart": "work_start",
    "workend": "work_end",
    "workdays": "work_days",
    "emailaddress": "email",
}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_PROBLEMS_SHOWN = 50


@dataclass(frozen=True)
class PersonRow:
    line: int
    name: str
    email: str
    manager_email: str
    team: str
    title: str
    timezone: str
    location: str
    work_start: dt.time
    work_end: dt.time
    work_days: str


def _canonical(header: str) -> str:
    key = re.sub(r"[\s_\-]+", "", header.strip().lower())
    if key in ALIASES:
        return ALIASES[key]
    for column in COLUMNS:
        if key == column.replace("_", ""):
            return column
    return header.strip()


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _parse_time(value: str, default: dt.time) -> dt.time:
    if not value:
        return default
    return dt.time.fromisoformat(value if len(value) > 2 else f"{int(value):02d}:00")


def parse_people_csv(
    data: bytes | str, existing_managers: dict[str, str | None] | None = None
) -> list[PersonRow]:
    """Validate every row; `existing_managers` maps emails already in the organisation to their manager's email."""
    existing = {k.lower(): (v.lower() if v else None) for k, v in (existing_managers or {}).items()}
    reader = csv.DictReader(io.StringIO(_decode(data), newline=""))
    if not reader.fieldnames:
        raise InputError("the file is empty: expected a header row with at least name and email")
    headers = [_canonical(h or "") for h in reader.fieldnames]
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; found {', '.join(reader.fieldnames)}; "
            f"expected {', '.join(COLUMNS)}"
        )
    duplicated = sorted({h for h in headers if headers.count(h) > 1})
    if duplicated:
        raise InputError(f"column(s) given twice: {', '.join(duplicated)}")
    reader.fieldnames = headers

    problems: list[str] = []
    rows: list[PersonRow] = []
    first_line: dict[str, int] = {}
    line = 1
    for raw in reader:
        line = reader.line_num
        if None in raw:
            problems.append(f"line {line}: more values than columns")
            continue
        values = {k: (raw.get(k) or "").strip() for k in COLUMNS}
        if not any(values.values()):
            continue
        row_problems = []
        email = values["email"].lower()
        if not values["name"]:
            row_problems.append("name is empty")
        if not EMAIL_RE.match(email):
            row_problems.append(f"email {values['email']!r} is not an email address")
        elif email in first_line:
            row_problems.append(f"duplicate email {email} (first on line {first_line[email]})")
        else:
            first_line[email] = line
        manager = values["manager_email"].lower()
        if manager and manager == email:
            row_problems.append("a person cannot be their own manager")
        zone = values["timezone"] or "UTC"
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            row_problems.append(f"time zone {zone!r} is not an IANA zone (e.g. Europe/Berlin)")
        try:
            start = _parse_time(values["work_start"], dt.time(9))
            end = _parse_time(values["work_end"], dt.time(17))
            if start == end:
                row_problems.append("work_start and work_end are equal")
        except ValueError:
            row_problems.append(
                f"working hours {values['work_start']!r}-{values['work_end']!r} are not HH:MM"
            )
            start, end = dt.time(9), dt.time(17)
        days = values["work_days"] or "12345"
        if not re.fullmatch(r"[1-7]{1,7}", days) or len(set(days)) != len(days):
            row_problems.append(f"work_days {days!r} must be ISO weekday digits 1-7, e.g. 12345")
        problems.extend(f"line {line}: {p}" for p in row_problems)
        rows.append(
            PersonRow(line, values["name"], email, manager, values["team"], values["title"], zone,
                      values["location"], start, end, "".join(sorted(days)))
        )  # fmt: skip
    if not rows and not problems:
        raise InputError("the file has a header but no people")

    known = set(existing) | {r.email for r in rows}
    for row in rows:
        if row.manager_email and row.manager_email not in known:
            problems.append(
                f"line {row.line}: unknown manager {row.manager_email} (not in this file or the organisation)"
            )
    problems.extend(_cycles(rows, existing))
    if problems:
        problems.sort(key=lambda p: int(p.split(":", 1)[0].split()[1]))
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        if more:
            shown.append(f"... and {more} more")
        raise InputError(f"refused: {len(problems)} problem(s); nothing was imported", shown)
    return rows


def _cycles(rows: list[PersonRow], existing: dict[str, str | None]) -> list[str]:
    """Report each row that sits on a cycle in the reporting lines that the import would create."""
    manager_of = dict(existing)
    line_of = {}
    for row in rows:
        manager_of[row.email] = row.manager_email or None
        line_of[row.email] = row.line
    on_cycle: set[str] = set()
    for start in line_of:
        seen: list[str] = []
        current: str | None = start
        while current is not None and current not in seen:
            seen.append(current)
            current = manager_of.get(current)
        if current is not None and current == start:
            on_cycle.update(seen)
    return [
        f"line {line_of[email]}: {email} is in a cycle of reporting lines "
        f"({' -> '.join(_cycle_path(email, manager_of))})"
        for email in sorted((e for e in on_cycle if e in line_of), key=lambda e: line_of[e])
    ]


def _cycle_path(start: str, manager_of: dict[str, str | None]) -> list[str]:
    path = [start]
    current = manager_of.get(start)
    while current is not None and current != start and len(path) < 20:
        path.append(current)
        current = manager_of.get(current)
    return [*path, start]
