"""Demo: a generated repository for the Platform team, registered and analysed during the load.

Sven (platform-2) authors most of the core alone and is the one who commits late and at weekends, Rosa (platform-3)
is the only one who knows the Go agent, Sam (the manager) still owns the deploy scripts alone, and a former
contributor outside the organisation wrote the release tools. Mateo (platform-7), newer, commits from his personal
address under his own name: the identities page proposes him as a same-name match for the manager to confirm.
dependabot and renovate bump manifests and an image tag; their commits count for nobody. Every commit is dated in
its author's own time zone and working hours, as the organisation records them."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings

from pathcraft.code import actions
from pathcraft.code.demorepo import Author, build_demo_repository


def author_of(person) -> Author:
    """A person of the organisation as a demo committer: their time zone and working week."""
    days = tuple(sorted({int(d) - 1 for d in person.work_days if d.isdigit() and 1 <= int(d) <= 7}))
    return Author(
        person.name,
        person.email,
        person.timezone,
        person.work_start.hour,
        person.work_end.hour if person.work_end.hour > person.work_start.hour else 24,
        days or (0, 1, 2, 3, 4),
    )


# Reviewed-by trailers: Sven (platform-2) reviews most of the team's changes, Rosa (platform-3) most of his; the
# others, two of whom never commit here, now and then (the reviews app reads them: pathcraft/reviews/demo.py).
REVIEWERS = (
    "platform-2",
    "platform-3",
    "platform-1",
    "platform-4",
    "platform-5",
    "platform-6",
    "platform-8",
    "sam",
)
PERSONAL_DOMAIN = "mailbox.test"  # a made-up webmail provider (.test never resolves)
NEWCOMER = "platform-7"


def personal_email(person) -> str:
    """The address a person's own laptop commits with: their first name at a personal mail provider."""
    return f"{person.name.split()[0].lower()}@{PERSONAL_DOMAIN}"


def load_demo(org, people, rng) -> None:
    path = settings.DATA_DIR / "repos" / "platform-core"
    build_demo_repository(
        path,
        author_of(people["platform-2"]),
        author_of(people["platform-3"]),
        [author_of(people[key]) for key in ("platform-1", "platform-4", "platform-5")],
        manager=author_of(people["sam"]),
        newcomer=replace(author_of(people[NEWCOMER]), email=personal_email(people[NEWCOMER])),
        reviewers=[author_of(people[key]) for key in REVIEWERS],
    )
    team = people["sam"].team
    repository = actions.register_repository(team, "platform-core", str(path))
    actions.run_analysis(repository.pk)  # synchronously, the same function the background job runs
