"""Benchmark: reading PagerDuty and Opsgenie exports vs. the floor of merely decoding their JSON.

Generates (deterministically) a PagerDuty export of N incidents, each with its log entries (trigger, notify,
a third escalated to a second person, acknowledge, resolve), and an Opsgenie export of N alerts with recipients and
logs, shaped like the fixtures in pathcraft/workload/tests/incident_exports/. Times

* floor:     json.loads of the file (the least any reader must do);
* pathcraft: incident_formats.read_incident_export (detect, decode, validate every field, one row per person).

Times are CPU seconds of this process (time.process_time), best of --repeat.

Usage: .venv/bin/python benchmarks/incident_formats.py [--incidents 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pathcraft.workload.incident_formats import read_incident_export  # noqa: E402

START = datetime(2026, 1, 5, tzinfo=UTC)
PEOPLE = [(f"PU{n:04d}", f"Person {n}", f"person{n}@example.test") for n in range(40)]


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _user(u) -> dict:
    return {"id": u[0], "type": "user_reference", "summary": u[1]}


def pagerduty(n: int, rng: random.Random) -> bytes:
    incidents, entries = [], []
    for i in range(n):
        created = START + timedelta(minutes=rng.randrange(0, 60 * 24 * 90))
        first, second = rng.sample(PEOPLE, 2)
        iid = f"P{i:07d}"
        ref = {"id": iid, "type": "incident_reference"}
        incidents.append(
            {"id": iid, "type": "incident", "incident_number": i + 1, "title": "x", "created_at": _iso(created),
             "status": "resolved", "service": {"id": "PS", "type": "service_reference", "summary": "API"},
             "assignments": [], "resolved_at": _iso(created + timedelta(minutes=40)), "acknowledgements": [],
             "urgency": rng.choice(["high", "low"])}
        )  # fmt: skip
        entries.append({"type": "trigger_log_entry", "created_at": _iso(created), "incident": ref})
        entries.append(
            {"type": "notify_log_entry", "created_at": _iso(created), "incident": ref, "user": _user(first)}
        )
        acker = first
        if i % 3 == 0:
            at = created + timedelta(minutes=15)
            entries.append({"type": "escalate_log_entry", "created_at": _iso(at), "incident": ref,
                            "assignees": [_user(second)]})  # fmt: skip
            acker = second
        ack = created + timedelta(minutes=20)
        entries.append(
            {"type": "acknowledge_log_entry", "created_at": _iso(ack), "incident": ref, "agent": _user(acker)}
        )
        end = created + timedelta(minutes=40)
        entries.append(
            {"type": "resolve_log_entry", "created_at": _iso(end), "incident": ref, "agent": _user(acker)}
        )
    return json.dumps({"incidents": incidents, "log_entries": entries}).encode()


def opsgenie(n: int, rng: random.Random) -> bytes:
    alerts, recipients, logs = [], {}, {}
    for i in range(n):
        created = START + timedelta(minutes=rng.randrange(0, 60 * 24 * 90))
        first, second = rng.sample(PEOPLE, 2)
        aid = f"a-{i:07d}"
        alerts.append(
            {"id": aid, "tinyId": str(i), "createdAt": _iso(created), "status": "closed", "priority": "P3",
             "owner": first[2], "report": {"ackTime": 300000, "closeTime": 2400000, "acknowledgedBy": first[2]}}
        )  # fmt: skip
        recipients[aid] = [{"user": {"id": first[0], "username": first[2]}, "state": "action", "method": "Acknowledge",
                            "createdAt": _iso(created), "updatedAt": _iso(created + timedelta(minutes=5))}]  # fmt: skip
        if i % 3 == 0:
            at = created + timedelta(minutes=15)
            recipients[aid].append({"user": {"id": second[0], "username": second[2]}, "state": "notified",
                                    "method": "SMS", "createdAt": _iso(at), "updatedAt": _iso(at)})  # fmt: skip
            logs[aid] = [
                {"log": "Escalated to next", "type": "system", "createdAt": _iso(at), "offset": str(i)}
            ]
    return json.dumps({"data": alerts, "recipients": recipients, "logs": logs}).encode()


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(16)
    for name, data in (
        ("pagerduty", pagerduty(args.incidents, rng)),
        ("opsgenie", opsgenie(args.incidents, rng)),
    ):
        rows = len(read_incident_export(data)[1])
        floor = best(lambda d=data: json.loads(d), args.repeat)
        ours = best(lambda d=data: read_incident_export(d), args.repeat)
        print(
            f"{name:<10} {args.incidents} incidents, {len(data) / 1e6:.1f} MB, {rows} rows: "
            f"floor {floor:.3f} s, pathcraft {ours:.3f} s, ratio {ours / floor:.1f}x, "
            f"{args.incidents / ours:,.0f} incidents/s"
        )


if __name__ == "__main__":
    main()
