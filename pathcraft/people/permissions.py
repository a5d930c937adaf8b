"""The permission core: "may this viewer see this kind of data about this person?"

Every page, API handler, export and CLI command asks here; nothing filters people by hand.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from pathcraft.people.models import Person, Share, below_ids
from pathcraft.people.policy import POLICY, Kind, Relation, Rule, decide


def person_of(user) -> Person | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def is_admin(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_superuser)


def relations(user, subject: Person) -> set[Relation]:
    """Every relation the viewer has to the person (an admin may also be someone's manager)."""
    viewer = person_of(user)
    found: set[Relation] = set()
    if is_admin(user) and (viewer is None or viewer.organisation_id == subject.organisation_id):
        found.add(Relation.ADMIN)
    if viewer is None or viewer.organisation_id != subject.organisation_id:
        return found or {Relation.STRANGER}
    if viewer.pk == subject.pk:
        found.add(Relation.SELF)
        return found
    chain = subject.manager_chain()
    if chain and chain[0].pk == viewer.pk:
        found.add(Relation.MANAGER)
    elif any(m.pk == viewer.pk for m in chain[1:]):
        found.add(Relation.SKIP)
    else:
        found.add(Relation.PEER)
    return found


def shared_with(subject: Person, kind: Kind | str) -> set[Relation]:
    return {
        Relation(r)
        for r in Share.objects.filter(person=subject, kind=str(kind)).values_list("relation", flat=True)
    }


def can_view(user, subject: Person, kind: Kind | str) -> bool:
    return decide(kind, relations(user, subject), shared_with(subject, kind))


def require_view(user, subject: Person, kind: Kind | str) -> Person:
    """Raise Http404 for strangers (nothing to learn about existence), PermissionDenied for the rest."""
    rels = relations(user, subject)
    if decide(kind, rels, shared_with(subject, kind)):
        return subject
    if rels == {Relation.STRANGER}:
        raise Http404("No such person")
    raise PermissionDenied(f"You may not see this person's {Kind(kind).value} data.")


def visible_people(user, kind: Kind | str) -> QuerySet[Person]:
    """The people whose data of this kind the viewer may see, as a queryset restriction.

    Set-wise: the reporting lines below the viewer are a recursive subquery and consents an EXISTS, so the
    queryset costs one query however many people it covers (none until it is evaluated)."""
    kind = Kind(kind)
    viewer = person_of(user)
    row = POLICY[kind]
    if viewer is None:
        if is_admin(user) and row[Relation.ADMIN] is Rule.ALLOW:
            return Person.objects.all()
        return Person.objects.none()
    org_people = Person.objects.filter(organisation_id=viewer.organisation_id)
    if row[Relation.PEER] is Rule.ALLOW or (is_admin(user) and row[Relation.ADMIN] is Rule.ALLOW):
        return org_people
    allowed = Q(pk=viewer.pk) if row[Relation.SELF] is Rule.ALLOW else Q(pk__in=[])
    direct = Q(manager_id=viewer.pk)
    skip = Q(pk__in=below_ids(viewer.pk)) & ~Q(manager_id=viewer.pk)
    for relation, place in ((Relation.MANAGER, direct), (Relation.SKIP, skip)):
        rule = row[relation]
        if rule is Rule.ALLOW:
            allowed |= place
        elif rule is Rule.CONSENT:
            consented = Share.objects.filter(person=OuterRef("pk"), kind=kind.value, relation=relation.value)
            allowed |= place & Exists(consented)
    return org_people.filter(allowed)


def set_share(subject: Person, kind: Kind | str, relation: Relation | str, on: bool) -> None:
    """Grant or withdraw a consent; only CONSENT cells of the policy can be granted."""
    kind, relation = Kind(kind), Relation(relation)
    if POLICY[kind].get(relation) is not Rule.CONSENT:
        raise ValueError(f"{kind.value} cannot be shared with {relation.value}")
    if on:
        Share.objects.get_or_create(person=subject, kind=kind.value, relation=relation.value)
    else:
        Share.objects.filter(person=subject, kind=kind.value, relation=relation.value).delete()
