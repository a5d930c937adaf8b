"""One function per state change of the growth app. Permission checks happen in the callers (views, API,
CLI) through `access.py`; the rules about *who may do what* inside a 1:1 (only the report picks the
skip scope, only the report records mood or consents to a manager change) are enforced here too."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from pathcraft.errors import InputError, PathcraftError
from pathcraft.growth import agenda as agenda_engine
from pathcraft.growth import cadence as engine
from pathcraft.growth.defaults import QUESTION_KEYS, question_data
from pathcraft.growth.fairness import SPOTLIGHT_KINDS, NextPerson, next_in_rotation
from pathcraft.growth.fairness import LowPromotabilityTask as PlainTask
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
# Input sanity limits (not figures users read): a date a year ahead or a leave longer than a year is a typo.
MAX_DAYS_AHEAD = 366
MAX_LEAVE_DAYS = 366
MAX_TASK_HOURS = 1000


def _question(value: str | None) -> str:
    value = (value or "").strip()
    if value and value not in QUESTION_KEYS:
        raise InputError(f"unknown question {value!r}; expected one of {', '.join(QUESTION_KEYS)}")
    return value


def _text(value: str, what: str, limit: int = 5000) -> str:
    value = (value or "").strip()
    if not value:
        raise InputError(f"{what} needs some text")
    if len(value) > limit:
        raise InputError(f"{what} is too long ({len(value)} characters; at most {limit})")
    return value


def _date(value, what: str) -> dt.date:
    """A real date, not absurdly far ahead (a typo in the year is the usual cause)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InputError(f"{what} must be a date like 2026-12-01")
    if value > timezone.localdate() + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise InputError(f"{what} {value} is more than a year ahead; check the year")
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


def _missing_occurrences(rel: Relationship, rows: list[Occurrence], leaves: list[engine.Leave],
                         now: dt.datetime, weeks: int = PLAN_AHEAD_WEEKS) -> list[Occurrence]:  # fmt: skip
    """Unsaved rows for the slots of the cadence up to `weeks` ahead that are not recorded yet."""
    until = now.astimezone(engine.zone(rel.timezone)).date() + dt.timedelta(weeks=weeks)
    if rel.ended_on:
        until = min(until, rel.ended_on)
    if until < rel.started_on:
        return []
    existing = {o.start for o in rows} | {o.moved_from for o in rows if o.moved_from is not None}
    planned = engine.plan_occurrences(rel.to_engine(), rel.started_on, until, leaves)
    return [
        Occurrence(relationship=rel, start=o.start, length_minutes=o.length_minutes, status=o.status)
        for o in planned
        if o.start not in existing
    ]


def plan_ahead(rel: Relationship, now: dt.datetime | None = None, weeks: int = PLAN_AHEAD_WEEKS) -> int:
    """Create the planned occurrences of the cadence up to `weeks` ahead; leave days are skipped."""
    new = _missing_occurrences(rel, list(rel.occurrences.all()), _leaves(rel), now or timezone.now(), weeks)
    Occurrence.objects.bulk_create(new)
    return len(new)


def engine_occurrences(rel: Relationship) -> list[engine.Occurrence]:
    """The relationship's occurrences as engine data (uses prefetched rows when there are any)."""
    if "occurrences" in getattr(rel, "_prefetched_objects_cache", {}):
        rows = rel.occurrences.all()
    else:
        rows = rel.occurrences.select_related("cancelled_by", "relationship")
    return [o.to_engine() for o in rows]


def _carry(rel: Relationship, rows: list[Occurrence], items: dict, now: dt.datetime) -> list:
    """The agenda and action items of one relationship whose 1:1 or carry count changed (not saved)."""
    by_start = {o.start: o for o in rows}
    starts = {o.pk: o.start for o in rows}
    occs = []
    for row in rows:
        occ = row.to_engine()
        if occ.status == engine.PLANNED and row.start + dt.timedelta(minutes=row.length_minutes) <= now:
            occ = dataclasses.replace(occ, status=engine.SKIPPED_FOR_LEAVE)
        occs.append(occ)
    next_open = agenda_engine.next_open_occurrence(occs, now)
    changed = []
    for model in (AgendaItem, ActionItem):
        rows_of_model = items.get(model, [])
        plain = [_item_to_engine(i, starts) for i in rows_of_model]
        carried = agenda_engine.carry_over(plain, occs)
        for row, before, after in zip(rows_of_model, plain, carried, strict=True):
            target = after.occurrence
            if target is None and not after.done and row.occurrence_id is None and next_open:
                target = next_open.start  # new, or waiting for a series that had no open 1:1
            new_id = by_start[target].pk if target is not None else None
            if new_id != row.occurrence_id or after.carried != before.carried:
                row.occurrence_id, row.carried = new_id, after.carried
                changed.append(row)
    return changed


