"""Write the demo organisation into the configured database; later capabilities add their demo data here."""

from __future__ import annotations

import importlib
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from pathcraft.demo.organisation import DEMO_PASSWORD, SEED, generate
from pathcraft.errors import PathcraftError
from pathcraft.people.models import Organisation, Person, Team

# Each module has `load_demo(org: Organisation, people: dict[str, Person], rng: random.Random) -> None`,
# keyed by the demo person keys of pathcraft.demo.organisation. Missing modules are skipped.
DEMO_MODULES = [
    "pathcraft.paths.demo",
    "pathcraft.feedback.demo",
    "pathcraft.workload.demo",
    "pathcraft.code.demo",
    "pathcraft.growth.demo",
]


def load_demo(seed: int = SEED, progress=None) -> dict[str, str]:
    """Load the demo into an empty database; returns the demo logins (role -> username)."""
    if Organisation.objects.exists() or Person.objects.exists():
        raise PathcraftError(
            "the database already holds an organisation; the demo loads only into an empty one"
        )
    spec = generate(seed)
    User = get_user_model()
    logins: dict[str, str] = {}
    with transaction.atomic():
        org = Organisation.objects.create(name=spec.name, slug=spec.slug)
        teams = {
            slug: Team.objects.create(organisation=org, slug=slug, name=name)
            for slug, name in spec.teams.items()
        }
        people: dict[str, Person] = {}
        for p in spec.people:
            people[p.key] = Person.objects.create(
                organisation=org, name=p.name, email=p.email, title=p.title, team=teams.get(p.team),
                timezone=p.timezone, location=p.location, work_start=p.work_start, work_end=p.work_end,
            )  # fmt: skip
        for p in spec.people:
            if p.manager:
                people[p.key].manager = people[p.manager]
                people[p.key].save(update_fields=["manager"])
        for slug, team in teams.items():
            lead = next(
                (people[p.key] for p in spec.people if p.team == slug and people[p.key].reports.exists()),
                None,
            )
            if lead:
                team.lead = lead
                team.save(update_fields=["lead"])
        for p in spec.people:
            if p.login:
                user = User.objects.create_user(username=p.email, email=p.email, password=DEMO_PASSWORD)
                people[p.key].user = user
                people[p.key].save(update_fields=["user"])
                logins[p.login] = p.email
        admin = User.objects.create_superuser(
            username="admin", email="admin@demo.pathcraft.test", password=DEMO_PASSWORD
        )
        logins["admin"] = admin.username
        rng = random.Random(seed)
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue
                raise
            if progress:
                progress(name)
            module.load_demo(org, people, rng)
    return logins
