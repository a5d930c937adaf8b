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
from pathcraft.reviews.models import ReviewImport, ReviewRecord
from pathcraft.reviews.trailers import read_stored_reviews

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
    repository: Repository, events: Iterable[ReviewEvent], mode: str = REPLACE, head: str = ""
) -> ReviewImport:
    """Store EVENTS for REPOSITORY. REPLACE: they become the repository's events (those no longer reported go);
    INCREMENTAL: they are added to the stored ones, and an event already stored (same source, change, kind and
    reviewer) is kept as it is. Self-reviews (reviewer and author the same identity) are not stored. HEAD: the
    commit the events were read up to, when they come from git (the next read starts there)."""
    if mode not in (REPLACE, INCREMENTAL):
        raise InputError(f"store mode must be {REPLACE!r} or {INCREMENTAL!r}, not {mode!r}")
    rows: dict[tuple, ReviewRecord] = {}
    for event in events:
        row = _row(repository, event)
        if row.reviewer_key == row.author_key:
            continue
        rows.setdefault((row.source, row.change_id, row.kind, row.reviewer_key), row)
    with transaction.atomic():
        Repository.objects.select_for_update().filter(pk=repository.pk).first()  # one store at a time
        existing = ReviewRecord.objects.filter(repository=repository)
        if mode == REPLACE:
            existing.delete()
            known: set[tuple] = set()
        else:
            known = set(existing.values_list("source", "change_id", "kind", "reviewer_key"))
        new = [row for key, row in rows.items() if key not in known]
        ReviewRecord.objects.bulk_create(new, batch_size=BATCH)
        held = ReviewRecord.objects.filter(repository=repository).count()
        state, _ = ReviewImport.objects.update_or_create(
            repository=repository,
            defaults={
                "stored_at": timezone.now(),
                "mode": mode,
                "events": held,
                "added": len(new),
                "head": head,
            },
        )
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
    return store_review_events(repository, found.events, mode, head=found.head)


def after_code_analysis(repository: Repository) -> None:
    """What ReviewsConfig offers the code app: a freshly analysed repository's reviews are read and stored too."""
    store_from_git(repository)
