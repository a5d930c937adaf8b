"""One function per state change of the growth app. Permission checks happen in the callers (views, API,
CLI) through `access.py`; the rules about *who may do what* inside a 1:1 (only the report picks the
skip scope, only the report records mood or consents to a manager change) are enforced here too."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import transaction
from django.utils import timezone

from pathcraft.errors import InputError, PathcraftError
from pathcraft.growth import agenda as agenda_engine
from pathcraft.growth import cadence as engine
from pathcraft.growth.defaults import QUESTION_KEYS, question_data
from pathcraft.growth.models import (
    ActionItem,
    AgendaItem,
    CheckIn,
    Discussion,
    Duty,
    GrowthPlanEntry,
    Leave,
    LowPromotabilityTask,
    ManagerChange,
    Note,
    Occurrence,
    PromptEvent,
    Relationship,
    SpotlightContribution,
    SpotlightEvent,
    UserPrompt,
)
from pathcraft.people.models import Person

PLAN_AHEAD_WEEKS = 8  # planned occurrences kept ahead of today, so items always have a next 1:1


def _question(value: str | None) -> str:
    value = (value or "").strip()
    if value and value not in QUESTION_KEYS:
        raise InputError(f"unknown question {value!r}; expected one of {', '.join(QUESTION_KEYS)}")
    return value


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InputError(f"{what} needs some text")
    if len(value) > 5000:
        raise InputError(f"{what} is too long ({len(value)} characters; at most 5000)")
    return value


# --- relationships and occurrences -------------------------------------------------------------


def create_relationship(
    manager: Person, report: Person, *, started_on: dt.date, kind: str = Relationship.MANAGER,
    cadence: str = "weekly", cadence_weeks: int = 1, length_minutes: int = 30, weekday: int = 0,
    at: dt.time = dt.time(10, 0), tz: str | None = None, now: dt.datetime | None = None,
) -> Relationship:  # fmt: skip
    if manager.organisation_id != report.organisation_id:
        raise InputError("a 1:1 needs two people of the same organisation")
    if kind == Relationship.MANAGER and report.manager_id != manager.pk:
        raise InputError(f"{manager.name} is not {report.name}'s direct manager; use a mentor relationship")
    rel = Relationship(
        manager=manager, report=report, kind=kind, cadence=cadence, cadence_weeks=cadence_weeks,
        length_minutes=length_minutes, weekday=weekday, at=at, timezone=tz or manager.timezone,
        started_on=started_on, created_at=now or timezone.now(),
    )  # fmt: skip
    rel.to_engine()  # the engine's checks give one clear sentence for a bad cadence, slot or zone
    rel.save()
    plan_ahead(rel, now=now)
    return rel


def _leaves(rel: Relationship) -> list[engine.Leave]:
    return [
        leave.to_engine()
        for leave in Leave.objects.filter(person_id__in=(rel.manager_id, rel.report_id)).select_related(
            "person"
        )
    ]


def plan_ahead(rel: Relationship, now: dt.datetime | None = None, weeks: int = PLAN_AHEAD_WEEKS) -> int:
    """Create the planned occurrences of the cadence up to `weeks` ahead; leave days are skipped."""
    now = now or timezone.now()
    until = now.astimezone(engine.zone(rel.timezone)).date() + dt.timedelta(weeks=weeks)
    if rel.ended_on:
        until = min(until, rel.ended_on)
    if until < rel.started_on:
        return 0
    existing = set(rel.occurrences.values_list("start", flat=True))
    existing |= {m for m in rel.occurrences.exclude(moved_from=None).values_list("moved_from", flat=True)}
    planned = engine.plan_occurrences(rel.to_engine(), rel.started_on, until, _leaves(rel))
    new = [
        Occurrence(relationship=rel, start=o.start, length_minutes=o.length_minutes, status=o.status)
        for o in planned
        if o.start not in existing
    ]
    Occurrence.objects.bulk_create(new)
    return len(new)


def engine_occurrences(rel: Relationship) -> list[engine.Occurrence]:
    return [o.to_engine() for o in rel.occurrences.select_related("cancelled_by", "relationship")]


def carry_items(rel: Relationship, now: dt.datetime | None = None) -> None:
    """Open agenda and action items move to the next open 1:1 when theirs closed (engine `carry_over`).

    A past slot nobody recorded (still "planned" after its end) is closed for carrying: its items would
    otherwise wait on a meeting in the past. Items without a 1:1 attach to the next open one.
    """
    now = now or timezone.now()
    rows = list(rel.occurrences.select_related("cancelled_by", "relationship"))
    by_start = {o.start: o for o in rows}
    occs = []
    for row in rows:
        occ = row.to_engine()
        if occ.status == engine.PLANNED and row.start + dt.timedelta(minutes=row.length_minutes) <= now:
            occ = dataclasses.replace(occ, status=engine.SKIPPED_FOR_LEAVE)
        occs.append(occ)
    next_open = agenda_engine.next_open_occurrence(occs, now)
    for model in (AgendaItem, ActionItem):
        items = list(model.objects.filter(relationship=rel).select_related("occurrence"))
        plain = [_item_to_engine(i) for i in items]
        carried = agenda_engine.carry_over(plain, occs)
        for row, before, after in zip(items, plain, carried, strict=True):
            target = after.occurrence
            if target is None and not after.done and row.occurrence_id is None and next_open:
                target = next_open.start  # new, or waiting for a series that had no open 1:1
            new_id = by_start[target].pk if target is not None else None
            if new_id != row.occurrence_id or after.carried != before.carried:
                row.occurrence_id, row.carried = new_id, after.carried
                row.save(update_fields=["occurrence", "carried"])


def _item_to_engine(item):
    start = item.occurrence.start if item.occurrence_id else None
    if isinstance(item, AgendaItem):
        return agenda_engine.AgendaItem(
            str(item.pk), item.text or "-", str(item.author_id), item.added_at, start, item.done, item.carried
        )
    return agenda_engine.ActionItem(
        str(item.pk), item.text or "-", str(item.owner_id), item.due, item.created_at, start,
        item.done_on, item.carried,
    )  # fmt: skip


def settle(rel: Relationship, now: dt.datetime | None = None) -> None:
    """Keep the series planned ahead and every open item on an open 1:1 (called before showing a 1:1)."""
    now = now or timezone.now()
    if rel.is_active:
        plan_ahead(rel, now)
    carry_items(rel, now)


def next_occurrence(rel: Relationship, now: dt.datetime | None = None) -> Occurrence | None:
    now = now or timezone.now()
    return (
        rel.occurrences.filter(
            status=engine.PLANNED, start__gte=now - dt.timedelta(minutes=rel.length_minutes)
        )
        .order_by("start")
        .first()
    )


def _occurrence_changed(occ: Occurrence, now: dt.datetime | None) -> None:
    carry_items(occ.relationship, now)


def hold_occurrence(occ: Occurrence, now: dt.datetime | None = None) -> Occurrence:
    if occ.status not in (engine.PLANNED, engine.CANCELLED):
        raise InputError(f"the 1:1 at {occ.start:%Y-%m-%d %H:%M} is {occ.status}; it cannot be marked held")
    occ.status, occ.cancelled_by = engine.HELD, None
    occ.save(update_fields=["status", "cancelled_by"])
    _occurrence_changed(occ, now)
    return occ


def cancel_occurrence(occ: Occurrence, by: Person, now: dt.datetime | None = None) -> Occurrence:
    if occ.status != engine.PLANNED:
        raise InputError(
            f"the 1:1 at {occ.start:%Y-%m-%d %H:%M} is {occ.status}; only a planned one can be cancelled"
        )
    occ.status, occ.cancelled_by = engine.CANCELLED, by
    occ.save(update_fields=["status", "cancelled_by"])
    _occurrence_changed(occ, now)
    return occ


def move_occurrence(occ: Occurrence, new_start: dt.datetime, now: dt.datetime | None = None) -> Occurrence:
    """Mark the slot moved and add a planned replacement at the new time (engine `move_occurrence`)."""
    if timezone.is_naive(new_start):
        new_start = new_start.replace(tzinfo=engine.zone(occ.relationship.timezone))
    rel = occ.relationship
    # The engine validates the move (planned slot, free new time); the rows below record it.
    engine.move_occurrence(engine_occurrences(rel), occ.to_engine().start, new_start)
    with transaction.atomic():
        occ.status, occ.moved_to = engine.MOVED, new_start
        occ.save(update_fields=["status", "moved_to"])
        replacement = Occurrence.objects.create(
            relationship=rel, start=new_start, length_minutes=occ.length_minutes, moved_from=occ.start,
            source="moved",
        )  # fmt: skip
    _occurrence_changed(occ, now)
    return replacement


def record_leave(person: Person, first_day: dt.date, last_day: dt.date, acting_lead: Person | None = None,
                 now: dt.datetime | None = None) -> Leave:  # fmt: skip
    engine.Leave(person.email, first_day, last_day)  # validates the dates
    leave = Leave.objects.create(
        person=person, first_day=first_day, last_day=last_day, acting_lead=acting_lead
    )
    rels = Relationship.objects.filter(manager=person) | Relationship.objects.filter(report=person)
    for rel in rels.select_related("manager", "report"):
        zone = engine.zone(rel.timezone)
        for occ in rel.occurrences.filter(status=engine.PLANNED):
            if leave.first_day <= occ.start.astimezone(zone).date() <= leave.last_day:
                occ.status = engine.SKIPPED_FOR_LEAVE
                occ.save(update_fields=["status"])
        carry_items(rel, now)
    return leave


def import_from_calendar(rel: Relationship, data: bytes, now: dt.datetime | None = None) -> int:
    """Occurrences of this 1:1 from one person's .ics export (both emails among organiser/attendees).

    Reuses the workload capability's calendar engine (recurrences expanded, declined ones skipped). Past
    meetings become held, future ones planned; slots already known are left as they are.
    """
    from pathcraft.workload.calendar_parse import parse_calendar

    now = now or timezone.now()
    emails = {rel.manager.email.lower(), rel.report.email.lower()}
    parsed = parse_calendar(data, tz=rel.timezone, me={rel.report.email}, start=rel.started_on,
                            end=now.date() + dt.timedelta(weeks=PLAN_AHEAD_WEEKS))  # fmt: skip
    known = set(rel.occurrences.values_list("start", flat=True))
    made = 0
    for occ in parsed.occurrences:
        if occ.all_day or not emails <= occ.participant_emails or occ.declined or occ.start in known:
            continue
        minutes = max(5, min(240, int((occ.end - occ.start).total_seconds() // 60)))
        status = engine.CANCELLED if occ.cancelled else engine.HELD if occ.end <= now else engine.PLANNED
        if status == engine.CANCELLED:
            continue  # who cancelled is not in the file; a cancelled slot simply did not happen
        Occurrence.objects.create(relationship=rel, start=occ.start, length_minutes=minutes, status=status,
                                  source="calendar")  # fmt: skip
        known.add(occ.start)
        made += 1
    carry_items(rel, now)
    return made


# --- agenda, action items, notes, questions ----------------------------------------------------


def add_agenda_item(rel: Relationship, author: Person | None, text: str, question: str = "",
                    prompt_id: str = "", now: dt.datetime | None = None) -> AgendaItem:  # fmt: skip
    now = now or timezone.now()
    settle(rel, now)
    nxt = next_occurrence(rel, now)
    return AgendaItem.objects.create(
        relationship=rel, occurrence=nxt, author=author, text=_text(text, "an agenda item"),
        question=_question(question), prompt_id=prompt_id, added_at=now,
    )  # fmt: skip


def complete_agenda_item(item: AgendaItem, by: Person, on: dt.date | None = None) -> AgendaItem:
    """Done: and when it was tagged with a question, that question counts as discussed today."""
    on = on or timezone.localdate()
    item.done, item.discussed_on = True, on
    item.save(update_fields=["done", "discussed_on"])
    if item.question:
        mark_discussed(item.relationship, item.question, by, on)
    return item


def add_action_item(rel: Relationship, created_by: Person | None, owner: Person, text: str, due: dt.date,
                    now: dt.datetime | None = None) -> ActionItem:  # fmt: skip
    if owner.pk not in (rel.manager_id, rel.report_id):
        raise InputError(f"{owner.name} is not part of this 1:1; an action item belongs to one of the two")
    now = now or timezone.now()
    settle(rel, now)
    return ActionItem.objects.create(
        relationship=rel, occurrence=next_occurrence(rel, now), owner=owner, created_by=created_by,
        text=_text(text, "an action item"), due=due, created_at=now,
    )  # fmt: skip


def complete_action_item(item: ActionItem, on: dt.date | None = None) -> ActionItem:
    item.done_on = on or timezone.localdate()
    item.save(update_fields=["done_on"])
    return item


def add_note(rel: Relationship, author: Person, text: str, scope: str = Note.SHARED, question: str = "",
             now: dt.datetime | None = None) -> Note:  # fmt: skip
    if author.pk not in (rel.manager_id, rel.report_id):
        raise PathcraftError("only the two people of a 1:1 write its notes")
    if scope not in (Note.SHARED, Note.PRIVATE, Note.SKIP):
        raise InputError(f"unknown note scope {scope!r}; expected shared, private or skip")
    if scope == Note.SKIP and author.pk != rel.report_id:
        raise PathcraftError("only the report may share a note with their manager's manager")
    now = now or timezone.now()
    question = _question(question)
    note = Note.objects.create(
        relationship=rel, occurrence=next_occurrence(rel, now), author=author, scope=scope, question=question,
        text=_text(text, "a note"), created_at=now,
    )  # fmt: skip
    if question and scope != Note.PRIVATE:  # a private note is not a conversation the two of them had
        mark_discussed(rel, question, author, now.date(), kind="note")
    return note


def mark_discussed(rel: Relationship, question: str, by: Person | None, on: dt.date | None = None,
                   kind: str = "agenda_item") -> Discussion:  # fmt: skip
    if question not in QUESTION_KEYS:
        raise InputError(f"unknown question {question!r}; expected one of {', '.join(QUESTION_KEYS)}")
    return Discussion.objects.create(
        relationship=rel, question=question, on=on or timezone.localdate(), kind=kind, marked_by=by
    )


def record_prompt(rel: Relationship, prompt_id: str, question: str, action: str, by: Person | None,
                  on: dt.date | None = None, occurrence: Occurrence | None = None) -> PromptEvent:  # fmt: skip
    return PromptEvent.objects.create(relationship=rel, prompt_id=prompt_id, question=_question(question) or question,
                                      action=action, by=by, on=on or timezone.localdate(),
                                      occurrence=occurrence)  # fmt: skip


def dismiss_prompt(rel: Relationship, prompt_id: str, question: str, by: Person) -> PromptEvent:
    """Recorded so it is not offered again soon; the question's clock is NOT reset."""
    return record_prompt(rel, prompt_id, question, "dismissed", by)


