"""Growth in the JSON API: the same data and rules as the pages (access.py on top of the permission core)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from pathcraft.api.pagination import paginated
from pathcraft.api.types import MAX_ITEMS, Id, Key, Name, Object, Objects, PathId, Text, ok
from pathcraft.errors import InputError
from pathcraft.growth import access, actions, forms, queries, rights, suggestions
from pathcraft.growth.exports import _relationship, export_for
from pathcraft.growth.models import (
    Duty,
    Leave,
    LowPromotabilityTask,
    Note,
    Occurrence,
    Relationship,
    SpotlightEvent,
)
from pathcraft.growth.rollup import org_rollup
from pathcraft.people.models import Person
from pathcraft.people.permissions import person_of, require_view
from pathcraft.people.policy import Kind

router = Router(tags=["growth"])


# The columns' max_length: a question key (AgendaItem.question, 20), a note's scope (Note.scope, 10), a title or
# a contribution line (SpotlightEvent.title, 300), a register kind (20), how a task was assigned (12).
Question = Annotated[str, Field(max_length=20)]
Scope = Annotated[str, Field(max_length=10)]
Title = Annotated[str, Field(max_length=300)]
Kind20 = Annotated[str, Field(max_length=20)]
How = Annotated[str, Field(max_length=12)]
DateText = Annotated[str, Field(max_length=40)]  # "YYYY-MM-DD", checked by the form as on the page
Hours = Annotated[str, Field(max_length=20)] | Annotated[float, Field(ge=-1e6, le=1e6)]
Level = Annotated[int, Field(ge=0, le=32767)]  # Duty.level, a PositiveSmallIntegerField


class AgendaIn(Schema):
    text: Text
    question: Question = ""


class ActionIn(Schema):
    text: Text
    owner_id: Id
    due: dt.date


class NoteIn(Schema):
    text: Text
    scope: Scope = Note.SHARED
    question: Question = ""


class QuestionIn(Schema):
    question: Question


class OccurrenceIn(Schema):
    do: Scope  # held | cancel | move
    new_start: dt.datetime | None = None


def _viewer(request) -> Person:
    viewer = person_of(request.user)
    if viewer is None:
        raise PermissionDenied(
            "1:1s are for people in the organisation; this account is not linked to a person."
        )
    return viewer


def _summary(rel: Relationship) -> dict:
    return {"id": rel.pk, "kind": rel.kind, "manager": rel.manager.email, "report": rel.report.email,
            "cadence": rel.cadence, "started_on": rel.started_on, "ended_on": rel.ended_on}  # fmt: skip


def _one_on_one(request, rel: Relationship, role: str) -> dict:
    data = queries.one_on_one(request.user, rel, role)
    nxt = data["next"]
    suggestion = data["suggestion"]
    return {
        **_summary(rel), "role": role,
        "next": {"id": nxt.pk, "start": nxt.start.isoformat()} if nxt else None,
        "agenda": [{"id": i.pk, "text": i.text, "author": i.author.email if i.author_id else None,
                    "question": i.question or None, "carried": i.carried} for i in data["agenda"]],
        "action_items": [{"id": a.pk, "text": a.text, "owner": a.owner.email, "due": a.due.isoformat(),
                          "carried": a.carried, "flagged_manager_change": a.flagged_manager_change}
                         for a in data["actions"]],
        "notes": [{"id": n.pk, "author": n.author.email, "scope": n.scope, "text": n.text,
                   "question": n.question or None} for n in data["notes"]],
        "questions": [{"question": q.question, "days_since": q.days_since, "stale": q.stale,
                       "stale_after_days": q.stale_after_days} for q in data["questions"]],
        "suggestion": {"prompt_id": suggestion.prompt.id, "text": suggestion.prompt.text,
                       "source": suggestion.prompt.source, "reason": suggestion.reason} if suggestion else None,
        "check_ins": [{"on": c.on.isoformat(), "mood": c.mood} for c in data["check_ins"]]
        if data["check_ins"] is not None else None,
        **_new_relationship(rel),
    }  # fmt: skip


def _new_relationship(rel: Relationship) -> dict:
    """The suggested career conversation and the first-1:1 check, as the 1:1 page shows them."""
    career, _ = suggestions.career_suggestion(rel)
    first = suggestions.first_check(rel)
    return {
        "career_conversation": {
            "key": career.conversation.key, "label": career.conversation.label, "question": career.question,
            "prompt_id": career.prompt.id, "text": career.prompt.text, "source": career.prompt.source,
            "due": career.conversation.due.isoformat(), "days_left": career.days_left,
        } if career else None,
        "first_one_on_one": {
            "state": first.state.state, "due": first.state.due.isoformat(), "late": first.state.late,
            "planned": first.state.planned.isoformat() if first.state.planned else None,
            "proposed": first.state.proposed.isoformat() if first.state.proposed else None,
        } if first else None,
    }  # fmt: skip


class CareerIn(Schema):
    conversation: Key  # life_story | dreams | action_plan: the key the suggestion carries
    do: Key  # accept | dismiss


class FirstIn(Schema):
    slot: DateText  # the `proposed` time of first_one_on_one, ISO 8601


@router.post("/relationships/{rel_id}/career-conversation", response=ok(Object, 400, 403, 404))
def career_conversation(request, rel_id: PathId, payload: CareerIn):
    """Accept (onto the next agenda) or dismiss (for the next 1:1 only) the suggested career conversation."""
    rel, role = access.get_relationship(request.user, rel_id)
    if role != access.LEAD:
        raise PermissionDenied(
            "Only the manager (or mentor) accepts or dismisses a suggested career conversation."
        )
    viewer = _viewer(request)
    if payload.do == "accept":
        item = suggestions.accept_career_conversation(rel, viewer, payload.conversation)
        return {"accepted": True, "agenda_item": item.pk}
    if payload.do == "dismiss":
        suggestions.dismiss_career_conversation(rel, viewer, payload.conversation)
        return {"accepted": False}
    raise InputError("do must be accept or dismiss")


@router.post("/relationships/{rel_id}/first-one-on-one", response=ok(Object, 400, 403, 404))
def plan_first_one_on_one(request, rel_id: PathId, payload: FirstIn):
    """Plan the first 1:1 at the proposed slot (either side)."""
    rel, _ = access.get_relationship(request.user, rel_id)
    _viewer(request)
    occ = suggestions.plan_first_one_on_one(rel, payload.slot)
    return {"occurrence": occ.pk, "start": occ.start.isoformat()}


@router.get("/relationships", response=ok(Objects))
@paginated
def list_relationships(request):
    return [_summary(r) for r in queries.relationships_for(request.user)]


@router.get("/relationships/{rel_id}", response=ok(Object, 403, 404))
def get_relationship(request, rel_id: PathId):
    rel, role = access.get_relationship(request.user, rel_id, (*access.FULL_ROLES, access.SUCCESSOR))
    return _one_on_one(request, rel, role)


@router.post("/relationships/{rel_id}/agenda", response=ok(Object, 400, 403, 404))
def add_agenda(request, rel_id: PathId, payload: AgendaIn):
    rel, _ = access.get_relationship(request.user, rel_id)
    item = actions.add_agenda_item(rel, _viewer(request), payload.text, payload.question)
    return {"id": item.pk, "occurrence_id": item.occurrence_id}


@router.post("/relationships/{rel_id}/actions", response=ok(Object, 400, 403, 404))
def add_action(request, rel_id: PathId, payload: ActionIn):
    rel, _ = access.get_relationship(request.user, rel_id)
    owner = get_object_or_404(Person, pk=payload.owner_id)
    item = actions.add_action_item(rel, _viewer(request), owner, payload.text, payload.due)
    return {"id": item.pk, "occurrence_id": item.occurrence_id}


@router.post("/relationships/{rel_id}/notes", response=ok(Object, 400, 403, 404))
def add_note(request, rel_id: PathId, payload: NoteIn):
    rel, _ = access.get_relationship(request.user, rel_id)
    note = actions.add_note(rel, _viewer(request), payload.text, payload.scope, payload.question)
    return {"id": note.pk, "scope": note.scope}


@router.post("/relationships/{rel_id}/discussed", response=ok(Object, 400, 403, 404))
def mark_discussed(request, rel_id: PathId, payload: QuestionIn):
    rel, _ = access.get_relationship(request.user, rel_id)
    mark = actions.mark_discussed(rel, payload.question, _viewer(request))
    return {"question": mark.question, "on": mark.on}


@router.post("/relationships/{rel_id}/occurrences/{occ_id}", response=ok(Object, 400, 403, 404))
def change_occurrence(request, rel_id: PathId, occ_id: PathId, payload: OccurrenceIn):
    rel, _ = access.get_relationship(request.user, rel_id)
    occ = get_object_or_404(Occurrence.objects.select_related("relationship"), pk=occ_id, relationship=rel)
    if payload.do == "held":
        actions.hold_occurrence(occ)
    elif payload.do == "cancel":
        actions.cancel_occurrence(occ, _viewer(request))
    elif payload.do == "move" and payload.new_start:
        occ = actions.move_occurrence(occ, payload.new_start)
    else:
        raise PermissionDenied("do must be held, cancel, or move with new_start")
    occ.refresh_from_db()
    return {"id": occ.pk, "status": occ.status, "start": occ.start.isoformat()}


@router.get("/dashboard", response=ok(Object, 403))
def dashboard(request):
    """The signed-in manager's own dashboard (the same JSON as `pathcraft growth status --json`)."""
    from pathcraft.growth.cli import status_data

    viewer = _viewer(request)
    if not viewer.reports.exists():
        raise PermissionDenied("The dashboard is for managers: you have no direct reports.")
    return status_data(viewer)


