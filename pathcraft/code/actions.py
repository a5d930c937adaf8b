"""State changes of the code app: register and unregister repositories, analyse them (the job's body), match git
identities to people and keep the alias table. Views, the API and the demo all call these."""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pathcraft.code.filters import _matches as glob_matches  # the engine's own glob rule, so the check agrees
from pathcraft.code.gitrepo import list_tree, open_repo, resolve_commit, run_git
from pathcraft.code.history import normalize_name
from pathcraft.code.jobs import enqueue_analysis  # noqa: F401 - re-exported: the pages and API queue through actions
from pathcraft.code.matching import FORMER, OWN_EMAIL, Rules
from pathcraft.code.models import IdentityMatch, NameAlias, Repository
from pathcraft.code.runs import _one_line, analyze_repository, load_analysis, remap, run_analysis  # noqa: F401 - re-exported
from pathcraft.errors import InputError, PathcraftError
from pathcraft.people.models import Person, Team

log = logging.getLogger(__name__)
MAX_GLOBS = 50
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")


# Registration -------------------------------------------------------------------------------------------------


def clean_globs(values: Iterable[str] | str | None, what: str) -> list[str]:
    """Globs from a list or from text with one per line (or comma-separated); bad ones are an InputError."""
    if values is None:
        return []
    if isinstance(values, str):
        values = re.split(r"[\n,]", values)
    globs = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    if len(globs) > MAX_GLOBS:
        raise InputError(f"at most {MAX_GLOBS} {what} globs")
    for glob in globs:
        if len(glob) > 200 or "\0" in glob:
            raise InputError(f"{what} glob {glob[:40]!r}… is too long")
        if glob.startswith("/"):
            raise InputError(
                f"{what} glob {glob!r}: globs match paths inside the repository; write {glob.lstrip('/')!r}"
            )
    return globs


def _allowed_roots() -> list[str]:
    """settings.CODE_REPOSITORY_ROOTS (optional): registration is refused outside these folders."""
    roots = getattr(settings, "CODE_REPOSITORY_ROOTS", None) or []
    return [os.path.realpath(r) for r in roots]


def _open_for_registration(path: str):
    if not path:
        raise InputError("give the path of a git repository on the server")
    if not os.path.isabs(path):
        raise InputError(
            f"{path}: give an absolute path on the server (the server reads it, not your browser)"
        )
    path = os.path.normpath(path)
    roots = _allowed_roots()
    real = os.path.realpath(path)
    if roots and not any(real == r or real.startswith(r + os.sep) for r in roots):
        raise InputError(f"{path} is outside the folders this server reads repositories from")
    if os.path.exists(path) and not os.access(path, os.R_OK | os.X_OK):
        raise InputError(f"{path}: the server may not read it (permission denied)")
    try:
        return open_repo(path)
    except InputError:
        probe = run_git(None, ["rev-parse", "--git-dir"], cwd=path) if os.path.isdir(path) else None
        if probe is not None and b"dubious ownership" in probe.stderr:
            raise InputError(
                f"{path} belongs to another user and git refuses to read it (add it to git's safe.directory)"
            ) from None
        raise