def use_prompt(rel: Relationship, prompt_id: str, question: str, text: str, by: Person,
               now: dt.datetime | None = None) -> AgendaItem:  # fmt: skip
    """The suggestion goes on the agenda (tagged); the clock resets when it is marked discussed."""
    record_prompt(rel, prompt_id, question, "used", by)
    return add_agenda_item(rel, by, text, question, prompt_id=prompt_id, now=now)


def add_user_prompt(author: Person, question: str, text: str) -> UserPrompt:
    if not _question(question):
        raise InputError("a prompt needs one of the four questions")
    return UserPrompt.objects.create(organisation_id=author.organisation_id, author=author,
                                     question=question, text=_text(text, "a prompt"))  # fmt: skip


def add_check_in(rel: Relationship, by: Person, mood: int, on: dt.date | None = None) -> CheckIn:
    if by.pk != rel.report_id or rel.kind != Relationship.MANAGER:
        raise PathcraftError("only the report records a mood check-in in a 1:1 with their manager")
    if not isinstance(mood, int) or not 1 <= mood <= 5:
        raise InputError(f"mood must be a whole number from 1 to 5, got {mood!r}")
    check, _ = CheckIn.objects.update_or_create(relationship=rel, on=on or timezone.localdate(),
                                                defaults={"mood": mood})  # fmt: skip
    return check


