"""PagerDuty and Opsgenie exports as the tools' REST APIs return them (fixtures: incident_exports/README.md)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pathcraft.errors import InputError
from pathcraft.workload import incident_formats as fmt
from pathcraft.workload import incidents as inc
from pathcraft.workload import overlap as ov

EXPORTS = Path(__file__).parent / "incident_exports"
PAGERDUTY = (EXPORTS / "pagerduty_incidents.json").read_bytes()
OPSGENIE = (EXPORTS / "opsgenie_alerts.json").read_bytes()
# The people of small_org() that the fixtures name, as the directory gives their hours (UTC, 09:00-17:00, Mon-Fri).
ROSTER = [
    ov.person("Dee Dev", "UTC", "09:00-17:00", email="dee.dev@acme.test"),
    ov.person("Dan Dev", "UTC", "09:00-17:00", email="dan.dev@acme.test"),
    ov.person("Lee Lead", "UTC", "09:00-17:00", email="lee.lead@acme.test"),
]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_pagerduty_who_was_paged_who_acknowledged_when_and_escalations():
    found, rows = fmt.read_incident_export(PAGERDUTY)
    assert found == "pagerduty"
    got = [(r.line, r.id, r.person, r.started_at, r.acknowledged_at, r.escalated) for r in rows]
    assert got == [
        # #1234 resolved: only its log entries say who: Dee paged, no answer, escalated to Lee who acknowledged.
        (0, "1234", "Dee Dev", at("2026-03-03T02:15:05"), None, False),
        (0, "1234", "Lee Lead", at("2026-03-03T02:30:00"), at("2026-03-03T02:32:00"), True),
        (1, "1235", "Dan Dev", at("2026-03-04T10:00:00"), at("2026-03-04T10:05:00"), False),
        # #1236 still open: the incident's own assignments/acknowledgements (full users, with email).
        (2, "1236", "dee.dev@acme.test", at("2026-03-05T21:40:00"), at("2026-03-05T21:45:00"), False),
        (3, "1237", "Sam Contractor", at("2026-03-06T09:00:05"), None, False),
    ]
    first = rows[0]
    assert (first.ended_at, first.severity, first.service, first.kind) == (
        at("2026-03-03T03:00:00"), "high", "Database", "oncall"
    )  # fmt: skip
    assert rows[3].ended_at is None  # acknowledged, not resolved yet


def test_opsgenie_who_was_paged_who_acknowledged_when_and_escalations():
    found, rows = fmt.read_incident_export(OPSGENIE)
    assert found == "opsgenie"
    got = [(r.line, r.id, r.person, r.started_at, r.ended_at, r.acknowledged_at, r.escalated) for r in rows]
    assert got == [
        (0, "101", "dee.dev@acme.test", at("2026-03-03T01:00:01"), at("2026-03-03T01:30:00"),
         at("2026-03-03T01:04:00"), False),
        (1, "102", "dan.dev@acme.test", at("2026-03-04T14:00:01"), at("2026-03-04T15:00:00"), None, False),
        # Added as a recipient after the "Escalated to next" log: reached by escalation; acknowledged 14:12.
        (1, "102", "lee.lead@acme.test", at("2026-03-04T14:10:01"), at("2026-03-04T15:00:00"),
         at("2026-03-04T14:12:00"), True),
        (2, "103", "dan.dev@acme.test", at("2026-03-06T23:30:00"), None, None, False),  # owner only, still open
    ]  # fmt: skip
    assert rows[0].severity == "p1"


def test_opsgenie_report_ack_time_counts_when_no_recipient_acknowledged():
    doc = json.loads(OPSGENIE)
    del doc["recipients"]
    rows = fmt.parse_opsgenie(doc)
    first = rows[0]
    assert (first.person, first.acknowledged_at) == (
        "dee.dev@acme.test",
        at("2026-03-03T01:04:00"),
    )  # + 240000 ms


@pytest.mark.parametrize("name, data", [("pagerduty", PAGERDUTY), ("opsgenie", OPSGENIE)], ids=["pd", "og"])
def test_both_feed_the_same_escalation_load_with_off_hours(name, data):
    _, rows = fmt.read_incident_export(data, name)
    report = inc.incident_report(
        rows, ROSTER, manager_of={"dee.dev@acme.test": "lee", "dan.dev@acme.test": "lee"}
    )
    dee, dan, lee = (
        report.people[k] for k in ("dee.dev@acme.test", "dan.dev@acme.test", "lee.lead@acme.test")
    )
    if name == "pagerduty":
        # Dee: 02:15 and 21:40 (both outside 09-17 UTC); Dan 10:00 (inside); Lee 02:30 (outside).
        assert (dee.count, dee.off_hours, dan.count, dan.off_hours, lee.count, lee.off_hours) == (
            2,
            2,
            1,
            0,
            1,
            1,
        )
        assert report.unknown_people == ("Sam Contractor",)  # reported, never dropped
    else:
        # Dee 01:00 (outside); Dan 14:00 (inside) and Saturday 23:30 (outside); Lee 14:10 (inside).
        assert (dee.count, dee.off_hours, dan.count, dan.off_hours, lee.count, lee.off_hours) == (
            1,
            1,
            2,
            1,
            1,
            0,
        )
        assert report.unknown_people == ()
    assert report.managers["lee"].count == dee.count + dan.count


def test_detection():
    assert fmt.detect_format(PAGERDUTY) == "pagerduty"
    assert fmt.detect_format(OPSGENIE) == "opsgenie"
    assert fmt.detect_format("person_email,started_at\nx@y,2026-03-10T10:00:00Z\n") == "csv"
    found, rows = fmt.read_incident_export("person_email,started_at\nx@y,2026-03-10T10:00:00Z\n")
    assert found == "csv" and rows[0].person == "x@y" and rows[0].acknowledged_at is None


def _pd(change) -> bytes:
    doc = json.loads(PAGERDUTY)
    change(doc)
    return json.dumps(doc).encode()


def _og(change) -> bytes:
    doc = json.loads(OPSGENIE)
    change(doc)
    return json.dumps(doc).encode()


def _set(path: str, value):
    def change(doc):
        *parents, last = path.split(".")
        node = doc
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        if value is KeyError:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value

    return change


A1 = "70413a06-38d6-4c85-92b8-5ebc900d42e2"
BAD = [
    ("empty file", b"", "auto", "is empty"),
    ("blank file", b"  \n", "pagerduty", "is empty"),
    ("not json", b'{"incidents": [', "auto", "is not valid JSON"),
    ("json of neither tool", b'{"alerts": []}', "auto", "neither a PagerDuty export"),
    ("csv missing column", b"who,when\nx,y\n", "csv", "lacks required column(s) (person"),
    ("csv bad timestamp", b"person_email,started_at\nx@y,soon\n", "auto", "line 2: started_at 'soon' is not"),
    ("opsgenie given as pagerduty", OPSGENIE, "pagerduty", "looks like an Opsgenie alert export"),
    ("pagerduty given as opsgenie", PAGERDUTY, "opsgenie", "looks like a PagerDuty export"),
    ("pagerduty given as csv", PAGERDUTY, "csv", "looks like a PagerDuty export"),
    ("csv given as pagerduty", b"person_email,started_at\n", "pagerduty", "looks like a CSV file"),
    ("unknown format", PAGERDUTY, "xlsx", "unknown incident format 'xlsx'"),
    ("pd no incidents", b'{"incidents": []}', "auto", 'lists no incidents ("incidents" is empty)'),
    ("pd only log entries", b'{"log_entries": []}', "auto", 'has no "incidents" list'),
    (
        "pd missing created_at",
        _pd(_set("incidents.1.created_at", KeyError)),
        "auto",
        "incidents[1] (PX9ABCD): created_at is missing",
    ),
    (
        "pd bad timestamp",
        _pd(_set("incidents.0.created_at", "yesterday")),
        "auto",
        "incidents[0] (PT4KHLK): created_at 'yesterday' is not an ISO 8601 date-time",
    ),
    (
        "pd timestamp without offset",
        _pd(_set("incidents.0.created_at", "2026-03-03T02:15:00")),
        "auto",
        "created_at '2026-03-03T02:15:00' has no UTC offset",
    ),
    (
        "pd number as timestamp",
        _pd(_set("incidents.0.resolved_at", 1700000000)),
        "auto",
        "incidents[0] (PT4KHLK): resolved_at is int, not an ISO 8601 date-time text",
    ),
    (
        "pd resolved before created",
        _pd(_set("incidents.1.resolved_at", "2026-03-04T09:00:00Z")),
        "auto",
        "incidents[1] (PX9ABCD): resolved_at is before created_at",
    ),
    ("pd missing id", _pd(_set("incidents.2.id", KeyError)), "auto", "incidents[2]: id is missing"),
    (
        "pd log entry without incident",
        _pd(_set("log_entries.3.incident", KeyError)),
        "auto",
        "log_entries[3]: incident.id is missing",
    ),
    (
        "pd log entry bad time",
        _pd(_set("log_entries.4.created_at", "2026-13-01T00:00:00Z")),
        "auto",
        "log_entries[4]: created_at '2026-13-01T00:00:00Z' is not an ISO 8601",
    ),
    (
        "pd resolved without log entries",
        _pd(_set("log_entries", [])),
        "auto",
        "incidents[0] (PT4KHLK): names no person",
    ),
    (
        "pd assignment bad time",
        _pd(_set("incidents.2.assignments.0.at", "now")),
        "auto",
        "incidents[2] (PQ7RSTU): assignments[0].at 'now' is not",
    ),
    ("og no alerts", b'{"data": []}', "auto", 'lists no alerts ("data" is empty)'),
    (
        "og missing createdAt",
        _og(_set("data.2.createdAt", KeyError)),
        "auto",
        "data[2] (103): createdAt is missing",
    ),
    (
        "og bad createdAt",
        _og(_set("data.0.createdAt", "03/03/2026 01:00")),
        "auto",
        "data[0] (101): createdAt '03/03/2026 01:00' is not an ISO 8601",
    ),
    (
        "og bad ackTime",
        _og(_set("data.0.report.ackTime", "fast")),
        "opsgenie",
        "data[0] (101): report.ackTime 'fast' is not a whole number of milliseconds",
    ),
    (
        "og negative closeTime",
        _og(_set("data.1.report.closeTime", -5)),
        "auto",
        "data[1] (102): report.closeTime -5 is not a whole number",
    ),
    (
        "og recipient without user",
        _og(_set(f"recipients.{A1}.0.user", {})),
        "auto",
        f"recipients[{A1}][0]: user.username is missing",
    ),
    ("og nobody", _og(_set("data.2.owner", "")), "auto", "data[2] (103): names no person"),
    (
        "og recipients not a map",
        _og(_set("recipients", [])),
        "auto",
        "file: recipients must map each alert id",
    ),
]


@pytest.mark.parametrize("data, format_name, message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_is_one_clear_error_and_nothing_is_read(data, format_name, message):
    with pytest.raises(InputError) as exc:
        fmt.read_incident_export(data, format_name, source="export.json")
    assert message in str(exc.value)


def test_every_problem_is_listed_once_with_its_place():
    def two_problems(doc):
        doc["incidents"][0]["created_at"] = "soon"
        doc["incidents"][1]["resolved_at"] = "later"

    with pytest.raises(InputError) as exc:
        fmt.read_incident_export(_pd(two_problems), source="pd.json")
    assert str(exc.value).startswith("pd.json: 2 problem(s) in the PagerDuty export; nothing was imported")
    assert len(exc.value.problems) == 2
    assert exc.value.problems[0].startswith("incidents[0] (PT4KHLK): created_at 'soon'")
    assert exc.value.problems[1].startswith("incidents[1] (PX9ABCD): resolved_at 'later'")


def test_log_entries_of_incidents_not_in_the_file_are_not_read():
    def stray(doc):
        entry = copy.deepcopy(doc["log_entries"][1])
        entry["incident"]["id"] = "PNOTHERE"
        entry["user"] = {"id": "PZZZ", "type": "user_reference", "summary": "Zed"}
        doc["log_entries"].append(entry)

    rows = fmt.parse_pagerduty(json.loads(_pd(stray)))
    assert "Zed" not in {r.person for r in rows} and len(rows) == 5


def test_a_user_named_by_reference_and_by_full_user_counts_once_with_the_email():
    def both(doc):
        doc["log_entries"].append(
            {"type": "notify_log_entry", "created_at": "2026-03-05T21:41:00Z", "incident": {"id": "PQ7RSTU"},
             "user": {"id": "PDEE001", "type": "user_reference", "summary": "Dee Dev"}}
        )  # fmt: skip

    rows = [r for r in fmt.parse_pagerduty(json.loads(_pd(both))) if r.id == "1236"]
    assert [(r.person, r.started_at) for r in rows] == [("dee.dev@acme.test", at("2026-03-05T21:40:00"))]


def test_service_acknowledgers_are_not_people():
    def service_ack(doc):
        doc["incidents"][2]["acknowledgements"][0]["acknowledger"] = {
            "id": "PSVC",
            "type": "service_reference",
        }

    (row,) = [r for r in fmt.parse_pagerduty(json.loads(_pd(service_ack))) if r.id == "1236"]
    assert row.acknowledged_at is None and row.person == "dee.dev@acme.test"


def test_an_incident_whose_log_says_nobody_was_paged_carries_no_load():
    def quiet(doc):
        doc["log_entries"] = [e for e in doc["log_entries"] if e["incident"]["id"] != "PZ3WXYZ" or
                              e["type"] == "trigger_log_entry"]  # fmt: skip

    rows = fmt.parse_pagerduty(json.loads(_pd(quiet)))
    assert "1237" not in {r.id for r in rows}
