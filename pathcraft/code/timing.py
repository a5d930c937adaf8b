"""When people commit: shares at night, at weekends and outside working hours, in the author's own local time."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from pathcraft.code.defaults import Defaults


@dataclass(frozen=True)
class WorkingHours:
    """A person's working week: hours [start, end) on the given weekdays (Monday = 0)."""

    start_hour: int
    end_hour: int
    days: tuple[int, ...] = (0, 1, 2, 3, 4)

    def contains(self, weekday: int, hour: int) -> bool:
        if weekday not in self.days:
            return False
        if self.start_hour <= self.end_hour:
            return self.start_hour <= hour < self.end_hour
        return hour >= self.start_hour or hour < self.end_hour  # a shift across midnight


@dataclass(frozen=True)
class CommitTiming:
    """Commit counts and shares; shares are None when there are no commits."""

    commits: int
    night: int
    weekend: int
    outside_hours: int
    hours_known: bool

    def share(self, count: int) -> float | None:
        return round(count / self.commits, 4) if self.commits else None

    def to_dict(self) -> dict:
        return {
            "commits": self.commits,
            "night": self.night,
            "weekend": self.weekend,
            "outside_working_hours": self.outside_hours,
            "night_share": self.share(self.night),
            "weekend_share": self.share(self.weekend),
            "outside_working_hours_share": self.share(self.outside_hours),
            "working_hours_known": self.hours_known,
        }


def _is_night(hour: int, start: int, end: int) -> bool:
    return hour >= start or hour < end if start > end else start <= hour < end


def commit_timing(hours: list[int], defaults: Defaults, working: WorkingHours | None = None) -> CommitTiming:
    """Counts from a 168-slot histogram (weekday*24 + local hour). Without WORKING, the default office hours."""
    known = working is not None
    workdays = tuple(d for d in range(7) if d not in defaults.weekend_days)
    working = working or WorkingHours(defaults.work_start_hour, defaults.work_end_hour, workdays)
    total = night = weekend = outside = 0
    for slot, count in enumerate(hours):
        if not count:
            continue
        weekday, hour = divmod(slot, 24)
        total += count
        if _is_night(hour, defaults.night_start_hour, defaults.night_end_hour):
            night += count
        if weekday in defaults.weekend_days:
            weekend += count
        if not working.contains(weekday, hour):
            outside += count
    return CommitTiming(total, night, weekend, outside, known)


def team_histogram(histograms: Iterable[list[int]], members: Collection[int] | None = None) -> list[int]:
    """The sum of the chosen members' histograms (a team figure is only ever shown as this aggregate)."""
    total = [0] * 168
    for index, hours in enumerate(histograms):
        if members is None or index in members:
            for slot, count in enumerate(hours):
                total[slot] += count
    return total
