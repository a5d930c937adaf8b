"""Who may change the records a manager keeps for their team: the spotlight and low-promotability
registers, the delegation board, leaves and reporting lines. Reading 1:1 content is `access.py`'s job.

Every check answers 404 to strangers (another organisation, nobody signed in: nothing to learn about
existence) and 403 to people of the organisation without the right, as the permission core does.

The rules (the pages say them in words):
* registers — the manager keeps them and credits anyone who reports to them; a person on the team may
  record their own spotlight or low-promotability work (with themselves as the only contributor) and change
  or remove records that are only about them. Crediting colleagues is the manager's call.
* delegation board — the manager's own.
* leave — a person records their own, and a manager records a leave for someone who reports to them.
* manager change — an administrator of the organisation, or a manager above both the report's current
  manager and the new manager (the person who owns both reporting lines). Nobody can take a report alone.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pathcraft.growth.models import Duty, Leave, LowPromotabilityTask, SpotlightEvent
from pathcraft.people.models import Person
from pathcraft.people.permissions import is_admin, person_of, relations, require_view
from pathcraft.people.policy import Kind, Relation

OWNER, MEMBER = "owner", "member"


def _viewer_in(user, organisation_id: int) -> Person:
    """The viewer's person in this organisation, or 404 (stranger) / 403 (an administrator with no person)."""
    viewer = person_of(user)
    if viewer is None:
        if is_admin(user):
            raise PermissionDenied("This is kept by managers and their teams; your account is not a person.")
        raise Http404("Not found")
    if viewer.organisation_id != organisation_id:
        raise Http404("Not found")
    return viewer


def register_role(user, manager: Person) -> str:
    """OWNER for the manager, MEMBER for someone who reports to them; 404 / 403 for everyone else."""
    viewer = _viewer_in(user, manager.organisation_id)
    if viewer.pk == manager.pk:
        return OWNER
    if viewer.manager_id == manager.pk:
        return MEMBER
    raise PermissionDenied(
        f"The spotlight and low-promotability registers are kept by {manager.name} and their team."
    )


def check_credit(user, role: str, people: list[Person], already=()) -> None:
    """The people a record credits: anyone on the team for the manager (through the permission core; people
    `already` on the record stay, even after they moved to another team), only oneself for a team member."""
    viewer = person_of(user)
    for person in people:
        if role == OWNER:
            if person.pk in already:
                continue
            require_view(user, person, Kind.GROWTH)
        elif viewer is None or person.pk != viewer.pk:
            raise PermissionDenied("Only your manager credits colleagues; record your own part here.")


def spotlight_role(user, event: SpotlightEvent, change: bool = False) -> str:
    """OWNER, or MEMBER when the event credits the viewer (only them, to change or remove it)."""
    role = register_role(user, event.manager)
    if role == OWNER:
        return role
    credited = [c.person_id for c in event.contributions.all()]
    viewer = person_of(user)
    if viewer.pk not in credited or (change and credited != [viewer.pk]):
        raise PermissionDenied(
            "Only the manager changes a spotlight that credits someone else."
            if viewer.pk in credited
            else "This spotlight does not credit you."
        )
    return role


def task_role(user, task: LowPromotabilityTask) -> str:
    role = register_role(user, task.manager)
    if role == MEMBER and task.person_id != person_of(user).pk:
        raise PermissionDenied("Only the manager changes someone else's low-promotability work.")
    return role


def require_board_owner(user, manager: Person) -> Person:
    viewer = _viewer_in(user, manager.organisation_id)
    if viewer.pk != manager.pk:
        raise PermissionDenied(f"The delegation board is {manager.name}'s to change.")
    return viewer


def require_duty(user, duty: Duty) -> Duty:
    require_board_owner(user, duty.manager)
    return duty


def require_leave_right(user, person: Person) -> Person:
    """A person records their own leave; their direct manager records it for them."""
    viewer = _viewer_in(user, person.organisation_id)
    if viewer.pk == person.pk or person.manager_id == viewer.pk:
        return viewer
    raise PermissionDenied(f"Only {person.name} and their manager record {person.name}'s leave.")


def require_leave(user, leave: Leave) -> Leave:
    require_leave_right(user, leave.person)
    return leave


def may_change_managers(user) -> bool:
    """Whether to offer the page at all: administrators, and managers who have managers below them."""
    if is_admin(user):
        return True
    viewer = person_of(user)
    return viewer is not None and Person.objects.filter(manager__manager=viewer).exists()


def require_manager_change_right(user, report: Person, new_manager: Person | None = None) -> None:
    """An administrator of the report's organisation, or a manager above the report's current manager
    who is also the new manager or above them."""
    rels = relations(user, report)
    if Relation.ADMIN in rels:
        return
    if rels == {Relation.STRANGER}:
        raise Http404("No such person")
    viewer = person_of(user)
    above_report = Relation.SKIP in rels
    owns_new = (
        new_manager is None
        or new_manager.pk == viewer.pk
        or any(p.pk == viewer.pk for p in new_manager.manager_chain())
    )
    if above_report and owns_new:
        return
    raise PermissionDenied(
        "A manager change is recorded by an administrator, or by a manager above both the current and the "
        "new manager."
    )
