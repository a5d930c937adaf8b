"""Small builders for growth engine tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pathcraft.growth.cadence import Cadence, Occurrence, Relationship

BERLIN = ZoneInfo("Europe/Berlin")
MANAGER = "mia@example.org"
REPORT = "ravi@example.org"


def relationship(
    cadence: str = "weekly",
    starts_on: date = date(2025, 1, 6),
    weekday: int = 1,
    at: time = time(10, 0),
    report: str = REPORT,
    manager: str = MANAGER,
    **kwargs,
) -> Relationship:
    return Relationship(
        id=kwargs.pop("id", f"{manager}-{report}"),
        manager=manager,
        report=report,
        cadence=Cadence.parse(cadence),
        starts_on=starts_on,
        weekday=weekday,
        at=at,
        timezone=kwargs.pop("timezone", "Europe/Berlin"),
        **kwargs,
    )


def weekly_slots(first: datetime, count: int) -> list[datetime]:
    return [first + timedelta(weeks=i) for i in range(count)]


def occ(start: datetime, status: str = "planned", **kwargs) -> Occurrence:
    return Occurrence(start, 30, status, **kwargs)


def at(y: int, m: int, d: int, hour: int = 10) -> datetime:
    return datetime(y, m, d, hour, tzinfo=BERLIN)
