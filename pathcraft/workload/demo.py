"""Demo workload: real .ics calendars run through the engine, an incident export, and burnout pulses.

Deterministic: fixed dates (12 weeks before 2026-11-23) and the loader's seeded random generator. Sam Rivera, the
demo manager, gets the heavy calendar of a manager with 13 weekly 1:1s, a daily stand-up and evening escalations;
two Platform engineers carry most of the on-call pages; the Platform team answers three monthly pulses.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from icalendar import Calendar, Event, vCalAddress, vRecur

from pathcraft.workload import actions, cbi

ANCHOR = dt.date(2026, 11, 23)  # a Monday: the demo's "now"
WEEKS = 12
FIRST_MONDAY = ANCHOR - dt.timedelta(weeks=WEEKS)
PULSES = (dt.date(2026, 8, 12), dt.date(2026, 9, 14), dt.date(2026, 10, 13))
ONE_OFF_TITLES = (
    "Roadmap review", "Hiring debrief", "Interview: backend candidate", "Architecture review", "Budget check-in",
    "Cross-team sync", "Vendor call", "Quarterly planning", "Incident review", "Design review",
)  # fmt: skip


class _Calendar:
    """A small builder of one person's .ics export (what Google or Outlook would write)."""

    def __init__(self, owner, zone: str):
        self.owner = owner
        self.zone = zoneinfo.ZoneInfo(zone)
        self.cal = Calendar()
        self.cal.add("prodid", "-//pathcraft demo//EN")
        self.cal.add("version", "2.0")
        self.count = 0

    def add(self, title, day, start, minutes, people, weekly_until=None, description=""):
        self.count += 1
        event = Event()
        event.add("uid", f"demo-{self.owner.pk}-{self.count}@pathcraft.test")
        begin = dt.datetime.combine(day, start, tzinfo=self.zone)
        event.add("summary", title)
        event.add("dtstart", begin)
        event.add("dtend", begin + dt.timedelta(minutes=minutes))
        event.add("dtstamp", dt.datetime(2026, 8, 1, tzinfo=dt.UTC))
        if description:
            event.add("description", description)
        organizer = vCalAddress(f"mailto:{people[0].email}")
        event.add("organizer", organizer)
        for person in people:
            attendee = vCalAddress(f"mailto:{person.email}")
            attendee.params["PARTSTAT"] = "ACCEPTED"
            attendee.params["CN"] = person.name
            event.add("attendee", attendee, encode=0)
        if weekly_until:
            event.add("rrule", vRecur({"FREQ": "WEEKLY", "UNTIL": weekly_until}))
        self.cal.add_component(event)

    def to_ics(self) -> bytes:
        return self.cal.to_ical()


