"""Benchmark: SCIM list and filter requests of an organisation of N people, against the floor of reading the same
rows with the ORM.

Makes a throw-away SQLite database, N people in teams of 8 with managers, then times in-process (Django's test
client, so no network):

* floor:        list(ScimUser rows of one page, with person and team joined)   — what any page must read;
* list page:    GET /scim/v2/Users?startIndex=1&count=C                         — rows -> SCIM resources -> JSON;
* filter eq:    GET /scim/v2/Users?filter=userName eq "…"                       — what Okta and Entra send per user;
* groups page:  GET /scim/v2/Groups?count=C

and prints p50/p95 in ms, the ratio of the list page to the floor, and the SQL queries per request (which must not
grow with C: see test_list_query_count_does_not_grow_with_the_page).

Usage: .venv/bin/python benchmarks/scim_list.py [--people 2000] [--count 200] [--repeat 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="scim-bench-")
    os.environ.update({"PATHCRAFT_DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "PATHCRAFT_DATA_DIR": folder,
                       "DJANGO_SETTINGS_MODULE": "pathcraft.settings", "PATHCRAFT_JSON_LOGS": "0",
                       "PATHCRAFT_ALLOWED_HOSTS": "testserver"})  # fmt: skip
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pathcraft.people.models import Organisation, Person, Team
    from pathcraft.provisioning.models import ScimToken, ScimUser

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Bench", slug="bench")
    teams = Team.objects.bulk_create(
        [Team(organisation=org, name=f"Team {i}", slug=f"team-{i}") for i in range(args.people // 8 + 1)]
    )
    people = Person.objects.bulk_create(
        [Person(organisation=org, name=f"Person {i:05d}", email=f"p{i:05d}@bench.example", team=teams[i // 8])
         for i in range(args.people)]
    )  # fmt: skip
    for i, person in enumerate(people):
        if i % 8:
            person.manager = people[i - i % 8]
    Person.objects.bulk_update(people, ["manager"])
    _, token = ScimToken.issue(org, "bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get("/scim/v2/Users?count=1")  # creates the SCIM rows of everyone once, warms imports

    def timed(fn) -> list[float]:
        out = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            fn()
            out.append((time.perf_counter() - start) * 1000)
        return out

    def floor():
        rows = ScimUser.objects.filter(person__organisation=org, deleted_at=None).select_related(
            "person__team__scim"
        )
        list(rows.order_by("person_id")[: args.count])

    def request(url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, response.content[:300]

        return run

    cases = [
        ("floor (ORM rows of a page)", floor, None),
        (f"GET /Users count={args.count}", request(f"/scim/v2/Users?startIndex=1&count={args.count}"), True),
        ('GET /Users filter userName eq', request('/scim/v2/Users?filter=userName%20eq%20%22p01000@bench.example%22'),
         True),
        (f"GET /Groups count={args.count}", request(f"/scim/v2/Groups?count={args.count}"), True),
    ]  # fmt: skip
    print(f"{args.people} people, {len(teams)} teams, page of {args.count}, {args.repeat} runs each")
    base = None
    for label, fn, is_request in cases:
        times = timed(fn)
        queries = ""
        if is_request:
            with CaptureQueriesContext(connection) as ctx:
                fn()
            queries = f"{len(ctx)} queries"
        p50, p95 = statistics.median(times), sorted(times)[int(len(times) * 0.95) - 1]
        base = base or p50
        print(f"{label:<34} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  x{p50 / base:6.1f} floor  {queries}")


if __name__ == "__main__":
    main()
