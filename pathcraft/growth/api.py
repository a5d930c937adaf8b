"""Growth in the JSON API: the same data and rules as the pages (access.py on top of the permission core)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from pathcraft.growth import access, actions, queries
from pathcraft.growth.exports import _relationship, export_for
from pathcraft.growth.models import Note, Occurrence, Relationship
from pathcraft.growth.rollup import org_rollup
from pathcraft.people.models import Person
from pathcraft.people.permissions import person_of, require_view
from pathcraft.people.policy import Kind

router = Router(tags=["growth"])


class AgendaIn(Schema):
    text: str
    question: str = ""


class ActionIn(Schema):
    text: str
    owner_id: int
    due: dt.date


class NoteIn(Schema):
    text: str
    scope: str = Note.SHARED
    question: str = ""


class QuestionIn(Schema):
    question: str


class OccurrenceIn(Schema):
    do: str  # held | cancel | move
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
    }  # fmt: skip


@router.get("/relationships")
def list_relationships(request):
    return [_summary(r) for r in access.relationships_for(request.user)]


@router.get("/relationships/{rel_id}")
def get_relationship(request, rel_id: int):
    rel, role = access.get_relationship(request.user, rel_id, (*access.FULL_ROLES, access.SUCCESSOR))
    return _one_on_one(request, rel, role)


@router.post("/relationships/{rel_id}/agenda")
def add_agenda(request, rel_id: int, payload: AgendaIn):
    rel, _ = access.get_relationship(request.user, rel_id)
    item = actions.add_agenda_item(rel, _viewer(request), payload.text, payload.question)
    return {"id": item.pk, "occurrence_id": item.occurrence_id}


@router.post("/relationships/{rel_id}/actions")
def add_action(request, rel_id: int, payload: ActionIn):
    rel, _ = access.get_relationship(request.user, rel_id)
    owner = get_object_or_404(Person, pk=payload.owner_id)
    item = actions.add_action_item(rel, _viewer(request), owner, payload.text, payload.due)
    return {"id": item.pk, "occurrence_id": item.occurrence_id}


@router.post("/relationships/{rel_id}/notes")
def add_note(request, rel_id: int, payload: NoteIn):
    rel, _ = access.get_relationship(request.user, rel_id)
    note = actions.add_note(rel, _viewer(request), payload.text, payload.scope, payload.question)
    return {"id": note.pk, "scope": note.scope}


@router.post("/relationships/{rel_id}/discussed")
def mark_discussed(request, rel_id: int, payload: QuestionIn):
    rel, _ = access.get_relationship(request.user, rel_id)
    mark = actions.mark_discussed(rel, payload.question, _viewer(request))
    return {"question": mark.question, "on": mark.on}


@router.post("/relationships/{rel_id}/occurrences/{occ_id}")
def change_occurrence(request, rel_id: int, occ_id: int, payload: OccurrenceIn):
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


@router.get("/dashboard")
def dashboard(request):
    """The signed-in manager's own dashboard (the same JSON as `pathcraft growth status --json`)."""
    from pathcraft.growth.cli import status_data

    viewer = _viewer(request)
    if not viewer.reports.exists():
        raise PermissionDenied("The dashboard is for managers: you have no direct reports.")
    return status_data(viewer)


@router.get("/people/{person_id}/growth")
def person_growth(request, person_id: int):
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


@router.get("/export")
def export(request):
    """Everything of 1:1s and growth the signed-in person may see."""
    return export_for(_viewer(request))


@router.get("/rollup")
def rollup(request):
    """Organisation counts over at least 5 managers; nothing about one manager or one report."""
    return org_rollup(_viewer(request).organisation_id)
