"""Write the demo organisation into the configured database; later capabilities add their demo data here."""

from __future__ import annotations

import importlib
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from pathcraft.demo.large import generate_large
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
    "pathcraft.reviews.demo",
]


def load_demo(seed: int = SEED, progress=None, size: int | None = None) -> dict[str, str]:
    """Load the demo into an empty database; returns the demo logins (role -> username).

    SIZE asks for the large organisation of pathcraft.demo.large (the small demo whole inside it, under a CEO);
    people and teams go in with bulk inserts, so 5,000 people load in seconds."""
    if Organisation.objects.exists() or Person.objects.exists():
        raise PathcraftError(
            "the database already holds an organisation; the demo loads only into an empty one"
        )
    spec = generate(seed) if size is None else generate_large(size, seed)
    User = get_user_model()
    logins: dict[str, str] = {}
    with transaction.atomic():
        org = Organisation.objects.create(name=spec.name, slug=spec.slug)
        created = Team.objects.bulk_create(
            Team(organisation=org, slug=slug, name=name) for slug, name in spec.teams.items()
        )
        teams = {team.slug: team for team in created}
        if progress and size:
            progress(f"{len(spec.people)} people in {len(teams)} teams")
        rows = Person.objects.bulk_create(
            (
                Person(
                    organisation=org,
                    name=p.name,
                    email=p.email,
                    title=p.title,
                    team=teams.get(p.team),
                    timezone=p.timezone,
                    location=p.location,
                    work_start=p.work_start,
                    work_end=p.work_end,
                )  # fmt: skip
                for p in spec.people
            ),
            batch_size=1000,
        )
        if any(row.pk is None for row in rows):  # a backend that returns no ids from bulk inserts
            rows = list(Person.objects.filter(organisation=org).order_by("pk"))
        people: dict[str, Person] = {p.key: row for p, row in zip(spec.people, rows, strict=True)}
        managed = []
        for p in spec.people:
            if p.manager:
                people[p.key].manager = people[p.manager]
                managed.append(people[p.key])
        Person.objects.bulk_update(managed, ["manager"], batch_size=1000)
        has_reports = {p.manager for p in spec.people if p.manager}
        leads = []
        for slug, team in teams.items():
            lead = next((p.key for p in spec.people if p.team == slug and p.key in has_reports), None)
            if lead:
                team.lead = people[lead]
                leads.append(team)
        Team.objects.bulk_update(leads, ["lead"], batch_size=1000)
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
        if size is not None:
            from pathcraft.demo.sample import load_sample

            load_sample(org, random.Random(seed + 1), progress)
    return logins