@router.get("/people/{person_id}/growth", response=ok(Object, 403, 404))
def person_growth(request, person_id: PathId):
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404
    require_view(request.user, person, Kind.GROWTH)
    rel = Relationship.objects.filter(report=person, kind=Relationship.MANAGER, ended_on=None).first()
    data = {"person": person.email, "growth_plan": [
        {"kind": e.kind, "text": e.text, "question": e.question or None, "ends_on": e.ends_on}
        for e in person.growth_plan.all()], "questions": [], "notes_shared_with_you": []}  # fmt: skip
    if rel:
        stale, _ = queries.question_state(rel, timezone.localdate())
        data["questions"] = [
            {"question": q.question, "days_since": q.days_since, "stale": q.stale} for q in stale
        ]
        if access.role_in(request.user, rel) == access.SKIP:
            data["notes_shared_with_you"] = _relationship(request.user, rel, access.SKIP)["notes"]
    return data


@router.get("/export", response=ok(Object, 403))
def export(request):
    """Everything of 1:1s and growth the signed-in person may see."""
    return export_for(_viewer(request))


@router.get("/rollup", response=ok(Object, 403))
def rollup(request):
    """Organisation counts over at least 5 managers; nothing about one manager or one report."""
    return org_rollup(_viewer(request).organisation_id)


