"""Demo 1:1s: Sam Rivera's 13 weekly 1:1s since March 2026, with history up to ANCHOR (2026-11-23).

What the demo shows on the dashboard:
* three reports (platform-5, -9, -12) have not been seen for five to seven weeks (cancellations by Sam,
  then meetings nobody recorded);
* stale questions: vision and growth drift past 90 days for most, motivation past 30 for several;
* a spotlight register dominated by platform-4, and thankless work asked mostly of platform-6 and -8;
* Sam's planned leave 2026-12-14 – 2026-12-24 with platform-2 acting, and one critical duty only Sam can
  do ("Approve production access") — plus the deploy scripts only Sam wrote in the demo repository (code
  knowledge) — so the readiness check is not ready;
* the other six managers have plain weekly 1:1s since September, so an organisation roll-up has more
  than 5 managers to count;
* Jae mentors payments-2 since five weeks ago: the life-story conversation was held in their first 1:1, so
  the 1:1 page suggests the second career conversation (dreams), which Jae can accept or dismiss.

Deterministic: fixed dates relative to ANCHOR and the loader's rng; "now" for the history is
ANCHOR_NOW. Pages use the real clock, so the figures age after 2026-11-23 (see docs/growth.md).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from pathcraft.demo.organisation import DEMO_PASSWORD
from pathcraft.growth import actions
from pathcraft.growth import cadence as engine
from pathcraft.growth.models import ActionItem, AgendaItem, CheckIn, Discussion, Note

ANCHOR = dt.date(2026, 11, 23)  # a Monday
ANCHOR_NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
SAM_START = dt.date(2026, 3, 2)
OTHERS_START = dt.date(2026, 9, 7)
UNSEEN = {"platform-5": 7, "platform-9": 5, "platform-12": 6}  # weeks since their last held 1:1
SPOTLIGHT_STAR = "platform-4"
PRIVATE_NOTE = "Private reminder for myself: ask HR about Jae's relocation budget before promising anything."

TOPICS = [
    ("Migration of the build cache: what is blocking", ""),
    ("Would like to lead the next incident review", "grow"),
    ("How does the Q1 reliability goal affect my project?", "align"),
    ("Feeling stretched by interviews this month", "motivation"),
    ("Where is the platform going next year?", "vision"),
    ("Conference talk proposal", "grow"),
]


def load_demo(org, people, rng) -> None:
    sam = people["sam"]
    reports = [people[f"platform-{i}"] for i in range(1, 14)]
    _accounts(people)
    actions.record_leave(sam, dt.date(2026, 8, 10), dt.date(2026, 8, 21), now=ANCHOR_NOW)
    slots = [(0, dt.time(10, 0)), (0, dt.time(14, 0)), (1, dt.time(10, 0)), (1, dt.time(14, 0)),
             (2, dt.time(10, 0)), (2, dt.time(14, 0)), (3, dt.time(11, 0))]  # fmt: skip
    for i, report in enumerate(reports):
        weekday, at = slots[i % len(slots)]
        rel = actions.create_relationship(sam, report, started_on=SAM_START, weekday=weekday, at=at,
                                          tz=sam.timezone, now=ANCHOR_NOW)  # fmt: skip
        _history(rel, sam, report, f"platform-{i + 1}", rng)
    _jae(people, sam)
    _mentoring(people["platform-1"], people["payments-2"])
    _registers(sam, reports, people, rng)
    _delegation(sam, people)
    actions.record_leave(sam, dt.date(2026, 12, 14), dt.date(2026, 12, 24), acting_lead=people["platform-2"],
                         now=ANCHOR_NOW)  # fmt: skip
    for key in ("mira", "tomasz", "ayo", "lin", "ravi", "kim"):
        manager = people[key]
        for report in manager.reports.order_by("name"):
            rel = actions.create_relationship(manager, report, started_on=OTHERS_START, weekday=rng.randrange(5),
                                              at=dt.time(10 + rng.randrange(6), 0), tz=manager.timezone,
                                              now=ANCHOR_NOW)  # fmt: skip
            rel.occurrences.filter(start__lt=ANCHOR_NOW).update(status=engine.HELD)


def _accounts(people) -> None:
    """Dana (Sam's manager, the skip-level for Sam's reports) gets a login to show what a skip-level sees."""
    dana = people["dana"]
    if dana.user_id is None:
        dana.user = get_user_model().objects.create_user(username=dana.email, email=dana.email,
                                                         password=DEMO_PASSWORD)  # fmt: skip
        dana.save(update_fields=["user"])


def _history(rel, sam, report, key, rng) -> None:
    past = list(rel.occurrences.filter(start__lt=ANCHOR_NOW, status=engine.PLANNED).order_by("start"))
    unseen_weeks = UNSEEN.get(key)
    cutoff = ANCHOR_NOW - dt.timedelta(weeks=unseen_weeks) if unseen_weeks else None
    for occ in past:
        if cutoff and occ.start >= cutoff:
            # After their last 1:1: Sam cancelled twice, the rest nobody recorded.
            late = [o for o in past if o.start >= cutoff]
            occ.status = engine.CANCELLED if late.index(occ) < 2 else engine.PLANNED
            occ.cancelled_by = sam if occ.status == engine.CANCELLED else None
        elif rng.random() < 0.08:
            occ.status, occ.cancelled_by = engine.CANCELLED, (sam if rng.random() < 0.6 else report)
        else:
            occ.status = engine.HELD
        occ.save(update_fields=["status", "cancelled_by"])
    held = [o for o in past if o.status == engine.HELD]
    # Tagged discussions: motivation comes up often, the others rarely — so several go stale.
    for question, every in (("motivation", 5), ("grow", 9), ("align", 14), ("vision", 17)):
        for occ in held[rng.randrange(every) :: every]:
            Discussion.objects.create(
                relationship=rel, question=question, on=occ.start.date(), marked_by=report
            )
    # Agenda items on held 1:1s (done), mostly added by the report.
    for occ in held[-6:]:
        text, question = TOPICS[rng.randrange(len(TOPICS))]
        author = report if rng.random() < 0.7 else sam
        AgendaItem.objects.create(relationship=rel, occurrence=occ, author=author, text=text, question=question,
                                  done=True, discussed_on=occ.start.date(),
                                  added_at=occ.start - dt.timedelta(days=2))  # fmt: skip
    last = held[-1] if held else None
    if last:
        ActionItem.objects.create(relationship=rel, occurrence=last, owner=report, created_by=sam,
                                  text="Write up the options for the cache migration", due=last.start.date()
                                  + dt.timedelta(days=14), created_at=last.start)  # fmt: skip
        ActionItem.objects.create(relationship=rel, occurrence=last, owner=sam, created_by=sam,
                                  text="Find a budget line for the training course", due=last.start.date()
                                  + dt.timedelta(days=7), created_at=last.start,
                                  done_on=last.start.date() + dt.timedelta(days=3) if rng.random() < 0.6 else None)  # fmt: skip
    # One open point for the next 1:1, added last week, and a shared note from the last 1:1.
    AgendaItem.objects.create(relationship=rel, author=report, text="Feedback on my design doc", question="grow",
                              added_at=ANCHOR_NOW - dt.timedelta(days=3))  # fmt: skip
    if last:
        Note.objects.create(relationship=rel, occurrence=last, author=sam, scope=Note.SHARED,
                            text="Agreed to revisit the on-call load after the migration.",
                            created_at=last.start + dt.timedelta(minutes=30))  # fmt: skip
    for week in range(6):
        if rng.random() < 0.5:
            day = ANCHOR - dt.timedelta(weeks=week + 1)
            CheckIn.objects.get_or_create(relationship=rel, on=day, defaults={"mood": rng.randint(2, 5)})
    actions.carry_items(rel, ANCHOR_NOW)


def _jae(people, sam) -> None:
    """Jae (platform-1, the demo engineer) has a private note by Sam, a note shared with the skip-level,
    and a growth plan with a target and a trial of a new role."""
    jae = people["platform-1"]
    rel = sam.growth_led.get(report=jae)
    Note.objects.create(relationship=rel, author=sam, scope=Note.PRIVATE, text=PRIVATE_NOTE,
                        created_at=ANCHOR_NOW - dt.timedelta(days=7))  # fmt: skip
    Note.objects.create(relationship=rel, author=jae, scope=Note.SKIP,
                        text="I would like Dana to know I am interested in the staff engineer track.",
                        created_at=ANCHOR_NOW - dt.timedelta(days=7))  # fmt: skip
    actions.add_plan_entry(
        jae, jae, "Staff engineer on the platform track within 18 months", "target", "grow", now=ANCHOR_NOW
    )
    actions.add_plan_entry(jae, sam, "Trial as acting lead during Sam's leave", "role_trial", "align",
                           starts_on=dt.date(2026, 12, 14), ends_on=dt.date(2027, 1, 15), now=ANCHOR_NOW)  # fmt: skip


def _mentoring(mentor, mentee) -> None:
    """A new mentoring relationship, five weeks old, whose first 1:1 was the life-story conversation."""
    from pathcraft.growth.questions import question_bank

    rel = actions.create_relationship(mentor, mentee, started_on=ANCHOR - dt.timedelta(days=35),
                                      kind="mentor", weekday=2, at=dt.time(15, 0), tz=mentor.timezone,
                                      now=ANCHOR_NOW)  # fmt: skip
    past = list(rel.occurrences.filter(start__lt=ANCHOR_NOW, status=engine.PLANNED).order_by("start"))
    life_story = next(p for p in question_bank() if p.id == "career-life-story")
    item = actions.use_prompt(rel, life_story.id, life_story.question, life_story.text, mentor,
                              now=past[0].start - dt.timedelta(days=1))  # fmt: skip
    actions.complete_agenda_item(item, mentor, on=past[0].start.date())
    for occ in past:
        actions.hold_occurrence(occ, now=ANCHOR_NOW)


def _registers(sam, reports, people, rng) -> None:
    star = people[SPOTLIGHT_STAR]
    kinds = ["internal_demo", "release_credit", "blog_post", "customer_demo", "external_talk"]
    for n in range(30):
        on = ANCHOR - dt.timedelta(days=3 + n * 5)
        lead = star if n % 2 == 0 else reports[rng.randrange(1, 9)]
        contributions = [(lead, "presented")]
        if n % 5 == 0:
            helper = reports[rng.randrange(1, 9)]
            if helper != lead:
                contributions.append((helper, "prepared the demo data"))
        actions.add_spotlight(sam, kinds[n % len(kinds)], f"Platform update {n + 1}", on, contributions)
    lp_kinds = ["note_taking", "scheduling", "interview_loop", "onboarding_buddy", "incident_paperwork"]
    asked = [people["platform-6"], people["platform-8"]]
    for n in range(28):
        person = asked[n % 2] if n % 4 else reports[rng.randrange(13)]
        how = "asked" if n % 4 else "rotation"
        actions.add_low_promotability_task(sam, lp_kinds[n % 5], ANCHOR - dt.timedelta(days=2 + n * 6), person, how,
                                           [1, 1.5, 2, 3][n % 4])  # fmt: skip


def _delegation(sam, people) -> None:
    p = people
    actions.set_duty(sam, "Approve production access", sam, None, 1, True, contact="security on-call")
    actions.set_duty(sam, "On-call rota", sam, p["platform-2"], 5, True)
    actions.set_duty(sam, "Hiring loop scheduling", sam, p["platform-7"], 3, False)
    actions.set_duty(sam, "Sprint planning", p["platform-3"], p["platform-10"], 6, True)
    actions.set_duty(sam, "Release sign-off", p["platform-2"], p["platform-4"], 7, True)
    actions.set_duty(sam, "Budget questions", sam, None, 1, False, kind="decision", contact="finance partner")