def register_repository(
    team: Team,
    name: str,
    path: str,
    ref: str = "",
    include: Iterable[str] | str | None = (),
    exclude: Iterable[str] | str | None = (),
    by=None,
) -> Repository:
    """Register a repository the server can read. Everything is checked before anything is saved: a path that is not
    a readable git repository, an unknown ref, an empty repository, globs that leave no file, a duplicate.

    The returned repository carries `notes` (e.g. a shallow clone gives a partial result)."""
    name, path, ref = (name or "").strip(), (path or "").strip(), (ref or "").strip()
    if not name:
        raise InputError("a repository needs a name")
    if len(name) > 200 or len(ref) > 200 or len(path) > 1000:
        raise InputError("name, ref or path is too long")
    include_globs = clean_globs(include, "include")
    exclude_globs = clean_globs(exclude, "exclude")
    if Repository.objects.filter(team=team, name=name).exists():
        raise InputError(f"team {team.name} already has a repository named {name!r}")
    repo = _open_for_registration(path)
    path = os.path.normpath(path)
    commit = resolve_commit(repo, ref or None)  # unknown ref, or no commit at all: one line
    if include_globs or exclude_globs:
        paths = [e.path for e in list_tree(repo, commit)]
        kept = [
            p for p in paths
            if not glob_matches(p, exclude_globs) and (not include_globs or glob_matches(p, include_globs))
        ]  # fmt: skip
        if not kept:
            raise InputError(f"the include/exclude globs leave no file of {ref or 'HEAD'} to analyse")
    for other in Repository.objects.filter(team=team):
        if os.path.realpath(other.path) == os.path.realpath(path) and other.ref == ref:
            raise InputError(f"{path} at {ref or 'HEAD'} is already registered as {other.name!r}")
    repository = Repository.objects.create(
        team=team, name=name, path=path, ref=ref, include=include_globs, exclude=exclude_globs, created_by=by
    )
    repository.notes = (
        ["shallow clone: history before the shallow boundary is missing, so results will be partial"]
        if repo.shallow
        else []
    )
    return repository


def unregister_repository(repository: Repository) -> None:
    """Forget a repository and its analysis (a local repository on disk is not touched; the alias table stays).
    A remote repository's mirror, which pathcraft made under its data folder, is deleted with it."""
    mirrors = os.path.join(os.path.realpath(str(settings.DATA_DIR)), "mirrors") + os.sep
    if repository.remote_shown and os.path.realpath(repository.path).startswith(mirrors):
        shutil.rmtree(repository.path, ignore_errors=True)
    repository.delete()


# Analysis -----------------------------------------------------------------------------------------------------


def identities_changed(organisation_id: int, current: Repository | None = None) -> list[str]:
    """After a change to the alias table: the CURRENT repository's report is rebuilt now (so the page shows it at
    once), the organisation's other analysed repositories are re-analysed by the background job.

    Returns one-line warnings (a repository that could not be rebuilt keeps its last report)."""
    warnings = []
    # A queued run reads the alias table when it starts; a running one read it already, so it runs once more.
    repositories = Repository.objects.filter(
        team__organisation_id=organisation_id, status__in=[Repository.Status.DONE, Repository.Status.RUNNING]
    )
    for repository in repositories.select_related("team").defer("state"):
        if (
            current is not None
            and repository.pk == current.pk
            and repository.status == Repository.Status.DONE
        ):
            repository.refresh_from_db(fields=["state"])
            try:
                remap(repository)
            except PathcraftError as exc:
                warnings.append(f"{repository.name}: figures not updated ({_one_line(exc)})")
        else:
            enqueue_analysis(repository)
    return warnings


# Identities ---------------------------------------------------------------------------------------------------


CONFIRM, REJECT, ASSIGN = "confirm", "reject", "assign"


def _developer(repository: Repository, key: str) -> dict:
    for dev in (repository.report or {}).get("developers", []):
        if dev["key"] == key:
            return dev
    raise InputError("no such git identity in this repository's last analysis")


def decide_identity(
    repository: Repository, developer_key: str, decision: str, person: Person | None = None, by=None
) -> list[str]:
    """Confirm the proposed match of one git identity, reject it (they are not that person: a former
    contributor), or assign it to PERSON. Every email of the identity gets the decision; the report is rebuilt.
    Returns warnings (see identities_changed)."""
    org_id = repository.team.organisation_id
    dev = _developer(repository, developer_key)
    emails = list(dict.fromkeys(e.lower() for e in [dev["key"], *dev["emails"]] if "@" in e))
    if not emails:
        raise InputError("this identity has no email: add its name to a person's aliases instead")
    match = Rules(org_id).match(dev)
    if decision == CONFIRM:
        target = match.proposed or match.person
        if target is None:
            raise InputError("nothing to confirm: choose the person this identity is")
        method = IdentityMatch.Method.EMAIL if match.how == OWN_EMAIL else IdentityMatch.Method.NAME
        _decide(org_id, emails, dev, target, method, confirmed=True, by=by)
    elif decision == REJECT:
        target = match.person or match.proposed
        if target is None or match.how == FORMER:
            raise InputError("nothing to reject: this identity is not matched to anyone")
        _decide(org_id, emails, dev, target, IdentityMatch.Method.MANUAL, rejected=True, by=by)
    elif decision == ASSIGN:
        if person is None or person.organisation_id != org_id:
            raise InputError("choose a person of the organisation")
        _decide(org_id, emails, dev, person, IdentityMatch.Method.MANUAL, confirmed=True, by=by)
    else:
        raise InputError(f"decision must be {CONFIRM}, {REJECT} or {ASSIGN}")
    return identities_changed(org_id, current=repository)


