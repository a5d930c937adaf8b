"""Co-authorship for degree-of-authorship, as an option that is off by default.

A commit with `Co-authored-by: Name <email>` trailers is credited again to each co-author: the same changes, as if
they had committed them too, folded into the code engine's history state (pathcraft.code.history.HistoryState).
Off by default because the published truck factors count authors only; turning it on changes DOA, and the run
should say so. Only the commits that carry the trailer are diffed again (`git log --grep`, then git's own trailer
parsing decides), so the cost is proportional to the co-authored commits.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import replace

from pathcraft.code.gitlog import Commit, iter_commits
from pathcraft.code.gitrepo import Repo, _env
from pathcraft.code.history import HistoryState
from pathcraft.errors import InputError
from pathcraft.reviews.trailers import CO_AUTHORED_BY, parse_ident

GREP = ["-i", f"--grep=^{CO_AUTHORED_BY}:"]


def co_authors_by_commit(repo: Repo, revisions: list[str]) -> dict[str, list[tuple[str, str]]]:
    """sha -> [(name, email)] of the Co-authored-by trailers git finds in each commit of REVISIONS."""
    done = subprocess.run(
        repo.git("log", *GREP, "-z", f"--format=%H%x1f%(trailers:key={CO_AUTHORED_BY},valueonly,unfold,separator=%x1e)",
                 *revisions, "--"),
        capture_output=True, env=_env(), check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise InputError(f"git log failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    found: dict[str, list[tuple[str, str]]] = {}
    for record in done.stdout.split(b"\0"):
        sha, _, values = record.decode("utf-8", "surrogateescape").strip("\n").partition("\x1f")
        people = []
        for value in values.split("\x1e"):
            who = parse_ident(value.strip())
            if who.email:  # a co-author is an identity: a bare name cannot be told apart from others
                people.append((who.name, who.email))
        if sha and people:
            found[sha] = people
    return found


def co_author_commits(repo: Repo, revisions: list[str], rename_limit: int) -> Iterator[Commit]:
    """Each co-authored commit of REVISIONS once per co-author, as that co-author's (the author keeps theirs)."""
    wanted = co_authors_by_commit(repo, revisions)
    if not wanted:
        return
    for commit in iter_commits(repo, [*GREP, *revisions], rename_limit):
        for name, email in wanted.get(commit.sha, ()):
            if email.strip().lower() != commit.email.strip().lower():
                yield replace(commit, name=name, email=email, changes=list(commit.changes))


def add_co_authors(state: HistoryState, repo: Repo, revisions: list[str], rename_limit: int) -> int:
    """Fold the co-authors of REVISIONS (e.g. [head], or [old..new] after an incremental run) into STATE; returns
    how many co-author credits were added."""
    count = 0
    for commit in co_author_commits(repo, revisions, rename_limit):
        state.add_commit(commit)
        count += 1
    return count
