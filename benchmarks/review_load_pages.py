"""Benchmark: the review-load app's read and write paths as the number of stored review events grows.

For each event count (an organisation of --teams teams of 12, one repository each, each team reviewing its own
changes over a year) it prints, for one team's pages, in one run against a fresh SQLite file:

* events: in the whole organisation; store: `store_review_events` of the measured team's events (events / teams),
  replacing everything, then the same events again incrementally (nothing added);
* floor: reading that team's events' columns from the database (`values_list`), the least its pages must do;
* team page: the presenter behind /reviews/teams/<team>/ (identities matched, shares, Gini, trend, charts), its
  ratio to the floor, and the SQL queries one page request costs (Django's test client);
* person page: the same for /reviews/people/<id>/.

Times are the median and 95th percentile of --repeat runs (wall clock, one process). The machine is shared:
compare within one run.

    .venv/bin/python benchmarks/review_load_pages.py                 # 1,000, 10,000 and 50,000 events
    .venv/bin/python benchmarks/review_load_pages.py --events 2000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="*", default=[1000, 10000, 50000])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--teams", type=int, default=5, help="teams in the organisation (events spread over them)"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pathcraft-review-bench-"))
    os.environ["PATHCRAFT_DATABASE_URL"] = f"sqlite:///{folder / 'db.sqlite3'}"
    os.environ["PATHCRAFT_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathcraft.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    print(f"{'events':>7} {'store s':>8} {'again s':>8} {'floor ms':>9} {'team ms p50/p95':>16} {'x floor':>7} "
          f"{'queries':>7} {'person ms p50/p95':>18} {'x floor':>7} {'queries':>7}")  # fmt: skip
    for n, count in enumerate(args.events):
        run(count, args.repeat, slug=f"b{n}", teams=args.teams)


def timed(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


def run(count: int, repeat: int, slug: str, teams: int = 1) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pathcraft.code.models import Repository
    from pathcraft.people.models import Organisation, Person, Team
    from pathcraft.reviews.actions import INCREMENTAL, store_review_events
    from pathcraft.reviews.attribution import FIELDS
    from pathcraft.reviews.events import Identity, ReviewEvent
    from pathcraft.reviews.models import ReviewRecord
    from pathcraft.reviews.presenters import person_view, team_view

    org = Organisation.objects.create(name=slug, slug=slug)
    from django.contrib.auth import get_user_model

    start = datetime(2025, 12, 1, 9, tzinfo=UTC)
    per_team = count // teams
    for t in range(teams):
        team = Team.objects.create(organisation=org, slug=f"team{t}", name=f"Team {t}")
        user = get_user_model().objects.create_user(username=f"lead{t}@{slug}.test", password="x")
        lead = Person.objects.create(organisation=org, name=f"Lead {t}", email=f"lead{t}@{slug}.test", team=team,
                                     user=user)  # fmt: skip
        team.lead = lead
        team.save()
        members = [Person.objects.create(organisation=org, name=f"M {t}.{i}", email=f"m{t}.{i}@{slug}.test",
                                         team=team, manager=lead) for i in range(11)]  # fmt: skip
        people = [lead, *members]
        repo = Repository.objects.create(team=team, name="svc", path="/nowhere")
        events = []
        for i in range(per_team):
            reviewer = people[0 if i % 3 == 0 else (i * 7) % len(people)]
            author = people[(i * 5 + 1) % len(people)]
            if author is reviewer:
                author = people[(people.index(reviewer) + 1) % len(people)]
            events.append(ReviewEvent(Identity(reviewer.name, reviewer.email), Identity(author.name, author.email),
                                      start + timedelta(minutes=10 * i * 52560 // max(per_team, 1)), "reviewed-by",
                                      f"c{i}", (f"mod{i % 9}/f.py",)))  # fmt: skip
        if t < teams - 1:
            store_review_events(repo, events)
    # the last team's repository is the one measured
    t0 = time.perf_counter()
    store_review_events(repo, events)
    stored = time.perf_counter() - t0
    t0 = time.perf_counter()
    store_review_events(repo, events, INCREMENTAL)
    again = time.perf_counter() - t0
    floor = timed(lambda: list(ReviewRecord.objects.filter(repository=repo).values_list(*FIELDS)), repeat)
    team_t = timed(lambda: team_view(user, team), repeat)
    person_t = timed(lambda: person_view(user, members[0]), repeat)
    client = Client()
    client.force_login(user)
    counts = []
    for url in (f"/reviews/teams/{team.slug}/", f"/reviews/people/{members[0].pk}/"):
        client.get(url)
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        counts.append(len(seen.captured_queries))
    print(f"{count:>7} {stored:>8.2f} {again:>8.2f} {floor[0]:>9.1f} {team_t[0]:>7.1f}/{team_t[1]:<8.1f} "
          f"{team_t[0] / floor[0]:>7.1f} {counts[0]:>7} {person_t[0]:>8.1f}/{person_t[1]:<9.1f} "
          f"{person_t[0] / floor[0]:>7.1f} {counts[1]:>7}")  # fmt: skip


if __name__ == "__main__":
    main()