def career_conversations_done(rel: Relationship) -> list[str]:
    """A career conversation is done when its bank prompt was on the agenda and marked done."""
    done_prompts = set(
        rel.agenda_items.filter(done=True).exclude(prompt_id="").values_list("prompt_id", flat=True)
    )
    keys = []
    for conversation in question_data().career_conversations:
        if "career-" + conversation.key.removeprefix("career_").replace("_", "-") in done_prompts:
            keys.append(conversation.key)
    return keys


# --- growth plan, registers, delegation --------------------------------------------------------


def add_plan_entry(person: Person, author: Person, text: str, kind: str = GrowthPlanEntry.GOAL,
                   question: str = "", starts_on: dt.date | None = None,
                   ends_on: dt.date | None = None, now: dt.datetime | None = None) -> GrowthPlanEntry:  # fmt: skip
    if kind not in dict(GrowthPlanEntry.KINDS):
        raise InputError(f"unknown growth-plan entry kind {kind!r}")
    if starts_on and ends_on and ends_on < starts_on:
        raise InputError("a trial ends before it starts")
    entry = GrowthPlanEntry.objects.create(person=person, author=author, kind=kind, question=_question(question),
                                           text=_text(text, "a growth-plan entry"), starts_on=starts_on,
                                           ends_on=ends_on, created_at=now or timezone.now())  # fmt: skip
    if entry.question:
        rel = Relationship.objects.filter(report=person, kind=Relationship.MANAGER, ended_on=None).first()
        if rel:
            mark_discussed(rel, entry.question, author, entry.created_at.date(), kind="growth_plan")
    return entry


