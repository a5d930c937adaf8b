"""The one state change of review load: store a repository's review events (replace them all, or add new ones).

Idempotent: storing the same events again changes nothing, in either mode; everything happens in one transaction,
so a job that runs twice or stops half-way leaves either the old rows or the new ones."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from pathcraft.code.history import normalize_name
from pathcraft.code.models import Repository
from pathcraft.errors import InputError
from pathcraft.reviews.events import Identity, ReviewEvent
from pathcraft.reviews.forges import read_github, read_gitlab
from pathcraft.reviews.models import ReviewImport, ReviewRecord
from pathcraft.reviews.trailers import mailmapped_events, read_stored_reviews

REPLACE, INCREMENTAL = "replace", "incremental"
BATCH = 2000


def identity_key(who: Identity) -> str:
    """What names an identity for uniqueness and self-review: the email, else the forge login, else the name."""
    if who.email.strip():
        return who.email.strip().lower()
    if who.login.strip():
        return "login:" + who.login.strip().lower()
    name = normalize_name(who.name)
    if not name:
        raise InputError("a review event names nobody: its identity has no email, login or name")
    return "name:" + name


def _row(repository: Repository, event: ReviewEvent) -> ReviewRecord:
    if not isinstance(event, ReviewEvent):
        raise InputError(f"expected review events, not {type(event).__name__}")
    return ReviewRecord(
        repository=repository,
        source=event.source[:10],
        kind=event.kind,
        change_id=event.change_id[:300],
        reviewer_key=identity_key(event.reviewer)[:320],
        reviewer_name=event.reviewer.name[:200],
        reviewer_email=event.reviewer.email.strip().lower()[:320],
        reviewer_login=event.reviewer.login[:200],
        author_key=identity_key(event.author)[:320],
        author_name=event.author.name[:200],
        author_email=event.author.email.strip().lower()[:320],
        author_login=event.author.login[:200],
        at=event.at,
        requested_at=event.requested_at,
        paths=list(event.paths),
    )


def store_review_events(
    repository: Repository,
    events: Iterable[ReviewEvent],
    mode: str = REPLACE,
    head: str = "",
    source: str | None = None,
) -> ReviewImport:
    """Store EVENTS for REPOSITORY. REPLACE: they become the repository's events (those no longer reported go);
    INCREMENTAL: they are added to the stored ones, and an event already stored (same source, change, kind and
    reviewer) is kept as it is. Self-reviews (reviewer and author the same identity) are not stored. HEAD: the
    commit the events were read up to, when they come from git (the next read starts there).

    SOURCE (git, github, gitlab): the events all come from it and only its stored events are replaced, so a GitHub
    import and a re-read of git history leave each other's events alone; the git head is kept unless SOURCE is git."""
    if mode not in (REPLACE, INCREMENTAL):
        raise InputError(f"store mode must be {REPLACE!r} or {INCREMENTAL!r}, not {mode!r}")
    rows: dict[tuple, ReviewRecord] = {}
    for event in events:
        if source is not None and isinstance(event, ReviewEvent) and event.source != source:
            raise InputError(f"a {event.source} event ({event.change_id}) in an import of {source} events")
        row = _row(repository, event)
        if row.reviewer_key == row.author_key:
            continue
        rows.setdefault((row.source, row.change_id, row.kind, row.reviewer_key), row)
    with transaction.atomic():
        Repository.objects.select_for_update().filter(pk=repository.pk).first()  # one store at a time
        existing = ReviewRecord.objects.filter(repository=repository)
        if source is not None:
            existing = existing.filter(source=source)
        if mode == REPLACE:
            existing.delete()
            known: set[tuple] = set()
        else:
            known = set(existing.values_list("source", "change_id", "kind", "reviewer_key"))
        new = [row for key, row in rows.items() if key not in known]
        ReviewRecord.objects.bulk_create(new, batch_size=BATCH)
        held = ReviewRecord.objects.filter(repository=repository).count()
        defaults = {
            "stored_at": timezone.now(),
            "mode": mode,
            "events": held,
            "added": len(new),
            "head": head,
        }
        if source not in (None, "git"):
            defaults.pop("head")
        state, _ = ReviewImport.objects.update_or_create(repository=repository, defaults=defaults)
    return state


def store_from_git(repository: Repository) -> ReviewImport:
    """Read REPOSITORY's reviews from git (trailers and pull-request merges, through .mailmap, bots left out: the
    engine's read_stored_reviews) and store them: only the commits since the last read when that commit is still in
    the history (incremental), else all of them again (replace: a force-push dropped some, or .mailmap changed)."""
    state = ReviewImport.objects.filter(repository=repository).first()
    last = state.head if state is not None and state.head else None
    found = read_stored_reviews(repository.path, repository.ref or None, last)
    if found.incremental and not found.events and state is not None:
        return state
    mode = INCREMENTAL if found.incremental else REPLACE
    return store_review_events(repository, found.events, mode, head=found.head, source="git")


def import_forge_exports(
    repository: Repository, github: Iterable[str] = (), gitlab: Iterable[str] = ()
) -> dict:
    """Store the reviews of GitHub and GitLab export folders (pathcraft.reviews.forges: the files `gh api` / the
    GitLab API write) for REPOSITORY, bots' reviews left out: each source's events replace that source's stored ones,
    git's stay. Every
    folder is read before anything is stored, so a bad file stores nothing. Returns {source: events stored}."""
    read: dict[str, list[ReviewEvent]] = {}
    for source, reader, folders in (("github", read_github, github), ("gitlab", read_gitlab, gitlab)):
        for folder in folders:
            # Bots' reviews count for nobody, whatever the source (no .mailmap applies to forge logins).
            read.setdefault(source, []).extend(mailmapped_events(reader(folder), ""))
    if not read:
        raise InputError("nothing to import: give a GitHub or GitLab export folder")
    counts = {}
    with transaction.atomic():
        for source, events in read.items():
            store_review_events(repository, events, REPLACE, source=source)
            counts[source] = ReviewRecord.objects.filter(repository=repository, source=source).count()
    return counts


def after_code_analysis(repository: Repository) -> None:
    """What ReviewsConfig offers the code app: a freshly analysed repository's reviews are read and stored too."""
    store_from_git(repository)
