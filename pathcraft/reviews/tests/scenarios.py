"""Teams with review events, for the app tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pathcraft.code.models import Repository
from pathcraft.reviews.actions import store_review_events
from pathcraft.reviews.events import Identity, ReviewEvent

# Who may see Dee Dev's own review figures (small_org with Lee Lead as her manager): herself and her manager only;
# another organisation's person is not found at all. The API and the pages are held to the same table.
PERSON_VIEWERS = [("dev", 200), ("lead", 200), ("boss", 403), ("dev2", 403), ("other", 403), ("stranger", 404),
                  ("admin", 403)]  # fmt: skip
PERSON_VIEWER_IDS = ["self", "manager", "skip-level", "peer", "other-team", "stranger", "admin"]
START = datetime(2026, 9, 7, 10, 0, tzinfo=UTC)  # a Monday, 10:00 UTC


def who(person) -> Identity:
    return Identity(person.name, person.email)


def event(reviewer, author, n: int = 0, week: int = 0, paths=("core/a.py",), **extra) -> ReviewEvent:
    at = START + timedelta(weeks=week, minutes=n)
    return ReviewEvent(who(reviewer) if not isinstance(reviewer, Identity) else reviewer,
                       who(author) if not isinstance(author, Identity) else author,
                       at, extra.pop("kind", "reviewed-by"), extra.pop("change_id", f"c{week}-{n}"), tuple(paths),
                       **extra)  # fmt: skip


def repository(team, name: str = "svc") -> Repository:
    return Repository.objects.create(team=team, name=name, path=f"/nowhere/{name}")


def core_reviews(o, weeks: int = 6, name: str = "core") -> Repository:
    """In team Core (Lee Lead, Dee Dev, Dan Dev): each week Dee reviews 6 of Lee's changes, Dan 1 of Dee's, Lee 1
    of Dan's (8 a week): Dee gives 75%, far above an equal third for every week."""
    repo = repository(o["team"], name)
    events = []
    for w in range(weeks):
        events += [event(o["dev"], o["lead"], n, w) for n in range(6)]
        events.append(event(o["dev2"], o["dev"], 10, w, paths=("web/x.py",)))
        events.append(event(o["lead"], o["dev2"], 11, w, paths=("web/y.py",)))
    store_review_events(repo, events)
    return repo
