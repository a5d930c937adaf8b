"""Template context: the signed-in person, and navigation entries that each app declares.

An app adds itself to the navigation with `nav_items = [(key, label, url_name, audience)]` on its AppConfig. The
audience (one, or a tuple of several) says who may open the page, so nobody is offered a link that answers 403:

* ``anyone``: every signed-in account (an administrator who is not a person in the organisation too);
* ``person``: accounts linked to a person in the organisation (their own career, feedback, workload, 1:1s);
* ``manager``: people with direct reports (team aggregates);
* ``admin``: the installation's administrators.
"""

from django.apps import apps
from django.urls import NoReverseMatch, reverse

ANYONE, PERSON, MANAGER, ADMIN = "anyone", "person", "manager", "admin"
AUDIENCES = (ANYONE, PERSON, MANAGER, ADMIN)

# The people app's own pages: the org chart and the team list start from the viewer's place in the organisation.
PEOPLE_ITEMS = [("org", "Org chart", "org-chart", PERSON), ("teams", "Teams", "team-list", PERSON)]


def audiences_of(user, person) -> set[str]:
    """Which audiences the account belongs to (one query, for the manager test, when it is a person)."""
    found = {ANYONE}
    if person is not None:
        found.add(PERSON)
        if person.reports.exists():
            found.add(MANAGER)
    if getattr(user, "is_superuser", False):
        found.add(ADMIN)
    return found


def declared_items() -> list[tuple[str, str, str, frozenset[str]]]:
    """Every navigation entry of every app, in INSTALLED_APPS order, then the people app's own; each with the
    set of audiences it is for."""
    items = []
    for name, entries in [*((c.name, getattr(c, "nav_items", [])) for c in apps.get_app_configs()),
                          ("pathcraft.people", PEOPLE_ITEMS)]:  # fmt: skip
        for key, label, url_name, *rest in entries:
            audience = rest[0] if rest else ANYONE
            audiences = frozenset((audience,) if isinstance(audience, str) else audience)
            unknown = sorted(audiences - set(AUDIENCES))
            if unknown or not audiences:
                raise ValueError(
                    f"{name}: nav item {key!r} has unknown audience {', '.join(unknown) or 'none'!r}"
                )
            items.append((key, label, url_name, audiences))
    return items


def nav_items_for(user, person) -> list[dict]:
    audiences = audiences_of(user, person)
    items = []
    for key, label, url_name, item_audiences in declared_items():
        if item_audiences.isdisjoint(audiences):
            continue
        try:
            items.append({"key": key, "label": label, "url": reverse(url_name)})
        except NoReverseMatch:
            continue
    return items


def viewer(request):
    user = getattr(request, "user", None)
    person = None
    if user is not None and user.is_authenticated:
        person = getattr(user, "person", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {"viewer_person": person, "nav_items": nav_items_for(user, person) if signed_in else []}
