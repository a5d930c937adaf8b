"""Repositories registered by URL: the worker clones a mirror once, fetches it on a schedule, then analyses.

A sync is: clone (first time) or fetch, resolve the ref, tell a force-push from new commits (the old analysed
commit no longer under the new one), then the usual analysis — incremental after new commits, from scratch after
a rewrite, which the page says. A failed clone or fetch keeps the last analysis and records the reason.
Due repositories are claimed with a conditional UPDATE of next_fetch_at, so several workers never fetch one mirror
at once.
"""

from __future__ import annotations

import datetime as dt
import os
import urllib.parse
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import structlog
from django.conf import settings
from django.utils import timezone
from django_tasks import task

from pathcraft.code import remote as git_remote
from pathcraft.code.actions import _allowed_roots, clean_globs
from pathcraft.code.defaults import remote_defaults
from pathcraft.code.models import Repository
from pathcraft.code.runs import run_analysis
from pathcraft.errors import InputError
from pathcraft.people.models import Team

log = structlog.get_logger(__name__)
CLAIM_MINUTES = 45  # longer than a clone may take (clone_timeout_seconds is 30 min)


def mirrors_dir() -> str:
    return os.path.join(str(settings.DATA_DIR), "mirrors")


def _interval(minutes: int | None) -> int:
    d = remote_defaults()
    if minutes is None:
        return d["default_interval_minutes"]
    if minutes < d["min_interval_minutes"]:
        raise InputError(f"a remote is fetched at most every {d['min_interval_minutes']} minutes")
    return min(minutes, 7 * 24 * 60)


def register_remote_repository(team: Team, name: str, url: str, ref: str = "", secret: str = "",
                               include: Iterable[str] | str | None = (), exclude: Iterable[str] | str | None = (),
                               interval_minutes: int | None = None, by=None) -> Repository:  # fmt: skip
    """Check the URL, the credential and the ref with `git ls-remote`, then save; the worker clones it."""
    name, ref = (name or "").strip(), (ref or "").strip()
    if not name:
        raise InputError("a repository needs a name")
    if len(name) > 200 or len(ref) > 200 or len(secret) > 20000:
        raise InputError("name, ref or credential is too long")
    include_globs, exclude_globs = clean_globs(include, "include"), clean_globs(exclude, "exclude")
    if Repository.objects.filter(team=team, name=name).exists():
        raise InputError(f"team {team.name} already has a repository named {name!r}")
    found = git_remote.check_remote(url, secret)
    if found.url.startswith("file:"):  # a local path by another name: the same folders as a registered path
        local = os.path.realpath(urllib.parse.urlsplit(found.url).path)
        roots = _allowed_roots()
        if roots and not any(local == r or local.startswith(r + os.sep) for r in roots):
            raise InputError("that file:// path is outside the folders this server reads repositories from")
    try:
        git_remote.ls_remote(found, ref, timeout=60)
    except git_remote.RemoteError as exc:
        raise InputError(f"the remote could not be read: {exc.reason}") from None
    path = os.path.join(mirrors_dir(), f"{uuid.uuid4().hex}.git")
    repository = Repository.objects.create(
        team=team, name=name, path=path, ref=ref, include=include_globs, exclude=exclude_globs, created_by=by,
        remote_url=found.url, remote_secret=found.secret, remote_shown=found.shown[:1000],
        fetch_interval_minutes=_interval(interval_minutes), next_fetch_at=timezone.now(),
    )  # fmt: skip
    repository.notes = []
    log.info("remote_repository_registered", repository_id=repository.pk, team_id=team.pk)
    return repository


@dataclass(frozen=True)
class RemoteOutcome:
    repository_id: int
    result: str  # "analysed", "unchanged", "failed"
    rewritten: bool = False
    reason: str = ""


