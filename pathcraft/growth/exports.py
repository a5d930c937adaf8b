"""Exports: what one person may see (their own export), and an administrator's logged legal export of one
person's data (data-subject access request). Both go through `access.py` acting as that person, so a
private note appears only in its author's export.
"""

from __future__ import annotations

import datetime as dt

import structlog
from django.db.models import Q
from django.utils import timezone

from pathcraft.errors import PathcraftError
from pathcraft.growth.access import FULL_ROLES, SKIP, SUCCESSOR, can_see_mood, role_in, visible_notes
from pathcraft.growth.models import (
    Duty,
    GrowthPlanEntry,
    Leave,
    LowPromotabilityTask,
    ManagerChange,
    Note,
    Relationship,
    SpotlightContribution,
)
from pathcraft.people.models import Person

log = structlog.get_logger("pathcraft.growth")


class ActingAs:
    """A stand-in user for `person` (never an administrator): exports see exactly what the person sees."""

    is_authenticated = True
    is_superuser = False
    is_staff = False

    def __init__(self, person: Person):
        self.person = person

    def get_username(self) -> str:
        return self.person.email


def _iso(value):
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _note(n: Note) -> dict:
    return {"author": n.author.email, "scope": n.scope, "question": n.question or None, "text": n.text,
            "created_at": _iso(n.created_at)}  # fmt: skip


def _relationship(user, rel: Relationship, role: str) -> dict:
    data = {
        "id": rel.pk, "kind": rel.kind, "manager": rel.manager.email, "report": rel.report.email, "role": role,
        "cadence": rel.cadence, "length_minutes": rel.length_minutes, "started_on": _iso(rel.started_on),
        "ended_on": _iso(rel.ended_on), "notes": [_note(n) for n in visible_notes(user, rel, role)],
    }  # fmt: skip
    if role == SKIP:
        return data  # a skip-level sees only the notes the report shared with them
    data.update({
        "occurrences": [{"start": _iso(o.start), "status": o.status,
                         "cancelled_by": o.cancelled_by.email if o.cancelled_by_id else None}
                        for o in rel.occurrences.select_related("cancelled_by")],
        "agenda_items": [{"text": i.text, "author": i.author.email if i.author_id else None, "question": i.question
                          or None, "carried": i.carried, "done": i.done, "added_at": _iso(i.added_at)}
                         for i in rel.agenda_items.select_related("author")],
        "action_items": [{"text": a.text, "owner": a.owner.email, "due": _iso(a.due), "done_on": _iso(a.done_on),
                          "carried": a.carried, "flagged_manager_change": a.flagged_manager_change}
                         for a in rel.action_items.select_related("owner")],
        "discussions": [{"question": d.question, "on": _iso(d.on), "kind": d.kind} for d in rel.discussions.all()],
        "prompt_events": [{"prompt_id": p.prompt_id, "action": p.action, "on": _iso(p.on)}
                          for p in rel.prompt_events.all()],
    })  # fmt: skip
    if role != SUCCESSOR and can_see_mood(user, rel, role):
        data["check_ins"] = [{"on": _iso(c.on), "mood": c.mood} for c in rel.check_ins.all()]
    return data


def export_for(person: Person) -> dict:
    """Everything of the growth capability that `person` may see, as plain JSON data."""
    user = ActingAs(person)
    relationships, own_notes_elsewhere = [], []
    candidates = Relationship.objects.filter(report__organisation_id=person.organisation_id).select_related(
        "manager", "report")  # fmt: skip
    for rel in candidates:
        role = role_in(user, rel)
        if role in (*FULL_ROLES, SUCCESSOR) or (role == SKIP and rel.notes.filter(scope=Note.SKIP).exists()):
            relationships.append(_relationship(user, rel, role))
        elif rel.notes.filter(author=person).exists():  # e.g. a former manager: their own notes stay theirs
            own_notes_elsewhere += [
                _note(n) | {"relationship": rel.pk} for n in rel.notes.filter(author=person)
            ]
    plan = GrowthPlanEntry.objects.filter(person=person)
    return {
        "person": {"name": person.name, "email": person.email},
        "exported_at": timezone.now().isoformat(),
        "relationships": relationships,
        "own_notes_in_other_relationships": own_notes_elsewhere,
        "growth_plan": [
            {
                "kind": e.kind,
                "text": e.text,
                "question": e.question or None,
                "starts_on": _iso(e.starts_on),
                "ends_on": _iso(e.ends_on),
                "decision": e.decision,
            }
            for e in plan
        ],  # fmt: skip
        "leaves": [
            {"first_day": _iso(x.first_day), "last_day": _iso(x.last_day)}
            for x in Leave.objects.filter(person=person)
        ],  # fmt: skip
        "manager_changes": [
            {
                "old_manager": c.old_manager.email if c.old_manager_id else None,
                "new_manager": c.new_manager.email,
                "changed_on": _iso(c.changed_on),
                "consented_at": _iso(c.consented_at),
                "declined_at": _iso(c.declined_at),
            }
            for c in ManagerChange.objects.filter(report=person)
        ],  # fmt: skip
        "spotlight_contributions": [
            {"event": c.event.title, "kind": c.event.kind, "on": _iso(c.event.on), "what": c.what}
            for c in SpotlightContribution.objects.filter(person=person).select_related("event")
        ],  # fmt: skip
        "low_promotability_tasks": [
            {"kind": t.kind, "on": _iso(t.on), "how": t.how, "hours": float(t.hours)}
            for t in LowPromotabilityTask.objects.filter(person=person)
        ],  # fmt: skip
        "duties": [
            {
                "name": d.name,
                "board_of": d.manager.email,
                "owner": d.owner.email,
                "deputy": d.deputy.email if d.deputy_id else None,
                "level": d.level,
            }
            for d in Duty.objects.filter(
                Q(manager=person) | Q(owner=person) | Q(deputy=person)
            ).select_related("manager", "owner", "deputy")
        ],  # fmt: skip
    }


def legal_export(person: Person, requested_by: str) -> dict:
    """An administrator's data-subject access request for `person`: the person's full export, logged.

    It holds what the person may see plus every note they wrote (private ones included). Private notes
    written by *others* are their authors' and are not part of it.
    """
    if not requested_by:
        raise PathcraftError("a legal export must name who ran it (--by)")
    data = export_for(person)
    data["legal_export"] = {"requested_by": requested_by, "at": timezone.now().isoformat(),
                            "scope": "growth data of this person, including every note they wrote"}  # fmt: skip
    log.info("growth.legal_export", person_id=person.pk, requested_by=requested_by)
    return data
