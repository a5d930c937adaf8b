"""Benchmark: analysing calendars vs. the floor of merely parsing and expanding them with the libraries.

Generates (deterministically) one year of a heavy manager's calendar — 13 weekly 1:1s, a daily stand-up, staff and
all-hands meetings, moved and cancelled instances, declines, leave and ~600 one-off meetings — and 500 people's
calendars, then times

* floor:    icalendar.Calendar.from_ical + recurring_ical_events.of(cal).between(start, end) (list of components);
* pathcraft: pathcraft.workload.calendar.analyze_calendar (decode, checks, parse, expand, classify, weekly metrics).

Times are CPU seconds of this process (time.process_time): steadier than wall-clock time on a shared machine.

Usage: .venv/bin/python benchmarks/calendar_analyze.py [--people 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import icalendar  # noqa: E402
import recurring_ical_events  # noqa: E402

from pathcraft.workload.calendar import analyze_calendar  # noqa: E402

YEAR_START, YEAR_END = date(2026, 1, 5), date(2027, 1, 4)  # 52 ISO weeks
ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "America/Los_Angeles",
    "Europe/London",
    "Asia/Tokyo",
]
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]


class Writer:
    def __init__(self, zone: str, me: str):
        self.zone, self.me, self.lines, self.count = zone, me, [], 0
        self.lines += [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//pathcraft benchmark//EN",
            "CALSCALE:GREGORIAN",
        ]

    def event(self, start: datetime, minutes: int, summary: str, people: list[str], extra=(), uid=None, **kw):
        self.count += 1
        uid = uid or f"e{self.count}@bench"
        end = start + timedelta(minutes=minutes)
        self.lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTAMP:20251201T000000Z",
            f"DTSTART;TZID={self.zone}:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID={self.zone}:{end:%Y%m%dT%H%M%S}",
            f"SUMMARY:{summary}",
            f"ORGANIZER:mailto:{kw.get('organizer', self.me)}",
            f"ATTENDEE;PARTSTAT={kw.get('partstat', 'ACCEPTED')}:mailto:{self.me}",
            *[f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{p}" for p in people],
            *extra,
            "END:VEVENT",
        ]
        return uid

    def all_day(self, day: date, days: int, summary: str):
        self.count += 1
        self.lines += [
            "BEGIN:VEVENT",
            f"UID:a{self.count}@bench",
            "DTSTAMP:20251201T000000Z",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=days):%Y%m%d}",
            f"SUMMARY:{summary}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]

    def bytes(self) -> bytes:
        return "\r\n".join([*self.lines, "END:VCALENDAR"]).encode()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def person_calendar(rng: random.Random, index: int, *, reports: int, one_offs: int) -> tuple[bytes, str, str]:
    zone = ZONES[index % len(ZONES)]
    me = f"person{index}@example.org"
    w = Writer(zone, me)
    team = [f"t{index}-{i}@example.org" for i in range(max(reports, 6))]
    standup = w.event(
        at(YEAR_START, 9, 30), 15, "Team standup", team, ["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]
    )
    # The stand-up moves on two days and is cancelled on one.
    w.event(
        at(YEAR_START + timedelta(days=9), 11),
        15,
        "Team standup",
        team,
        ["RECURRENCE-ID;TZID=" + zone + ":" + f"{at(YEAR_START + timedelta(days=8), 9, 30):%Y%m%dT%H%M%S}"],
        uid=standup,
    )
    w.event(
        at(YEAR_START + timedelta(days=22), 9, 30),
        15,
        "Team standup",
        team,
        [
            "STATUS:CANCELLED",
            f"RECURRENCE-ID;TZID={zone}:{at(YEAR_START + timedelta(days=22), 9, 30):%Y%m%dT%H%M%S}",
        ],
        uid=standup,
    )
    w.event(
        at(YEAR_START, 14),
        60,
        "Staff meeting",
        team + ["boss@example.org", "hr@example.org"],
        ["RRULE:FREQ=WEEKLY;BYDAY=MO"],
    )
    w.event(
        at(YEAR_START + timedelta(days=3), 17),
        60,
        "All hands",
        [f"all{i}@example.org" for i in range(30)],
        ["RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"],
    )
    for i in range(reports):
        day = YEAR_START + timedelta(days=i % 5)
        exdates = [
            f"EXDATE;TZID={zone}:{at(day + timedelta(weeks=w_), 10 + i // 5, 0):%Y%m%dT%H%M%S}"
            for w_ in rng.sample(range(52), 3)
        ]
        w.event(at(day, 10 + i // 5), 30, f"1:1 {team[i]}", [team[i]], ["RRULE:FREQ=WEEKLY", *exdates])
    for _ in range(one_offs):
        day = YEAR_START + timedelta(days=rng.randrange(364))
        if day.weekday() >= 5:
            day -= timedelta(days=2)
        people = rng.sample(team, rng.randint(1, min(6, len(team))))
        partstat = "DECLINED" if rng.random() < 0.1 else "ACCEPTED"
        extra = ["DESCRIPTION:agenda"] if rng.random() < 0.5 else []
        w.event(
            at(day, rng.randint(8, 17), rng.choice([0, 30])),
            rng.choice([25, 30, 45, 60, 90]),
            rng.choice(
                [
                    "Design review",
                    "Incident follow-up",
                    "Planning",
                    "Customer call",
                    "Interview",
                    "Status update",
                ]
            ),
            people,
            extra,
            partstat=partstat,
            organizer=rng.choice([me, *people]),
        )
    for week in rng.sample(range(50), 3):
        w.all_day(YEAR_START + timedelta(weeks=week), 5, "Vacation")
    return w.bytes(), zone, me


def floor(data: bytes) -> int:
    calendar = icalendar.Calendar.from_ical(data)
    return len(recurring_ical_events.of(calendar).between(YEAR_START, YEAR_END))


def ours(data: bytes, zone: str, me: str) -> int:
    report = analyze_calendar(data, tz=zone, me={me}, hours="09:00-17:00", start=YEAR_START, end=YEAR_END)
    return sum(report.counted.values())


def timed(function, *args) -> tuple[float, object]:
    """CPU time of one call: on a shared machine it is far steadier than wall-clock time."""
    began = time.process_time()
    result = function(*args)
    return time.process_time() - began, result


def best_of(repeat: int, function, *args) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        seconds, result = timed(function, *args)
        best = min(best, seconds)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(20260329)

    heavy, zone, me = person_calendar(rng, 0, reports=13, one_offs=600)
    floor_s, floor_n = best_of(args.repeat, floor, heavy)
    ours_s, ours_n = best_of(args.repeat, ours, heavy, zone, me)
    print(
        f"Heavy manager, one year ({len(heavy) / 1e6:.2f} MB, {floor_n} occurrences; pathcraft saw {ours_n}):"
    )
    print(f"  floor (icalendar + recurring-ical-events): {floor_s * 1000:8.1f} ms CPU")
    print(
        f"  pathcraft analyze_calendar:                {ours_s * 1000:8.1f} ms CPU   ratio {ours_s / floor_s:.2f}x"
    )

    people = [
        person_calendar(rng, i + 1, reports=rng.choice([0, 0, 0, 4, 8]), one_offs=rng.randint(80, 300))
        for i in range(args.people)
    ]
    size = sum(len(p[0]) for p in people)
    floor_s = ours_s = 0.0
    floor_total = ours_total = 0
    for data, person_zone, person in people:  # interleaved, so both see the same machine load
        seconds, count = timed(floor, data)
        floor_s, floor_total = floor_s + seconds, floor_total + count
        seconds, count = timed(ours, data, person_zone, person)
        ours_s, ours_total = ours_s + seconds, ours_total + count
    print(
        f"{args.people} people, one year each ({size / 1e6:.1f} MB, {floor_total} occurrences; pathcraft saw {ours_total}):"
    )
    print(f"  floor (icalendar + recurring-ical-events): {floor_s:8.2f} s CPU")
    print(f"  pathcraft analyze_calendar:                {ours_s:8.2f} s CPU   ratio {ours_s / floor_s:.2f}x")
    print(f"  per person: {ours_s / args.people * 1000:.1f} ms")


if __name__ == "__main__":
    main()
