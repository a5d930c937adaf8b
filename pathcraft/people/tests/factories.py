"""Small factories for tests: plain functions, no fixture files."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from pathcraft.people.models import Organisation, Person, Team

PASSWORD = "correct-horse-battery"


def make_org(slug: str = "acme", name: str | None = None) -> Organisation:
    return Organisation.objects.create(slug=slug, name=name or slug.title())


def make_team(org: Organisation, slug: str = "core", name: str | None = None) -> Team:
    return Team.objects.create(organisation=org, slug=slug, name=name or slug.title())


def make_person(org: Organisation, name: str, manager: Person | None = None, team: Team | None = None,
                account: bool = True, **fields) -> Person:  # fmt: skip
    email = fields.pop("email", f"{name.lower().replace(' ', '.')}@{org.slug}.test")
    person = Person.objects.create(
        organisation=org, name=name, email=email, manager=manager, team=team, **fields
    )
    if account:
        person.user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
        person.save(update_fields=["user"])
    return person


def make_admin(username: str = "root"):
    return get_user_model().objects.create_superuser(
        username=username, email=f"{username}@x.test", password=PASSWORD
    )


def small_org():
    """boss -> lead -> dev, dev2; lead2 (peer branch) -> other; plus a stranger in another organisation."""
    org = make_org()
    team = make_team(org)
    boss = make_person(org, "Bo Boss")
    lead = make_person(org, "Lee Lead", manager=boss, team=team)
    dev = make_person(org, "Dee Dev", manager=lead, team=team)
    dev2 = make_person(org, "Dan Dev", manager=lead, team=team)
    lead2 = make_person(org, "Lou Lead", manager=boss)
    other = make_person(org, "Oli Other", manager=lead2)
    elsewhere = make_org("globex")
    stranger = make_person(elsewhere, "Sta Stranger")
    return {"org": org, "team": team, "boss": boss, "lead": lead, "dev": dev, "dev2": dev2, "lead2": lead2,
            "other": other, "stranger": stranger, "admin": make_admin()}  # fmt: skip