def carry_items(rel: Relationship, now: dt.datetime | None = None) -> None:
    """Open agenda and action items move to the next open 1:1 when theirs closed (engine `carry_over`).

    A past slot nobody recorded (still "planned" after its end) is closed for carrying: its items would
    otherwise wait on a meeting in the past. Items without a 1:1 attach to the next open one.
    """
    settle_many([rel], now, plan=False)


def _item_to_engine(item, starts: dict[int, dt.datetime]):
    start = starts.get(item.occurrence_id) if item.occurrence_id else None
    if isinstance(item, AgendaItem):
        return agenda_engine.AgendaItem(
            str(item.pk), item.text or "-", str(item.author_id), item.added_at, start, item.done, item.carried
        )
    return agenda_engine.ActionItem(
        str(item.pk), item.text or "-", str(item.owner_id), item.due, item.created_at, start,
        item.done_on, item.carried,
    )  # fmt: skip


def settle_many(rels, now: dt.datetime | None = None, plan: bool = True) -> None:
    """`settle` for several relationships in a fixed number of queries (the dashboard's 13 reports cost
    what one does): plan each active series ahead, then carry every open item to an open 1:1."""
    now = now or timezone.now()
    rels = list(rels)
    if not rels:
        return
    ids = [r.pk for r in rels]
    rows: dict[int, list[Occurrence]] = {r.pk: [] for r in rels}
    for occ in Occurrence.objects.filter(relationship_id__in=ids).select_related("cancelled_by"):
        rows[occ.relationship_id].append(occ)
    by_id = {r.pk: r for r in rels}
    for rel_id, occs in rows.items():
        for occ in occs:
            occ.relationship = by_id[rel_id]  # to_engine reads the zone; no query per row
    if plan:
        leaves: dict[int, list[engine.Leave]] = {}
        people = {r.manager_id for r in rels} | {r.report_id for r in rels}
        for leave in Leave.objects.filter(person_id__in=people).select_related("person"):
            leaves.setdefault(leave.person_id, []).append(leave.to_engine())
        new = []
        for rel in rels:
            if rel.is_active:
                their = leaves.get(rel.manager_id, []) + leaves.get(rel.report_id, [])
                new += _missing_occurrences(rel, rows[rel.pk], their, now)
        if new:
            Occurrence.objects.bulk_create(new)
            for occ in new:
                rows[occ.relationship_id].append(occ)
            for occs in rows.values():
                occs.sort(key=lambda o: o.start)
    items: dict[int, dict] = {r.pk: {AgendaItem: [], ActionItem: []} for r in rels}
    for model in (AgendaItem, ActionItem):
        for item in model.objects.filter(relationship_id__in=ids):
            items[item.relationship_id][model].append(item)
    changed = {AgendaItem: [], ActionItem: []}
    for rel in rels:
        for row in _carry(rel, rows[rel.pk], items[rel.pk], now):
            changed[type(row)].append(row)
    for model, changed_rows in changed.items():
        if changed_rows:
            model.objects.bulk_update(changed_rows, ["occurrence", "carried"])


def settle(rel: Relationship, now: dt.datetime | None = None) -> None:
    """Keep the series planned ahead and every open item on an open 1:1 (called before showing a 1:1)."""
    settle_many([rel], now)


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


def cover_candidates(person: Person) -> QuerySet[Person]:
    """Who can stand in for a person: the people who report to them, their fellow reports (peers under
    the same manager) and their own manager — active people of the same organisation."""
    near = Q(manager=person)
    if person.manager_id:
        near |= Q(pk=person.manager_id) | Q(manager_id=person.manager_id)
    return (
        Person.objects.filter(near, organisation_id=person.organisation_id, is_active=True)
        .exclude(pk=person.pk)
        .order_by("name")
    )


