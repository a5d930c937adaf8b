"""What a leaver's manager is shown: who left, what their leaving ended, what now needs an owner, and where to
see what they knew (the code-knowledge page and the leave simulation, where they count as former contributors).

Only the leaver's manager at the time (and admins of the organisation) see a departure; 1:1 action item text is
shown only from the viewer's own 1:1 with the leaver, as in the 1:1 itself."""

from __future__ import annotations

from django.db.models import Q

from pathcraft.code.person import person_knowledge
from pathcraft.code.presenters import repositories_for
from pathcraft.growth.models import ActionItem, Duty
from pathcraft.people.models import Person
from pathcraft.people.permissions import can_view
from pathcraft.people.policy import Kind
from pathcraft.provisioning.models import Departure


def departures_for(user) -> list[dict]:
    viewer = Person.objects.filter(user=user).first() if user.is_authenticated else None
    if user.is_superuser:
        rows = (
            Departure.objects.all()
            if viewer is None
            else Departure.objects.filter(person__organisation_id=viewer.organisation_id)
        )
    elif viewer is not None:
        rows = Departure.objects.filter(manager=viewer)
    else:
        return []
    found = []
    for departure in rows.filter(returned_at=None).select_related("person"):
        person = departure.person
        duties = Duty.objects.filter(Q(owner=person) | Q(deputy=person))
        duties = duties if user.is_superuser and viewer is None else duties.filter(manager=viewer)
        actions = ActionItem.objects.filter(owner=person, done_on=None, relationship__manager=viewer)
        found.append({
            "departure": departure, "person": person,
            "duties": [{"name": d.name, "role": "owner" if d.owner_id == person.pk else "deputy"} for d in duties],
            "open_actions": list(actions.order_by("due")) if viewer else [],
            "reports": list(Person.objects.filter(manager=person, is_active=True).order_by("name")),
            "code": _code(user, person),
        })  # fmt: skip
    return found


def _code(user, person) -> list[dict]:
    """The analysed repositories where the leaver is an author, for the what-if-they-leave simulation."""
    if not can_view(user, person, Kind.CODE_KNOWLEDGE):
        return []
    found = person_knowledge(user, person, repositories_for(user))["repositories"]
    return [
        {"repository": r["repository"], "authored": r["authored"], "sole": len(r["sole_files"])}
        for r in found
    ]