def _decide(org_id, emails, dev, person, method, confirmed=False, rejected=False, by=None) -> None:
    with transaction.atomic():
        for email in emails:
            IdentityMatch.objects.update_or_create(
                organisation_id=org_id,
                email=email,
                defaults={"person": person, "name": dev["name"][:200], "method": method, "confirmed": confirmed,
                          "rejected": rejected, "decided_by": by, "decided_at": timezone.now()},
            )  # fmt: skip


def add_alias(person: Person, handle: str, by=None, current: Repository | None = None) -> list[str]:
    """Add an email or a name (no "@") to the person's aliases: their commits under it are theirs."""
    handle = (handle or "").strip()
    org_id = person.organisation_id
    if not handle:
        raise InputError("give an email or a name")
    if len(handle) > 200:
        raise InputError("an alias is at most 200 characters")
    if "@" in handle:
        email = handle.lower()
        if not EMAIL.match(email):
            raise InputError(f"{handle!r} is not an email address")
        owner = Person.objects.filter(organisation_id=org_id, email__iexact=email).first()
        if owner is not None and owner.pk != person.pk:
            raise InputError(f"{handle} is {owner.name}'s own email")
        if owner is not None:
            raise InputError(f"{handle} is already {person.name}'s own email")
        row = IdentityMatch.objects.filter(organisation_id=org_id, email=email).first()
        if row is not None and row.confirmed and not row.rejected:
            who = "their" if row.person_id == person.pk else f"{row.person.name}'s"
            raise InputError(f"{handle} is already one of {who} aliases")
        IdentityMatch.objects.update_or_create(
            organisation_id=org_id, email=email,
            defaults={"person": person, "method": IdentityMatch.Method.MANUAL, "confirmed": True,
                      "rejected": False, "decided_by": by, "decided_at": timezone.now()},
        )  # fmt: skip
    else:
        normalized = normalize_name(handle)
        if not normalized:
            raise InputError("give an email or a name")
        if normalized == normalize_name(person.name):
            raise InputError(f"{handle!r} is already {person.name}'s name")
        namesake = next(
            (
                p
                for p in Person.objects.filter(organisation_id=org_id)
                if normalize_name(p.name) == normalized
            ),
            None,
        )
        if namesake is not None:
            raise InputError(
                f"{handle!r} is {namesake.name}'s name: assign the git identity on its own instead"
            )
        existing = NameAlias.objects.filter(organisation_id=org_id, normalized=normalized).first()
        if existing is not None:
            who = "their" if existing.person_id == person.pk else f"{existing.person.name}'s"
            raise InputError(f"{handle!r} is already one of {who} aliases")
        NameAlias.objects.create(
            organisation_id=org_id, person=person, name=handle, normalized=normalized, created_by=by
        )
    return identities_changed(org_id, current=current)


def remove_alias(
    organisation_id: int, kind: str, alias_id: int, current: Repository | None = None
) -> list[str]:
    """Remove an email (KIND "email") or a name (KIND "name") from the alias table."""
    if kind == "email":
        deleted, _ = IdentityMatch.objects.filter(
            organisation_id=organisation_id, pk=alias_id, confirmed=True, rejected=False
        ).delete()
    elif kind == "name":
        deleted, _ = NameAlias.objects.filter(organisation_id=organisation_id, pk=alias_id).delete()
    else:
        raise InputError("an alias is an email or a name")
    if not deleted:
        raise InputError("no such alias")
    return identities_changed(organisation_id, current=current)