def _check_leave(person: Person, first_day, last_day, acting_lead: Person | None,
                 exclude: Leave | None = None) -> None:  # fmt: skip
    first_day, last_day = _date(first_day, "The first day"), _date(last_day, "The last day")
    engine.Leave(person.email, first_day, last_day)  # one clear sentence when it ends before it starts
    if (last_day - first_day).days + 1 > MAX_LEAVE_DAYS:
        raise InputError(
            f"a leave of {(last_day - first_day).days + 1} days is longer than a year; check the dates"
        )
    overlapping = Leave.objects.filter(person=person, first_day__lte=last_day, last_day__gte=first_day)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    clash = overlapping.first()
    if clash:
        raise InputError(
            f"{person.name} is already away {clash.first_day} – {clash.last_day}; change that leave instead"
        )
    if acting_lead is not None:
        if acting_lead.pk == person.pk:
            raise InputError("the acting lead must be someone other than the person on leave")
        if not person.reports.exists():
            raise InputError(
                f"an acting lead is named for a manager's leave; nobody reports to {person.name}"
            )
        if not cover_candidates(person).filter(pk=acting_lead.pk).exists():
            raise InputError(f"{acting_lead.name} cannot act for {person.name}: choose someone from their team, "
                             "a fellow manager or their manager")  # fmt: skip


def _rels_of(person: Person):
    return (
        Relationship.objects.filter(manager=person) | Relationship.objects.filter(report=person)
    ).select_related("manager", "report")


def _skip_for_leave(person: Person, first_day: dt.date, last_day: dt.date, now: dt.datetime | None) -> None:
    """Planned 1:1s of the person inside the leave are skipped; their items move on."""
    for rel in _rels_of(person):
        zone = engine.zone(rel.timezone)
        for occ in rel.occurrences.filter(status=engine.PLANNED):
            if first_day <= occ.start.astimezone(zone).date() <= last_day:
                occ.status = engine.SKIPPED_FOR_LEAVE
                occ.save(update_fields=["status"])
        carry_items(rel, now)


def _unskip_after_leave(
    person: Person, first_day: dt.date, last_day: dt.date, now: dt.datetime | None
) -> None:
    """The reverse, when a leave is removed or shortened: 1:1s skipped in that range are planned again,
    unless another leave of either person still covers the day."""
    for rel in _rels_of(person):
        zone = engine.zone(rel.timezone)
        others = [leave.to_engine() for leave in Leave.objects.filter(
            person_id__in=(rel.manager_id, rel.report_id)).select_related("person")]  # fmt: skip
        for occ in rel.occurrences.filter(status=engine.SKIPPED_FOR_LEAVE):
            day = occ.start.astimezone(zone).date()
            if first_day <= day <= last_day and not any(leave.covers(day) for leave in others):
                occ.status = engine.PLANNED
                occ.save(update_fields=["status"])
        carry_items(rel, now)


@transaction.atomic
def record_leave(person: Person, first_day: dt.date, last_day: dt.date, acting_lead: Person | None = None,
                 now: dt.datetime | None = None) -> Leave:  # fmt: skip
    _check_leave(person, first_day, last_day, acting_lead)
    leave = Leave.objects.create(
        person=person, first_day=first_day, last_day=last_day, acting_lead=acting_lead
    )
    _skip_for_leave(person, first_day, last_day, now)
    return leave


@transaction.atomic
def update_leave(leave: Leave, first_day: dt.date, last_day: dt.date, acting_lead: Person | None = None,
                 now: dt.datetime | None = None) -> Leave:  # fmt: skip
    person = leave.person
    _check_leave(person, first_day, last_day, acting_lead, exclude=leave)
    old = (leave.first_day, leave.last_day)
    leave.first_day, leave.last_day, leave.acting_lead = first_day, last_day, acting_lead
    leave.save(update_fields=["first_day", "last_day", "acting_lead"])
    _unskip_after_leave(person, *old, now)
    _skip_for_leave(person, first_day, last_day, now)
    return leave