# --- registers, delegation board, leave and manager changes -------------------------------------------------
# The JSON goes through the same forms as the pages (one-line 400 errors), after the same rights checks
# (404 for strangers, 403 for others). Dates are "YYYY-MM-DD" strings, so a bad one is a 400 like on the page.


class ContributionIn(Schema):
    person_id: Id | None = None
    what: Title = ""


Contributions = Annotated[list[ContributionIn], Field(max_length=MAX_ITEMS)]


class SpotlightIn(Schema):
    kind: Kind20
    title: Title
    on: DateText
    contributions: Contributions = []


class SpotlightPatch(Schema):
    kind: Kind20 | None = None
    title: Title | None = None
    on: DateText | None = None
    contributions: Contributions | None = None


class TaskIn(Schema):
    kind: Kind20
    person_id: Id
    how: How
    hours: Hours
    on: DateText


class TaskPatch(Schema):
    kind: Kind20 | None = None
    person_id: Id | None = None
    how: How | None = None
    hours: Hours | None = None
    on: DateText | None = None


class RotationIn(Schema):
    kind: Kind20
    hours: Hours
    on: DateText


class DutyIn(Schema):
    name: Name
    kind: Scope = "duty"
    owner_id: Id
    deputy_id: Id | None = None
    level: Level = 1
    critical: bool = False
    contact: Name = ""


class DutyPatch(Schema):
    name: Name | None = None
    kind: Scope | None = None
    owner_id: Id | None = None
    deputy_id: Id | None = None
    level: Level | None = None
    critical: bool | None = None
    contact: Name | None = None


class LeaveIn(Schema):
    person_id: Id
    first_day: DateText
    last_day: DateText
    acting_lead_id: Id | None = None