def sync_remote(
    repository: Repository, *, now: dt.datetime | None = None, analyse: bool = True
) -> RemoteOutcome:
    """Clone or fetch the mirror, then analyse what changed; a failure keeps the last analysis."""
    now = now or timezone.now()
    d = remote_defaults()
    found = git_remote.Remote(repository.remote_url, repository.remote_secret)
    if not found.url:
        return _failed(repository, now, "the stored URL could not be decrypted (the secret key changed): "
                                        "register the repository again")  # fmt: skip
    try:
        if not os.path.isdir(repository.path):
            os.makedirs(os.path.dirname(repository.path), exist_ok=True)
            repository.mirror_kind = git_remote.mirror_clone(
                found, repository.path, timeout=d["clone_timeout_seconds"]
            )
        else:
            git_remote.mirror_fetch(found, repository.path, timeout=d["fetch_timeout_seconds"])
        commit = git_remote.resolve(repository.path, repository.ref)
        rewritten = git_remote.rewritten(repository.path, repository.last_commit, commit)
        git_remote.prefetch_tree(found, repository.path, commit, timeout=d["fetch_timeout_seconds"])
    except git_remote.RemoteError as exc:
        return _failed(repository, now, exc.reason)
    repository.last_fetched_at = now
    repository.fetch_error, repository.fetch_failures = "", 0
    repository.next_fetch_at = now + dt.timedelta(minutes=repository.fetch_interval_minutes)
    if rewritten:
        repository.history_rewritten_at = now
    repository.save(update_fields=["last_fetched_at", "fetch_error", "fetch_failures", "next_fetch_at",
                                   "history_rewritten_at", "mirror_kind"])  # fmt: skip
    changed = commit != repository.last_commit or repository.status != Repository.Status.DONE
    log.info("remote_repository_fetched", repository_id=repository.pk, changed=changed, rewritten=rewritten)
    if not (changed and analyse):
        return RemoteOutcome(repository.pk, "unchanged")
    done = run_analysis(repository.pk, full=rewritten)
    if done.status != Repository.Status.DONE:
        return RemoteOutcome(repository.pk, "failed", rewritten, done.error)
    return RemoteOutcome(repository.pk, "analysed", rewritten)


def _failed(repository: Repository, now: dt.datetime, reason: str) -> RemoteOutcome:
    repository.fetch_error = reason[:400]
    repository.fetch_failures += 1
    repository.next_fetch_at = now + dt.timedelta(minutes=repository.fetch_interval_minutes)
    repository.save(update_fields=["fetch_error", "fetch_failures", "next_fetch_at"])
    log.warning(
        "remote_repository_fetch_failed", repository_id=repository.pk, failures=repository.fetch_failures
    )
    return RemoteOutcome(repository.pk, "failed", reason=reason)


def claim(repository_id: int, seen: dt.datetime, now: dt.datetime) -> bool:
    moved = Repository.objects.filter(pk=repository_id, next_fetch_at=seen).update(
        next_fetch_at=now + dt.timedelta(minutes=CLAIM_MINUTES)
    )
    return moved == 1


def sync_due_remotes(*, now: dt.datetime | None = None, limit: int = 50) -> list[RemoteOutcome]:
    now = now or timezone.now()
    due = list(Repository.objects.filter(fetch_interval_minutes__gt=0, next_fetch_at__lte=now)
               .order_by("next_fetch_at").values_list("pk", "next_fetch_at")[:limit])  # fmt: skip
    outcomes = []
    for pk, seen in due:
        if claim(pk, seen, now):
            outcomes.append(sync_remote(Repository.objects.select_related("team").get(pk=pk), now=now))
    return outcomes


def schedule_rows() -> list[dict]:
    rows = []
    for repo in Repository.objects.filter(fetch_interval_minutes__gt=0).order_by("next_fetch_at", "pk"):
        rows.append({
            "task": "pathcraft.code.remotes.fetch_remote_repositories",
            "item": f"repository {repo.pk} ({repo.remote_shown})",
            "every_minutes": repo.fetch_interval_minutes,
            "next_run_at": repo.next_fetch_at.isoformat() if repo.next_fetch_at else None,
            "last_synced_at": repo.last_fetched_at.isoformat() if repo.last_fetched_at else None,
            "state": "failing" if repo.fetch_failures else "ok",
        })  # fmt: skip
    return rows


@task()
def fetch_remote_repositories() -> dict[str, int]:
    """Fetch every remote repository whose interval is due, and analyse what changed (periodic, on the worker)."""
    counts = {"analysed": 0, "unchanged": 0, "failed": 0}
    for outcome in sync_due_remotes():
        counts[outcome.result] += 1
    return counts
