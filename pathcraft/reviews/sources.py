"""Where the app's review events come from after a repository's code analysis: its git history's review trailers.

`git_events` is a small stand-in (git log's own trailer parsing, no merges, no .mailmap) with the shape the review
engine's `pathcraft.reviews.trailers.read_git_reviews(path, ref, last_seen, paths=True)` answers; when the engine
lands, this function becomes a call to it. Pure: no Django."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from pathcraft.code.gitrepo import is_ancestor, open_repo, resolve_commit, run_git
from pathcraft.errors import InputError
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


@dataclass
class GitEvents:
    head: str
    events: list[ReviewEvent]
    incremental: bool  # only LAST_SEEN..HEAD was read: add the events to those stored


def parse_log(text: str) -> list[ReviewEvent]:
    """Events from `git log --format=FORMAT --name-only` output."""
    events = []
    for record in text.split("\0")[1:]:
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


def git_events(path: str, ref: str | None = None, last_seen: str | None = None) -> GitEvents:
    """Review events up to REF (default HEAD); only LAST_SEEN..REF when LAST_SEEN is an ancestor (else all)."""
    repo = open_repo(path)
    head = resolve_commit(repo, ref)
    if last_seen == head:
        return GitEvents(head, [], True)
    incremental = bool(last_seen) and is_ancestor(repo, last_seen, head)
    span = f"{last_seen}..{head}" if incremental else head
    done = run_git(repo, ["log", f"--format={FORMAT}", "--name-only", "--no-renames", span])
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()[:1]
        raise InputError(
            f"could not read the history of {path}: {message[0] if message else 'git log failed'}"
        )
    return GitEvents(head, parse_log(done.stdout.decode("utf-8", errors="replace")), incremental)