def add_spotlight(manager: Person, kind: str, title: str, on: dt.date,
                  contributions: list[tuple[Person, str]]) -> SpotlightEvent:  # fmt: skip
    from pathcraft.growth.fairness import SPOTLIGHT_KINDS

    if kind not in SPOTLIGHT_KINDS:
        raise InputError(f"unknown spotlight kind {kind!r}; expected one of {', '.join(SPOTLIGHT_KINDS)}")
    if not contributions:
        raise InputError("a spotlight needs at least one contributor")
    event = SpotlightEvent.objects.create(
        manager=manager, kind=kind, title=_text(title, "a spotlight"), on=on
    )
    SpotlightContribution.objects.bulk_create(
        [SpotlightContribution(event=event, person=p, what=what) for p, what in contributions]
    )
    return event


def add_low_promotability_task(manager: Person, kind: str, on: dt.date, person: Person, how: str,
                               hours: float) -> LowPromotabilityTask:  # fmt: skip
    from pathcraft.growth.fairness import LowPromotabilityTask as Plain

    Plain(kind, on, person.email, how, float(hours))  # the engine's checks
    return LowPromotabilityTask.objects.create(manager=manager, kind=kind, on=on, person=person, how=how,
                                               hours=hours)  # fmt: skip


def set_duty(manager: Person, name: str, owner: Person, deputy: Person | None = None, level: int = 1,
             critical: bool = False, kind: str = "duty", contact: str = "") -> Duty:  # fmt: skip
    from pathcraft.growth.delegation import Duty as Plain

    Plain(name, owner.email, deputy.email if deputy else None, level, critical, kind)  # the engine's checks
    duty, _ = Duty.objects.update_or_create(
        manager=manager, name=name.strip(),
        defaults={"owner": owner, "deputy": deputy, "level": level, "critical": critical, "kind": kind,
                  "contact": contact},
    )  # fmt: skip
    return duty


