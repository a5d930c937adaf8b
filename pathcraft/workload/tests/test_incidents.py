"""Incident CSV exports: the generic and PagerDuty shapes, whole-file refusal, load, off-hours pages, spread."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pathcraft.errors import InputError
from pathcraft.workload import incidents as inc
from pathcraft.workload import overlap as ov

GENERIC = """person_email,started_at,ended_at,kind,severity
ana@example.com,2026-03-10T09:30:00+01:00,2026-03-10T10:00:00+01:00,escalation,sev2
ana@example.com,2026-03-11T03:00:00+01:00,2026-03-11T04:30:00+01:00,oncall,sev1
ben@example.com,2026-03-12T14:00:00Z,,support,low
"""

# The columns of PagerDuty's incident export that pathcraft reads, among others it ignores.
PAGERDUTY = """id,incident_number,description,service_name,escalation_policy_name,created_on,resolved_on,urgency,assigned_to_user,seconds_to_resolve
PT4KHLK,1234,Disk full on db-1,Database,Platform,2026-03-10T02:15:00-08:00,2026-03-10T03:00:00-08:00,high,Ana Alves,2700
PX9ABCD,1235,Latency,API,Platform,2026-03-10T11:00:00-08:00,2026-03-10T11:20:00-08:00,low,ben@example.com,1200
"""

ROSTER = [
    ov.person("Ana Alves", "Europe/Berlin", "09:00-17:00", email="ana@example.com"),
    ov.person("Ben", "America/Los_Angeles", "09:00-17:00", email="ben@example.com"),
    ov.person("Cy", "Europe/London", "09:00-17:00", email="cy@example.com"),
]


def test_generic_shape():
    rows = inc.parse_incidents_csv(GENERIC)
    assert [(r.person, r.kind, r.severity, r.line) for r in rows] == [
        ("ana@example.com", "escalation", "sev2", 2),
        ("ana@example.com", "oncall", "sev1", 3),
        ("ben@example.com", "support", "low", 4),
    ]
    assert rows[0].minutes == 30
    assert rows[2].ended_at is None and rows[2].minutes is None
    assert rows[2].started_at == datetime(2026, 3, 12, 14, tzinfo=UTC)


def test_pagerduty_shape():
    rows = inc.parse_incidents_csv(PAGERDUTY.encode("utf-8-sig"))
    assert [(r.person, r.kind, r.severity, r.id, r.service) for r in rows] == [
        ("Ana Alves", "oncall", "high", "PT4KHLK", "Database"),
        ("ben@example.com", "oncall", "low", "PX9ABCD", "API"),
    ]
    assert rows[0].minutes == 45


def test_pagerduty_api_field_names_are_accepted_too():
    text = "incident_number,title,created_at,resolved_at,urgency,assignee\n7,x,2026-03-10T10:00:00Z,,high,cy@example.com\n"
    (row,) = inc.parse_incidents_csv(text)
    assert row.person == "cy@example.com" and row.id == "7"


def test_every_bad_row_is_listed_and_nothing_is_imported():
    bad = (
        "person_email,started_at,ended_at,kind,severity\n"
        "ana@example.com,2026-03-10T09:30:00+01:00,,escalation,sev2\n"
        ",2026-03-10T09:30:00+01:00,,escalation,sev2\n"
        "ben@example.com,yesterday,,support,low\n"
        "ben@example.com,2026-03-10T09:30:00,,support,low\n"
        "ben@example.com,2026-03-10T09:30:00Z,2026-03-10T08:00:00Z,support,low\n"
        "ben@example.com,2026-03-10T09:30:00Z,,incident,low\n"
    )
    with pytest.raises(InputError, match="5 bad row") as exc:
        inc.parse_incidents_csv(bad, source="pd.csv")
    text = str(exc.value)
    assert "nothing was imported" in text
    for expected in (
        "line 3: person_email is empty",
        "line 4: started_at 'yesterday' is not an ISO 8601 date-time",
        "line 5: started_at '2026-03-10T09:30:00' has no UTC offset",
        "line 6: ended_at '2026-03-10T08:00:00Z' is before started_at",
        "line 7: kind 'incident' is not one of escalation, support, oncall",
    ):
        assert expected in text


def test_naive_times_with_the_exports_zone():
    text = "person_email,started_at\nana@example.com,2026-03-10 09:30:00\n"
    (row,) = inc.parse_incidents_csv(text, assume_tz="Europe/Berlin")
    assert row.started_at.astimezone(UTC) == datetime(2026, 3, 10, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "is empty"),
        ("who,when\nx,y\n", "lacks required column(s) (person: one of person_email"),
        ("person_email,ended_at\nx,2026-01-01T00:00:00Z\n", "started_at: one of started_at, created_on"),
        (b"person_email,started_at\n\xff,x\n", "not UTF-8"),
    ],
)
def test_whole_file_errors(text, message):
    with pytest.raises(InputError) as exc:
        inc.parse_incidents_csv(text)
    assert message in str(exc.value)


def test_unknown_default_kind():
    with pytest.raises(InputError, match="unknown kind"):
        inc.parse_incidents_csv(GENERIC, default_kind="page")


@pytest.mark.parametrize(
    "hours, days, when_utc, inside",
    [
        ("09:00-17:00", "Mon-Fri", "2026-03-10T08:30:00", True),  # 09:30 in Berlin (CET)
        ("09:00-17:00", "Mon-Fri", "2026-03-10T02:00:00", False),  # 03:00 in Berlin
        ("09:00-17:00", "Mon-Fri", "2026-03-14T10:00:00", False),  # Saturday
        ("09:00-17:00", "Mon-Fri", "2026-07-10T07:30:00", True),  # 09:30 in Berlin (CEST)
        ("22:00-06:00", "Mon-Fri", "2026-03-10T21:30:00", True),  # Tuesday 22:30, the evening of the shift
        ("22:00-06:00", "Mon-Fri", "2026-03-14T03:00:00", True),  # Saturday 04:00 ends Friday's night shift
        ("22:00-06:00", "Mon-Fri", "2026-03-15T03:00:00", False),  # Sunday 04:00: no Saturday shift
    ],
)
def test_in_working_hours(hours, days, when_utc, inside):
    p = ov.person("X", "Europe/Berlin", hours, days)
    assert inc.in_working_hours(p, datetime.fromisoformat(when_utc).replace(tzinfo=UTC)) == inside


def test_report_per_person_and_manager_with_off_hours():
    rows = inc.parse_incidents_csv(GENERIC) + inc.parse_incidents_csv(PAGERDUTY)
    report = inc.incident_report(
        rows, ROSTER, manager_of={"ana@example.com": "mia", "ben@example.com": "mia", "cy@example.com": "max"}
    )
    ana, ben, cy = (report.people[k] for k in ("ana@example.com", "ben@example.com", "cy@example.com"))
    assert (ana.count, ana.by_kind) == (3, {"escalation": 1, "oncall": 2})  # "Ana Alves" matched by name
    # Ana: 03:00 Berlin and 11:15 Berlin (02:15 in Los Angeles) -> one of three outside; 09:30 inside.
    assert ana.off_hours == 1
    # Ben in Los Angeles (PDT from 8 March): 14:00Z is 07:00 (off hours); 11:00-08:00 is 12:00 PDT (inside).
    assert ben.count == 2 and ben.off_hours == 1
    assert cy.count == 0  # on the roster, no pages: still counted for fairness
    assert report.managers["mia"].count == 5 and report.managers["max"].count == 0
    assert report.unknown_people == ()
    assert not report.spread_people.enough_data  # 5 events are too few for a Gini figure


def test_unknown_people_are_reported_not_dropped():
    rows = inc.parse_incidents_csv("person_email,started_at\nzed@example.com,2026-03-10T10:00:00Z\n")
    report = inc.incident_report(rows, ROSTER)
    assert report.unknown_people == ("zed@example.com",)
    assert report.people["zed@example.com"].count == 1


def test_spread_over_enough_events():
    lines = ["person_email,started_at"]
    lines += [f"ana@example.com,2026-03-{10 + i % 5:02d}T10:00:00Z" for i in range(9)]
    lines += ["ben@example.com,2026-03-10T18:00:00Z", "cy@example.com,2026-03-11T10:00:00Z"]
    report = inc.incident_report(inc.parse_incidents_csv("\n".join(lines) + "\n"), ROSTER)
    s = report.spread_people
    assert s.enough_data and s.top == "ana@example.com"
    assert s.top_over_fair == round(9 / (11 / 3), 2)


def test_weekly_counts():
    rows = inc.parse_incidents_csv(GENERIC)
    assert inc.weekly_counts(rows, "ANA@example.com") == {"2026-03-09": 2}