class LeavePatch(Schema):
    first_day: DateText | None = None
    last_day: DateText | None = None
    acting_lead_id: Id | None = None


class ManagerChangeIn(Schema):
    report_id: Id
    new_manager_id: Id
    on: DateText | None = None


def _valid(*forms_) -> None:
    if not all(f.is_valid() for f in forms_):
        raise InputError(forms.one_line(*forms_))


def _person_or_404(person_id: int) -> Person:
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def _fields(payload, renames: dict[str, str], only_sent: bool = False) -> dict:
    """The payload's fields (PATCH: only those sent) under the form's names, as form data."""
    sent = payload.dict(exclude_unset=only_sent)
    data = {}
    for key, value in sent.items():
        if key == "contributions":
            continue  # the contributor lines go through the formset (forms.contribution_data)
        name = renames.get(key, key)
        if isinstance(value, bool):
            data[name] = "on" if value else ""
        else:
            data[name] = "" if value is None else str(value)
    return data


def _initial_data(form) -> dict:
    """A bound form's starting point for PATCH: the instance's values as form data."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if callable(value):
            value = value()
        if isinstance(value, bool):
            data[name] = "on" if value else ""
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        elif value is not None:
            data[name] = str(value)
    return data


def _spotlight_out(event) -> dict:
    return {"id": event.pk, "manager": event.manager.email, "kind": event.kind, "title": event.title,
            "on": event.on.isoformat(), "contributions": [{"person": c.person.email, "what": c.what}
                                                          for c in event.contributions.select_related("person")]}  # fmt: skip


def _task_out(task) -> dict:
    return {"id": task.pk, "manager": task.manager.email, "kind": task.kind, "person": task.person.email,
            "how": task.how, "hours": float(task.hours), "on": task.on.isoformat()}  # fmt: skip


def _duty_out(duty) -> dict:
    return {"id": duty.pk, "manager": duty.manager.email, "name": duty.name, "kind": duty.kind,
            "owner": duty.owner.email, "deputy": duty.deputy.email if duty.deputy_id else None,
            "level": duty.level, "critical": duty.critical, "contact": duty.contact}  # fmt: skip


def _leave_out(leave) -> dict:
    return {"id": leave.pk, "person": leave.person.email, "first_day": leave.first_day.isoformat(),
            "last_day": leave.last_day.isoformat(),
            "acting_lead": leave.acting_lead.email if leave.acting_lead_id else None}  # fmt: skip


@router.get("/teams/{manager_id}/spotlight", response=ok(Objects, 403, 404))
@paginated
def list_spotlight(request, manager_id: PathId):
    """The manager sees the register; a team member sees the spotlights that credit them."""
    manager = _person_or_404(manager_id)
    role = rights.register_role(request.user, manager)
    events = queries.spotlight_events(manager).select_related("manager")
    if role == rights.MEMBER:
        events = events.filter(contributions__person=_viewer(request)).distinct()
    return [_spotlight_out(e) for e in events]


@router.post("/teams/{manager_id}/spotlight", response=ok(Object, 400, 403, 404, status=201))
def add_spotlight(request, manager_id: PathId, payload: SpotlightIn):
    manager = _person_or_404(manager_id)
    role = rights.register_role(request.user, manager)
    data = {**_fields(payload, {}), **forms.contribution_data([c.dict() for c in payload.contributions])}
    form, lines = forms.spotlight_forms(manager, role, _viewer(request), data)
    _valid(form, lines)
    contributions = lines.contributions()
    rights.check_credit(request.user, role, [p for p, _ in contributions])
    d = form.cleaned_data
    return Status(
        201, _spotlight_out(actions.add_spotlight(manager, d["kind"], d["title"], d["on"], contributions))
    )


def _event(request, event_id: PathId):
    event = SpotlightEvent.objects.select_related("manager").filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event, rights.spotlight_role(request.user, event, change=True)


@router.patch("/spotlight/{event_id}", response=ok(Object, 400, 403, 404))
def change_spotlight(request, event_id: PathId, payload: SpotlightPatch):
    event, role = _event(request, event_id)
    viewer = _viewer(request)
    start, start_lines = forms.spotlight_forms(event.manager, role, viewer, None, event)
    data = {**_initial_data(start), **_fields(payload, {}, only_sent=True)}
    if payload.contributions is not None:
        lines_in = [c.dict() for c in payload.contributions]
    else:
        lines_in = [{"person_id": c.person_id, "what": c.what} for c in event.contributions.all()]
    data.update(forms.contribution_data(lines_in))
    form, lines = forms.spotlight_forms(event.manager, role, viewer, data, event)
    _valid(form, lines)
    contributions = lines.contributions()
    credited = {c.person_id for c in event.contributions.all()}
    rights.check_credit(request.user, role, [p for p, _ in contributions], credited)
    d = form.cleaned_data
    return _spotlight_out(actions.update_spotlight(event, d["kind"], d["title"], d["on"], contributions))


@router.delete("/spotlight/{event_id}", response=ok(None, 403, 404, status=204))
def delete_spotlight(request, event_id: PathId):
    event, _ = _event(request, event_id)
    actions.delete_spotlight(event)
    return Status(204, None)


@router.get("/teams/{manager_id}/low-promotability", response=ok(Objects, 403, 404))
@paginated
def list_tasks(request, manager_id: PathId):
    manager = _person_or_404(manager_id)
    role = rights.register_role(request.user, manager)
    tasks = LowPromotabilityTask.objects.filter(manager=manager).select_related("manager", "person")
    if role == rights.MEMBER:
        tasks = tasks.filter(person=_viewer(request))
    return [_task_out(t) for t in tasks]


@router.post("/teams/{manager_id}/low-promotability", response=ok(Object, 400, 403, 404, status=201))
def add_task(request, manager_id: PathId, payload: TaskIn):
    manager = _person_or_404(manager_id)
    role = rights.register_role(request.user, manager)
    form = forms.task_form(manager, role, _viewer(request), _fields(payload, {"person_id": "person"}))
    _valid(form)
    d = form.cleaned_data
    rights.check_credit(request.user, role, [d["person"]])
    task = actions.add_low_promotability_task(manager, d["kind"], d["on"], d["person"], d["how"], d["hours"])
    return Status(201, _task_out(task))


@router.post("/teams/{manager_id}/low-promotability/rotation", response=ok(Object, 400, 403, 404, status=201))
def assign_by_rotation(request, manager_id: PathId, payload: RotationIn):
    """Rotation instead of "who volunteers?": the engine picks who does the next task of this kind."""
    manager = _person_or_404(manager_id)
    if rights.register_role(request.user, manager) != rights.OWNER:
        raise PermissionDenied(f"Only {manager.name} assigns work by rotation.")
    form = forms.RotationForm(_fields(payload, {}))
    _valid(form)
    d = form.cleaned_data
    task, pick = actions.assign_by_rotation(manager, d["kind"], d["on"], d["hours"])
    return Status(201, {**_task_out(task), "reason": pick.reason})


def _task(request, task_id: PathId):
    task = LowPromotabilityTask.objects.select_related("manager", "person").filter(pk=task_id).first()
    if task is None:
        raise Http404
    return task, rights.task_role(request.user, task)


@router.patch("/low-promotability/{task_id}", response=ok(Object, 400, 403, 404))
def change_task(request, task_id: PathId, payload: TaskPatch):
    task, role = _task(request, task_id)
    viewer = _viewer(request)
    start = forms.task_form(task.manager, role, viewer, None, task)
    form = forms.task_form(task.manager, role, viewer,
                           {**_initial_data(start), **_fields(payload, {"person_id": "person"}, True)}, task)  # fmt: skip
    _valid(form)
    d = form.cleaned_data
    rights.check_credit(request.user, role, [d["person"]], {task.person_id})
    task = actions.update_low_promotability_task(task, d["kind"], d["on"], d["person"], d["how"], d["hours"])
    return _task_out(task)


@router.delete("/low-promotability/{task_id}", response=ok(None, 403, 404, status=204))
def delete_task(request, task_id: PathId):
    task, _ = _task(request, task_id)
    actions.delete_low_promotability_task(task)
    return Status(204, None)


DUTY_NAMES = {"owner_id": "owner", "deputy_id": "deputy"}


@router.get("/duties", response=ok(Objects, 403))
@paginated
def list_duties(request):
    """The signed-in manager's delegation board."""
    viewer = _viewer(request)
    return [
        _duty_out(d) for d in Duty.objects.filter(manager=viewer).select_related("manager", "owner", "deputy")
    ]