@transaction.atomic
def delete_leave(leave: Leave, now: dt.datetime | None = None) -> None:
    person, first_day, last_day = leave.person, leave.first_day, leave.last_day
    leave.delete()
    _unskip_after_leave(person, first_day, last_day, now)


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
    if "agenda_items" in getattr(rel, "_prefetched_objects_cache", {}):
        done_prompts = {i.prompt_id for i in rel.agenda_items.all() if i.done and i.prompt_id}
    else:
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


def team_members(manager: Person) -> QuerySet[Person]:
    """A manager's team for the registers: the active people who report to them directly."""
    return Person.objects.filter(manager=manager, is_active=True).order_by("name")


def _check_team(manager: Person, people, also_allowed=()) -> None:
    allowed = set(team_members(manager).values_list("pk", flat=True)) | set(also_allowed)
    outside = sorted({p.name for p in people if p.pk not in allowed})
    if outside:
        verb = "is" if len(outside) == 1 else "are"
        raise InputError(f"{', '.join(outside)} {verb} not on {manager.name}'s team")


def _check_contributions(manager: Person, contributions, also_allowed=()) -> list[tuple[Person, str]]:
    if not contributions:
        raise InputError("a spotlight needs at least one contributor")
    seen: set[int] = set()
    cleaned = []
    for person, what in contributions:
        if person.pk in seen:
            raise InputError(f"{person.name} is listed twice; put what they did in one line")
        seen.add(person.pk)
        what = (what or "").strip()
        if len(what) > 300:
            raise InputError(f"{person.name}'s line is too long ({len(what)} characters; at most 300)")
        cleaned.append((person, what))
    _check_team(manager, [p for p, _ in cleaned], also_allowed)
    return cleaned


def _spotlight_kind(kind: str) -> str:
    if kind not in SPOTLIGHT_KINDS:
        raise InputError(f"unknown spotlight kind {kind!r}; expected one of {', '.join(SPOTLIGHT_KINDS)}")
    return kind


def _spotlight_fields(kind: str, title: str, on) -> tuple[str, str, dt.date]:
    """The checked kind, title and date of a spotlight (in that order: the first bad one is the error)."""
    return _spotlight_kind(kind), _text(title, "a spotlight", 300), _date(on, "The date")


def _credit(event: SpotlightEvent, contributions: list[tuple[Person, str]]) -> None:
    SpotlightContribution.objects.bulk_create(
        [SpotlightContribution(event=event, person=p, what=what) for p, what in contributions]
    )


@transaction.atomic
def add_spotlight(manager: Person, kind: str, title: str, on: dt.date,
                  contributions: list[tuple[Person, str]]) -> SpotlightEvent:  # fmt: skip
    """A spotlight in the manager's register; every contributor is on the team, each in their own line."""
    kind, title, on = _spotlight_fields(kind, title, on)
    contributions = _check_contributions(manager, contributions)
    event = SpotlightEvent.objects.create(manager=manager, kind=kind, title=title, on=on)
    _credit(event, contributions)
    return event


@transaction.atomic
def update_spotlight(event: SpotlightEvent, kind: str, title: str, on: dt.date,
                     contributions: list[tuple[Person, str]]) -> SpotlightEvent:  # fmt: skip
    """Change an event and replace its lines. People already credited stay allowed after a reorg."""
    kind, title, on = _spotlight_fields(kind, title, on)
    before = set(event.contributions.values_list("person_id", flat=True))
    contributions = _check_contributions(event.manager, contributions, before)
    event.kind, event.title, event.on = kind, title, on
    event.save(update_fields=["kind", "title", "on"])
    event.contributions.all().delete()
    _credit(event, contributions)
    return event


def delete_spotlight(event: SpotlightEvent) -> None:
    event.delete()


def _task_fields(kind: str, on, person: Person, how: str, hours) -> tuple:
    on = _date(on, "The date")
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InputError(f"hours must be a number, got {hours!r}") from None
    if not Decimal(0) < hours <= MAX_TASK_HOURS:
        raise InputError(f"hours must be more than 0 and at most {MAX_TASK_HOURS}, got {hours}")
    PlainTask(kind, on, person.email, how, float(hours))  # the engine's checks: kind and how
    return kind, on, person, how, hours


