"""Who may read what of a 1:1: the permission core for the person, the note scope on top.

Roles of a viewer in one relationship:
* REPORT — the report (or mentee): everything shared, their own notes, their mood.
* LEAD — the manager (direct manager, Kind.GROWTH) or mentor of an active relationship.
* SUCCESSOR — the report's current direct manager reading an ended relationship with a former manager,
  only after the report consented (ManagerChange.consented_at); read only, shared content only.
* SKIP — a manager above the direct one with the report's GROWTH consent: only notes the report scoped
  "skip". Never the agenda, never shared notes, never mood.
Anyone else (peers, admins acting as such, the former manager of an ended relationship) gets nothing but
the notes they wrote themself. A private note is readable by its author alone, whatever the role.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from pathcraft.growth.models import ManagerChange, Note, Relationship
from pathcraft.people.permissions import can_view, person_of, relations
from pathcraft.people.policy import Kind, Relation

REPORT, LEAD, SUCCESSOR, SKIP = "report", "lead", "successor", "skip"
FULL_ROLES = (REPORT, LEAD)


def role_in(user, rel: Relationship) -> str | None:
    viewer = person_of(user)
    if viewer is None or viewer.organisation_id != rel.report.organisation_id:
        return None
    if viewer.pk == rel.report_id:
        return REPORT
    if viewer.pk == rel.manager_id and rel.is_active:
        if rel.kind == Relationship.MENTOR:
            return LEAD  # a mentorship is the two people's own arrangement
        # A manager's 1:1 is theirs only while they are the direct manager (permission core).
        return LEAD if can_view(user, rel.report, Kind.GROWTH) else None
    rels = relations(user, rel.report)
    if Relation.MANAGER in rels and rel.kind == Relationship.MANAGER and not rel.is_active:
        consented = ManagerChange.objects.filter(
            report_id=rel.report_id, old_relationship=rel, new_manager=viewer, consented_at__isnull=False
        ).exists()
        if consented:
            return SUCCESSOR
    if Relation.SKIP in rels and can_view(user, rel.report, Kind.GROWTH):
        return SKIP
    return None


def require_role(user, rel: Relationship, allowed=FULL_ROLES) -> str:
    """The viewer's role, or 404 (another organisation / nobody) or 403 (in the organisation, no right)."""
    role = role_in(user, rel)
    if role in allowed:
        return role
    viewer = person_of(user)
    if viewer is None and not getattr(user, "is_superuser", False):
        raise Http404("No such 1:1")
    if viewer is not None and viewer.organisation_id != rel.report.organisation_id:
        raise Http404("No such 1:1")
    raise PermissionDenied("You may not open this 1:1.")


def get_relationship(user, rel_id: int, allowed=FULL_ROLES) -> tuple[Relationship, str]:
    rel = Relationship.objects.select_related("manager", "report").filter(pk=rel_id).first()
    if rel is None:
        raise Http404("No such 1:1")
    return rel, require_role(user, rel, allowed)


def visible_notes(user, rel: Relationship, role: str | None = None) -> QuerySet[Note]:
    """Notes of this relationship the viewer may read (their own always; private ones of others never)."""
    viewer = person_of(user)
    if viewer is None:
        return Note.objects.none()
    role = role_in(user, rel) if role is None else role
    own = Q(author=viewer)
    if role in (REPORT, LEAD, SUCCESSOR):
        others = Q(scope__in=(Note.SHARED, Note.SKIP))
    elif role == SKIP:
        others = Q(scope=Note.SKIP, author_id=rel.report_id)
    else:
        others = Q(pk__in=[])
    return rel.notes.filter(own | others).select_related("author")


def can_see_mood(user, rel: Relationship, role: str | None = None) -> bool:
    """The pair only: the report, and the direct manager of an active manager relationship."""
    role = role_in(user, rel) if role is None else role
    if rel.kind != Relationship.MANAGER or role not in FULL_ROLES:
        return False
    return can_view(user, rel.report, Kind.MOOD)