@router.post("/duties", response=ok(Object, 400, 403, status=201))
def add_duty(request, payload: DutyIn):
    viewer = _viewer(request)
    form = forms.duty_form(viewer, _fields(payload, DUTY_NAMES))
    _valid(form)
    return Status(201, _duty_out(actions.add_duty(viewer, **form.cleaned_data)))


def _duty(request, duty_id: PathId):
    duty = Duty.objects.select_related("manager", "owner", "deputy").filter(pk=duty_id).first()
    if duty is None:
        raise Http404
    return rights.require_duty(request.user, duty)


@router.patch("/duties/{duty_id}", response=ok(Object, 400, 403, 404))
def change_duty(request, duty_id: PathId, payload: DutyPatch):
    duty = _duty(request, duty_id)
    start = forms.duty_form(duty.manager, None, duty)
    form = forms.duty_form(duty.manager, {**_initial_data(start), **_fields(payload, DUTY_NAMES, True)}, duty)
    _valid(form)
    return _duty_out(actions.update_duty(duty, **form.cleaned_data))


@router.delete("/duties/{duty_id}", response=ok(None, 403, 404, status=204))
def delete_duty(request, duty_id: PathId):
    actions.delete_duty(_duty(request, duty_id))
    return Status(204, None)


LEAVE_NAMES = {"person_id": "person", "acting_lead_id": "acting_lead"}