def _manager_calendar(sam, reports, rng: random.Random) -> bytes:
    c = _Calendar(sam, sam.timezone)
    until = dt.datetime.combine(ANCHOR, dt.time(0), tzinfo=dt.UTC)
    # 13 weekly 1:1s, three or four a day Monday to Thursday.
    for i, report in enumerate(reports):
        day = FIRST_MONDAY + dt.timedelta(days=i % 4)
        start = [dt.time(11, 0), dt.time(14, 0), dt.time(15, 0), dt.time(16, 0)][i // 4]
        c.add(f"1:1 {sam.name.split()[0]} / {report.name.split()[0]}", day, start, 30, [sam, report], until)
    team = [sam, *reports]
    for d in range(5):  # the daily stand-up: 30 minutes for 14 people
        c.add("Platform stand-up", FIRST_MONDAY + dt.timedelta(days=d), dt.time(9, 30), 30, team, until)
    c.add("Weekly status update", FIRST_MONDAY + dt.timedelta(days=4), dt.time(13, 0), 60, team, until)
    c.add("Managers' staff meeting", FIRST_MONDAY + dt.timedelta(days=1), dt.time(10, 0), 60,
          [sam, *reports[:3]], until, description="Agenda in the shared doc")  # fmt: skip
    for week in range(WEEKS):
        monday = FIRST_MONDAY + dt.timedelta(weeks=week)
        # More one-offs and more escalations as the quarter goes on: the trend a manager should see.
        for _ in range(8 + week // 2 + rng.randrange(3)):
            day = monday + dt.timedelta(days=rng.randrange(5))
            start = dt.time(rng.choice([10, 12, 13, 14, 15]), rng.choice([0, 30]))
            others = rng.sample(reports, rng.randrange(1, 4))
            c.add(rng.choice(ONE_OFF_TITLES), day, start, 60, [sam, *others])
        for _ in range(2 + week // 2):
            day = monday + dt.timedelta(days=rng.randrange(5))
            start = dt.time(rng.choice([18, 19, 20]), 0)
            c.add("L3 escalation bridge", day, start, 90, [sam, rng.choice(reports)])
    return c.to_ics()


def _engineer_calendar(person, team, manager, rng: random.Random, on_call: bool) -> bytes:
    c = _Calendar(person, person.timezone)
    until = dt.datetime.combine(ANCHOR, dt.time(0), tzinfo=dt.UTC)
    for d in range(5):
        c.add("Platform stand-up", FIRST_MONDAY + dt.timedelta(days=d), dt.time(9, 30), 30, team, until)
    c.add("Weekly status update", FIRST_MONDAY + dt.timedelta(days=4), dt.time(13, 0), 60, team, until)
    c.add(f"1:1 {manager.name.split()[0]} / {person.name.split()[0]}", FIRST_MONDAY, dt.time(11, 0), 30,
          [manager, person], until)  # fmt: skip
    for week in range(WEEKS):
        monday = FIRST_MONDAY + dt.timedelta(weeks=week)
        for _ in range(2 + rng.randrange(4)):
            day = monday + dt.timedelta(days=rng.randrange(5))
            c.add(rng.choice(ONE_OFF_TITLES), day, dt.time(rng.choice([10, 14, 15]), 0), 60,
                  [person, *rng.sample(team, 2)])  # fmt: skip
        if on_call:
            for _ in range(4 + rng.randrange(3)):
                day = monday + dt.timedelta(days=rng.randrange(7))
                c.add(
                    "Incident call", day, dt.time(rng.choice([19, 21, 22]), 0), 90, [person, rng.choice(team)]
                )
    return c.to_ics()


def _incidents_csv(people_by_weight, rng: random.Random) -> str:
    lines = ["person_email,started_at,ended_at,kind,severity,id,service"]
    n = 0
    for person, count in people_by_weight:
        for _ in range(count):
            n += 1
            day = ANCHOR - dt.timedelta(days=1 + rng.randrange(WEEKS * 7))
            hour = rng.choice([3, 10, 14, 16, 20, 22])
            start = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), tzinfo=dt.UTC)
            end = start + dt.timedelta(minutes=20 + rng.randrange(120))
            kind = rng.choice(["oncall", "oncall", "escalation", "support"])
            lines.append(
                f"{person.email},{start:%Y-%m-%dT%H:%M:%SZ},{end:%Y-%m-%dT%H:%M:%SZ},{kind},"
                f"{rng.choice(['high', 'low'])},PD-{1000 + n},platform-api"
            )
    return "\n".join(lines) + "\n"


def _answers(level: float, rng: random.Random) -> dict[str, str]:
    """One person's answers around a burnout level (0-100), each item moved a little at random."""
    inv = cbi.inventory()
    out = {}
    for item in inv.items:
        target = min(100, max(0, rng.gauss(level, 14)))
        target = 100 - target if item.reverse else target
        options = inv.response_sets[item.response_set]
        out[item.id] = min(options, key=lambda o: abs(o.score - target)).key
    return out


def load_demo(org, people, rng) -> None:
    local = random.Random(rng.randrange(2**32))
    sam = people["sam"]
    reports = [people[f"platform-{i}"] for i in range(1, 14)]
    team = [sam, *reports]
    start, end = FIRST_MONDAY, ANCHOR
    actions.import_calendar(sam, _manager_calendar(sam, reports, local), start=start, end=end)
    on_call = {"platform-2", "platform-3"}
    for i, person in enumerate(reports, start=1):
        data = _engineer_calendar(person, team, sam, local, on_call=f"platform-{i}" in on_call)
        actions.import_calendar(person, data, start=start, end=end)
    weights = [(sam, 14), (people["platform-2"], 22), (people["platform-3"], 15), (people["platform-5"], 3),
               (people["platform-8"], 2), (people["platform-11"], 1)]  # fmt: skip
    actions.import_incidents(org, _incidents_csv(weights, local), source="demo incident CSV (generated)")
    # Platform's pulses: work-related burnout rising across the quarter, the on-call pair highest.
    for p_index, day in enumerate(PULSES):
        for i, person in enumerate(reports, start=1):
            level = 35 + 8 * p_index + (20 if f"platform-{i}" in on_call else 0) + local.uniform(-8, 8)
            actions.submit_burnout(person, _answers(level, local), day)
        actions.submit_burnout(sam, _answers(45 + 10 * p_index, local), day)
