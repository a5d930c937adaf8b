"""Demo: the review events of the Platform team's generated repository, stored during the load.

The code app's demo repository carries Reviewed-by trailers (pathcraft/code/demorepo.py): Sven reviews most of the
team's changes and Rosa most of his, so the team's load is concentrated and Sven's share stays far above an equal
one. `trailer_events` is a small stand-in reader of those trailers (`git log`'s own trailer parsing); the review
engine's reader of trailers and merges replaces it when it lands."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime

from pathcraft.code.models import Repository
from pathcraft.errors import InputError
from pathcraft.reviews.actions import store_review_events
from pathcraft.reviews.events import Identity, ReviewEvent

KEYS = {
    "reviewed-by": "reviewed-by",
    "acked-by": "acked-by",
    "tested-by": "tested-by",
    "helped-by": "helped-by",
}
WHO = re.compile(r"^\s*(?P<name>[^<]*?)\s*<(?P<email>[^>]*)>\s*$")
FORMAT = (
    "%x00%H%x1f%an%x1f%ae%x1f%aI%x1f%(trailers:" + ",".join(f"key={k}" for k in KEYS) + ",separator=%x1e)"
)


def trailer_events(path: str) -> list[ReviewEvent]:
    """Review events from the review trailers of every commit reachable from HEAD of the repository at PATH."""
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", "-C", path, "log", f"--format={FORMAT}", "--name-only", "--no-renames"],
                          env=env, capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        raise InputError(f"could not read the history of {path}: {done.stderr.strip().splitlines()[:1]}")
    events = []
    for record in done.stdout.split("\0")[1:]:
        head, _, rest = record.partition("\n")
        sha, name, email, when, trailers = head.split("\x1f")
        paths = tuple(line for line in rest.splitlines() if line.strip())
        author = Identity(name, email)
        for trailer in filter(None, trailers.split("\x1e")):
            key, _, value = trailer.partition(":")
            match = WHO.match(value)
            kind = KEYS.get(key.strip().lower())
            if kind is None or match is None:
                continue
            reviewer = Identity(match["name"], match["email"])
            if reviewer.email.lower() == author.email.lower():
                continue  # a self-review does not count
            events.append(ReviewEvent(reviewer, author, datetime.fromisoformat(when), kind, sha, paths))
    return events


def load_demo(org, people, rng) -> None:
    repository = Repository.objects.filter(team__organisation=org, name="platform-core").first()
    if repository is None:
        return  # the code demo did not run: nothing to read reviews from
    store_review_events(repository, trailer_events(repository.path))