@router.get("/leaves", response=ok(Objects, 403))
@paginated
def list_leaves(request):
    """Leave coming up of the signed-in person and of the people who report to them."""
    viewer = _viewer(request)
    ids = [viewer.pk, *viewer.reports.values_list("pk", flat=True)]
    return [_leave_out(leave) for leave in queries.upcoming_leaves(ids)]


@router.post("/leaves", response=ok(Object, 400, 403, 404, status=201))
def add_leave(request, payload: LeaveIn):
    person = _person_or_404(payload.person_id)
    rights.require_leave_right(request.user, person)
    form = forms.leave_form(_viewer(request), _fields(payload, LEAVE_NAMES))
    _valid(form)
    d = form.cleaned_data
    return Status(
        201, _leave_out(actions.record_leave(d["person"], d["first_day"], d["last_day"], d["acting_lead"]))
    )


def _leave(request, leave_id: PathId):
    leave = Leave.objects.select_related("person", "acting_lead").filter(pk=leave_id).first()
    if leave is None:
        raise Http404
    return rights.require_leave(request.user, leave)


@router.patch("/leaves/{leave_id}", response=ok(Object, 400, 403, 404))
def change_leave(request, leave_id: PathId, payload: LeavePatch):
    leave = _leave(request, leave_id)
    viewer = _viewer(request)
    start = forms.leave_form(viewer, None, leave)
    form = forms.leave_form(viewer, {**_initial_data(start), **_fields(payload, LEAVE_NAMES, True)}, leave)
    _valid(form)
    d = form.cleaned_data
    return _leave_out(actions.update_leave(leave, d["first_day"], d["last_day"], d["acting_lead"]))


@router.delete("/leaves/{leave_id}", response=ok(None, 403, 404, status=204))
def delete_leave(request, leave_id: PathId):
    actions.delete_leave(_leave(request, leave_id))
    return Status(204, None)


@router.post("/manager-changes", response=ok(Object, 400, 403, 404, status=201))
def change_manager(request, payload: ManagerChangeIn):
    """Move a report to a new manager (administrators, or a manager above both managers). The new manager
    sees the shared 1:1 history only after the report agrees."""
    report = _person_or_404(payload.report_id)
    new_manager = Person.objects.filter(pk=payload.new_manager_id).first()
    rights.require_manager_change_right(request.user, report, new_manager)
    data = _fields(payload, {"report_id": "report", "new_manager_id": "new_manager"})
    if not data.get("on"):
        data["on"] = timezone.localdate().isoformat()
    form = forms.change_form(request.user, data)
    _valid(form)
    d = form.cleaned_data
    change = actions.change_manager(d["report"], d["new_manager"], d["on"])
    return Status(201, {"id": change.pk, "report": change.report.email,
                        "old_manager": change.old_manager.email if change.old_manager_id else None,
                        "new_manager": change.new_manager.email, "changed_on": change.changed_on.isoformat(),
                        "history_shared": False})  # fmt: skip
