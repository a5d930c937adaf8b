"""Demo: a generated repository for the Platform team, registered and analysed during the load.

Sven (platform-2) authors most of the core alone, Rosa (platform-3) is the only one who knows the Go agent, and a
former contributor outside the organisation wrote the release tools."""

from __future__ import annotations

from django.conf import settings

from pathcraft.code import actions
from pathcraft.code.demorepo import Author, build_demo_repository


def load_demo(org, people, rng) -> None:
    def author(key: str) -> Author:
        return Author(people[key].name, people[key].email)

    path = settings.DATA_DIR / "repos" / "platform-core"
    build_demo_repository(path, author("platform-2"), author("platform-3"),
                          [author("platform-1"), author("platform-4"), author("platform-5")])  # fmt: skip
    team = people["sam"].team
    repository = actions.register_repository(team, "platform-core", str(path))
    actions.run_analysis(repository.pk)  # synchronously, the same function the background job runs