@transaction.atomic
def add_low_promotability_task(manager: Person, kind: str, on: dt.date, person: Person, how: str,
                               hours) -> LowPromotabilityTask:  # fmt: skip
    kind, on, person, how, hours = _task_fields(kind, on, person, how, hours)
    _check_team(manager, [person])
    return LowPromotabilityTask.objects.create(manager=manager, kind=kind, on=on, person=person, how=how,
                                               hours=hours)  # fmt: skip


@transaction.atomic
def update_low_promotability_task(task: LowPromotabilityTask, kind: str, on: dt.date, person: Person, how: str,
                                  hours) -> LowPromotabilityTask:  # fmt: skip
    kind, on, person, how, hours = _task_fields(kind, on, person, how, hours)
    _check_team(task.manager, [person], {task.person_id})
    task.kind, task.on, task.person, task.how, task.hours = kind, on, person, how, hours
    task.save(update_fields=["kind", "on", "person", "how", "hours"])
    return task


def delete_low_promotability_task(task: LowPromotabilityTask) -> None:
    task.delete()


def rotation_pick(manager: Person, today: dt.date | None = None) -> tuple[Person, NextPerson]:
    """Who the rotation engine says is next: the fewest low-promotability hours in the window."""
    today = today or timezone.localdate()
    team = list(team_members(manager))
    if not team:
        raise InputError(f"nobody reports to {manager.name}: there is no rotation to pick from")
    tasks = [PlainTask(t.kind, t.on, t.person.email, t.how, float(t.hours))
             for t in LowPromotabilityTask.objects.filter(manager=manager).select_related("person")]  # fmt: skip
    pick = next_in_rotation(tasks, [p.email for p in team], today)
    return next(p for p in team if p.email == pick.person), pick


@transaction.atomic
def assign_by_rotation(manager: Person, kind: str, on: dt.date, hours,
                       today: dt.date | None = None) -> tuple[LowPromotabilityTask, NextPerson]:  # fmt: skip
    """Rotation instead of "who volunteers?": the next task of this kind goes to the engine's pick."""
    person, pick = rotation_pick(manager, today)
    task = add_low_promotability_task(manager, kind, on, person, "rotation", hours)
    return task, pick


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