# --- manager change and consent ----------------------------------------------------------------


@transaction.atomic
def change_manager(report: Person, new_manager: Person, on: dt.date | None = None,
                   now: dt.datetime | None = None) -> ManagerChange:  # fmt: skip
    """The report moves to `new_manager`: the old 1:1 ends, the old manager's open action items are
    flagged, a new 1:1 starts, and the shared history waits for the report's consent."""
    on = on or timezone.localdate()
    if new_manager.pk == report.pk or new_manager.organisation_id != report.organisation_id:
        raise InputError("the new manager must be someone else in the same organisation")
    old_manager = report.manager
    if old_manager and old_manager.pk == new_manager.pk:
        raise InputError(f"{new_manager.name} already manages {report.name}")
    old = Relationship.objects.filter(report=report, kind=Relationship.MANAGER, ended_on=None).first()
    if old:
        old.ended_on = on - dt.timedelta(days=1) if on > old.started_on else on
        old.save(update_fields=["ended_on"])
        old.occurrences.filter(status=engine.PLANNED, start__date__gte=on).delete()
        ActionItem.objects.filter(relationship=old, owner_id=old.manager_id, done_on=None).update(
            flagged_manager_change=True
        )
    report.manager = new_manager
    report.save(update_fields=["manager"])
    change = ManagerChange.objects.create(report=report, old_manager=old_manager, new_manager=new_manager,
                                          old_relationship=old, changed_on=on)  # fmt: skip
    if old:
        create_relationship(new_manager, report, started_on=on, cadence=old.cadence,
                            cadence_weeks=old.cadence_weeks, length_minutes=old.length_minutes,
                            weekday=old.weekday, at=old.at, tz=new_manager.timezone, now=now)  # fmt: skip
    return change


def answer_history_consent(change: ManagerChange, by: Person, agree: bool) -> ManagerChange:
    if by.pk != change.report_id:
        raise PathcraftError("only the report decides whether their new manager sees their 1:1 history")
    if agree:
        change.consented_at, change.declined_at = timezone.now(), None
    else:
        change.declined_at, change.consented_at = timezone.now(), None
    change.save(update_fields=["consented_at", "declined_at"])
    return change
