"""People of the demo organisation whose emails the test provider's accounts carry (no full demo load)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from pathcraft.people.models import Organisation, Person

from .idp import ACCOUNTS

DEMO_PASSWORD = "correct-horse-battery"


def sso_people(with_login: tuple[str, ...] = ("engineer",)) -> dict[str, Person]:
    """One organisation with a person for each provider account but "unknown"; WITH_LOGIN ones have accounts."""
    org = Organisation.objects.create(name="Demo", slug="demo")
    people = {}
    for role, account in ACCOUNTS.items():
        if role == "unknown":
            continue
        person = Person.objects.create(organisation=org, name=account.name or role, email=account.email)
        if role in with_login:
            person.user = get_user_model().objects.create_user(
                username=account.email, email=account.email, password=DEMO_PASSWORD
            )
            person.save(update_fields=["user"])
        people[role] = person
    return people