def _duty_fields(manager: Person, name: str, owner: Person, deputy: Person | None, level, critical, kind: str,
                 contact: str, exclude: Duty | None = None) -> dict:  # fmt: skip
    from pathcraft.growth.delegation import DECISION, DUTY
    from pathcraft.growth.delegation import Duty as Plain

    name = _text(name, "a duty", 200)
    if kind not in (DUTY, DECISION):
        raise InputError(f"unknown kind {kind!r}; expected duty or decision")
    if not isinstance(level, int) or isinstance(level, bool):
        raise InputError(f"delegation level must be 1–7, got {level!r}")
    Plain(
        name, owner.email, deputy.email if deputy else None, level, bool(critical), kind
    )  # the engine's checks
    if owner.pk != manager.pk and not team_members(manager).filter(pk=owner.pk).exists():
        raise InputError(
            f"{owner.name} is not on {manager.name}'s team; the owner is {manager.name} or a report"
        )
    if (
        deputy is not None
        and deputy.pk != manager.pk
        and not cover_candidates(manager).filter(pk=deputy.pk).exists()
    ):
        raise InputError(f"{deputy.name} cannot deputise here: choose {manager.name}, someone on the team, "
                         "a fellow manager or their manager")  # fmt: skip
    contact = (contact or "").strip()
    if len(contact) > 200:
        raise InputError(f"the contact is too long ({len(contact)} characters; at most 200)")
    same = Duty.objects.filter(manager=manager, name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise InputError(f"{name!r} is already on the board; change that one instead")
    return {"name": name, "owner": owner, "deputy": deputy, "level": level, "critical": bool(critical),
            "kind": kind, "contact": contact}  # fmt: skip


def add_duty(manager: Person, name: str, owner: Person, deputy: Person | None = None, level: int = 1,
             critical: bool = False, kind: str = "duty", contact: str = "") -> Duty:  # fmt: skip
    """A new duty or decision on the manager's board; a name already there is refused, not overwritten."""
    fields = _duty_fields(manager, name, owner, deputy, level, critical, kind, contact)
    return Duty.objects.create(manager=manager, **fields)


def update_duty(duty: Duty, name: str, owner: Person, deputy: Person | None = None, level: int = 1,
                critical: bool = False, kind: str = "duty", contact: str = "") -> Duty:  # fmt: skip
    fields = _duty_fields(duty.manager, name, owner, deputy, level, critical, kind, contact, exclude=duty)
    for key, value in fields.items():
        setattr(duty, key, value)
    duty.save(update_fields=list(fields))
    return duty


def delete_duty(duty: Duty) -> None:
    duty.delete()


# --- manager change and consent ----------------------------------------------------------------


@transaction.atomic
def change_manager(report: Person, new_manager: Person, on: dt.date | None = None,
                   now: dt.datetime | None = None) -> ManagerChange:  # fmt: skip
    """The report moves to `new_manager`: the old 1:1 ends, the old manager's open action items are
    flagged, a new 1:1 starts, and the shared history waits for the report's consent."""
    on = on or timezone.localdate()
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InputError("the date of the change must be a date like 2026-12-01")
    if on > timezone.localdate():
        raise InputError("a manager change takes effect when it is recorded; record it on the day, not ahead")
    if new_manager.pk == report.pk or new_manager.organisation_id != report.organisation_id:
        raise InputError("the new manager must be someone else in the same organisation")
    if not new_manager.is_active:
        raise InputError(f"{new_manager.name} is not an active member of the organisation")
    if any(p.pk == report.pk for p in new_manager.manager_chain()):
        raise InputError(
            f"{new_manager.name} reports to {report.name}: that would make a loop in the reporting lines"
        )
    old_manager = report.manager
    if old_manager and old_manager.pk == new_manager.pk:
        raise InputError(f"{new_manager.name} already manages {report.name}")
    old = Relationship.objects.filter(report=report, kind=Relationship.MANAGER, ended_on=None).first()
    if old:
        end_relationship(old, on)
    report.manager = new_manager
    report.save(update_fields=["manager"])
    change = ManagerChange.objects.create(report=report, old_manager=old_manager, new_manager=new_manager,
                                          old_relationship=old, changed_on=on)  # fmt: skip
    if old:
        create_relationship(new_manager, report, started_on=on, cadence=old.cadence,
                            cadence_weeks=old.cadence_weeks, length_minutes=old.length_minutes,
                            weekday=old.weekday, at=old.at, tz=new_manager.timezone, now=now)  # fmt: skip
    return change


def end_relationship(rel: Relationship, on: dt.date) -> Relationship:
    """The 1:1 ends before `on`: its planned occurrences from then on go, and the manager's open action items
    are flagged for whoever takes over. Notes stay, under the same access rules."""
    rel.ended_on = on - dt.timedelta(days=1) if on > rel.started_on else on
    rel.save(update_fields=["ended_on"])
    rel.occurrences.filter(status=engine.PLANNED, start__date__gte=on).delete()
    ActionItem.objects.filter(relationship=rel, owner_id=rel.manager_id, done_on=None).update(
        flagged_manager_change=True
    )
    return rel


@transaction.atomic
def remove_manager(report: Person, on: dt.date | None = None) -> None:
    """The report has no manager any more (the directory cleared it): the manager 1:1 ends as in a change."""
    on = on or timezone.localdate()
    old = Relationship.objects.filter(report=report, kind=Relationship.MANAGER, ended_on=None).first()
    if old:
        end_relationship(old, on)
    report.manager = None
    report.save(update_fields=["manager"])


def answer_history_consent(change: ManagerChange, by: Person, agree: bool) -> ManagerChange:
    if by.pk != change.report_id:
        raise PathcraftError("only the report decides whether their new manager sees their 1:1 history")
    if agree:
        change.consented_at, change.declined_at = timezone.now(), None
    else:
        change.declined_at, change.consented_at = timezone.now(), None
    change.save(update_fields=["consented_at", "declined_at"])
    return change
