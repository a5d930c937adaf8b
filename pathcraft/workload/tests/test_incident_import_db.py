"""Tool exports into the database: CLI --format, the import page (admins only), the escalation load they feed."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pathcraft.people.tests.factories import PASSWORD, make_person, small_org
from pathcraft.workload import actions, health
from pathcraft.workload.cli import workload
from pathcraft.workload.models import Incident, IncidentImport
from pathcraft.workload.tests.test_incident_formats import OPSGENIE, PAGERDUTY

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return small_org()


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_cli_imports_a_pagerduty_export_with_who_acknowledged_and_escalations(tmp_path, org):
    path = _write(tmp_path, "incidents.json", PAGERDUTY)
    result = CliRunner().invoke(workload, ["import-incidents", "--org", "acme", path])
    assert result.exit_code == 0, result.output
    assert "Imported 4 incident(s)" in result.output and "(PagerDuty)" in result.output
    assert "Sam Contractor" in result.output  # reported, not stored
    assert IncidentImport.objects.get().format == "pagerduty"
    lee = Incident.objects.get(person=org["lead"])
    assert lee.escalated and lee.acknowledged_at == dt.datetime(2026, 3, 3, 2, 32, tzinfo=dt.UTC)
    dee = list(Incident.objects.filter(person=org["dev"]).order_by("started_at"))
    assert [(d.external_id, d.acknowledged_at is not None, d.escalated) for d in dee] == [
        ("1234", False, False),
        ("1236", True, False),
    ]
    again = CliRunner().invoke(workload, ["import-incidents", "--org", "acme", "--format", "pagerduty", path])
    assert "Imported 0 incident(s)" in again.output and Incident.objects.count() == 4


def test_cli_imports_opsgenie_and_refuses_a_file_of_the_other_tool(tmp_path, org):
    path = _write(tmp_path, "alerts.json", OPSGENIE)
    wrong = CliRunner().invoke(workload, ["import-incidents", "--org", "acme", "--format", "pagerduty", path])
    assert wrong.exit_code != 0 and "looks like an Opsgenie alert export" in str(wrong.exception)
    assert not Incident.objects.exists() and not IncidentImport.objects.exists()
    result = CliRunner().invoke(workload, ["import-incidents", "--org", "acme", path])
    assert (
        result.exit_code == 0 and "Imported 4 incident(s)" in result.output and "(Opsgenie)" in result.output
    )
    assert Incident.objects.filter(escalated=True).get().person == org["lead"]


def test_cli_help_names_the_formats():
    result = CliRunner().invoke(workload, ["import-incidents", "--help"])
    assert result.exit_code == 0
    for text in ("--format", "pagerduty", "opsgenie", "log_entries", "incidents[3]"):
        assert text in result.output


def test_the_escalation_load_counts_pages_acknowledgements_escalations_and_off_hours(org):
    actions.import_incidents(org["org"], PAGERDUTY, source="pd.json")
    load = health.incident_load(health.team_of(org["lead"]))
    dee, dan, lee = org["dev"].email, org["dev2"].email, org["lead"].email
    assert (load["counts"][dee], load["off_hours"][dee], load["acknowledged"][dee], load["escalated"][dee]) == (
        2, 2, 1, 0
    )  # fmt: skip
    assert (load["counts"][dan], load["off_hours"][dan], load["acknowledged"][dan]) == (1, 0, 1)
    assert (load["counts"][lee], load["off_hours"][lee], load["escalated"][lee]) == (1, 1, 1)
    rows = {r["person"].email: r for r in health.team_health(org["lead"], dt.date(2026, 3, 9))["reports"]}
    assert (rows[dee]["escalations"], rows[dee]["acknowledged"], rows[dee]["escalated_to"]) == (2, 1, 0)


def test_import_query_count_does_not_grow_with_the_export(org):
    def queries(copies: int) -> tuple[int, int]:
        lines = ["person_email,started_at,id"]
        lines += [
            f"{org['dev'].email},2026-03-{1 + n % 28:02d}T10:{n % 60:02d}:00Z,{copies}-{n}"
            for n in range(copies)
        ]
        with CaptureQueriesContext(connection) as ctx:
            actions.import_incidents(org["org"], "\n".join(lines) + "\n", source=f"{copies}.csv")
        sql = [q["sql"] for q in ctx.captured_queries]
        inserts = sum(s.startswith('INSERT INTO "workload_incident"') for s in sql)
        return len(sql) - inserts, inserts

    small, large = queries(3), queries(300)
    assert small[0] == large[0]  # reading the roster and what is stored: the same whatever the size
    assert small[1] == 1 and large[1] <= 4  # bulk inserts: one on PostgreSQL, batches of 999 values on SQLite


def _login(client, person):
    assert client.login(username=person.email, password=PASSWORD)
    return client


def _post(client, data: bytes, name: str = "export.json", **fields):
    upload = SimpleUploadedFile(name, data, "application/json")
    return client.post(reverse("workload:import-incidents"), {"export": upload, "format": "auto", **fields})


def _make_admin(person):
    person.user.is_superuser = True
    person.user.save(update_fields=["is_superuser"])
    return person


@pytest.mark.parametrize("who", ["dev", "lead", "boss"], ids=["engineer", "manager", "skip-level"])
def test_only_an_administrator_may_import(client, org, who):
    _login(client, org[who])
    assert client.get(reverse("workload:import-incidents")).status_code == 403
    assert _post(client, PAGERDUTY).status_code == 403
    assert not Incident.objects.exists()


def test_an_admin_manager_imports_through_the_page_and_lands_on_the_team_load(client, org):
    _login(client, _make_admin(org["lead"]))
    page = client.get(reverse("workload:import-incidents"))
    assert (
        page.status_code == 200
        and b'value="opsgenie"' in page.content
        and b'value="pagerduty"' in page.content
    )
    response = _post(client, PAGERDUTY, name="incidents.json", format="pagerduty")
    assert response.status_code == 302 and response.url.endswith("/workload/team/#incidents")
    team = client.get(response.url)
    assert b"Imported 4 incident row(s) from incidents.json (PagerDuty)" in team.content
    assert b"Sam Contractor" in team.content and Incident.objects.count() == 4


def test_a_bad_export_on_the_page_lists_each_problem_and_stores_nothing(client, org):
    _login(client, _make_admin(org["lead"]))
    bad = PAGERDUTY.replace(b'"created_at": "2026-03-04T10:00:00Z"', b'"created_at": "tomorrow"', 1)
    response = _post(client, bad)
    assert response.status_code == 400
    text = response.content.decode()
    assert "1 problem(s) in the PagerDuty export; nothing was imported" in text
    assert "incidents[1] (PX9ABCD): created_at &#x27;tomorrow&#x27; is not an ISO 8601" in text
    wrong = _post(client, OPSGENIE, format="pagerduty")
    assert wrong.status_code == 400 and "looks like an Opsgenie alert export" in wrong.content.decode()
    assert not Incident.objects.exists() and not IncidentImport.objects.exists()


def test_an_admin_without_a_person_chooses_the_organisation(client, org):
    assert client.login(username="root", password=PASSWORD)
    globex = org["stranger"].organisation
    make_person(globex, "Dee Dev", email="dee.dev@globex.test", account=False)  # matched by name there
    response = _post(client, PAGERDUTY, org=str(globex.pk))
    assert response.status_code == 302
    assert set(Incident.objects.values_list("person__organisation", flat=True)) == {globex.pk}
    assert _post(client, PAGERDUTY).status_code == 400  # no organisation chosen


def test_api_import_is_for_administrators_and_lists_problems(client, org):
    def send(data: bytes, **fields):
        upload = SimpleUploadedFile("export.json", data, "application/json")
        return client.post("/api/workload/incidents", {"file": upload, **fields})

    _login(client, org["lead"])
    assert send(PAGERDUTY).status_code == 403
    _make_admin(org["lead"])
    bad = OPSGENIE.replace(b'"ackTime": 240000', b'"ackTime": "fast"')
    response = send(bad, format="opsgenie")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].endswith("1 problem(s) in the Opsgenie export; nothing was imported")
    assert body["problems"] == ["data[0] (101): report.ackTime 'fast' is not a whole number of milliseconds"]
    assert not Incident.objects.exists()
    done = send(OPSGENIE).json()
    assert (done["format"], done["rows"], done["unknown_people"]) == ("opsgenie", 4, [])


def test_person_page_shows_acknowledged_and_escalated(client, org):
    actions.import_incidents(org["org"], PAGERDUTY, source="pd.json")
    page = _login(client, org["lead"]).get(reverse("workload:index"))
    assert (
        b"1 of the team's 4, 1 outside working hours, 1 acknowledged, 1 reached by escalation" in page.content
    )


UNKNOWN = [
    ("csv", b"person_email,started_at\nzed@nowhere.test,2026-03-03T10:00:00Z\n"),
    ("pagerduty", PAGERDUTY.replace(b'"summary": "Dan Dev"', b'"summary": "Zed Nowhere"')),
    ("opsgenie", OPSGENIE.replace(b"dan.dev@acme.test", b"zed@nowhere.test")),
]


@pytest.mark.parametrize("name, data", UNKNOWN, ids=[u[0] for u in UNKNOWN])
def test_an_unknown_person_is_named_on_the_import_and_not_stored(tmp_path, org, name, data):
    path = _write(tmp_path, f"export.{name}", data)
    result = CliRunner().invoke(workload, ["import-incidents", "--org", "acme", "--format", name, path])
    assert result.exit_code == 0, result.output
    zed = "Zed Nowhere" if name == "pagerduty" else "zed@nowhere.test"
    reported = result.output.split("Not in the organisation, not stored: ")[1].strip().split(", ")
    assert zed in reported and zed in IncidentImport.objects.get().unknown_people
    assert not Incident.objects.filter(person__email="zed@nowhere.test").exists()
    assert not Incident.objects.filter(person=org["dev2"]).exists()  # Dan's pages were Zed's in this file


def test_an_admin_linked_to_a_person_cannot_import_into_another_organisation(client, org):
    _login(client, _make_admin(org["lead"]))
    globex = org["stranger"].organisation
    make_person(globex, "Dan Dev", email="dan.dev@globex.test", account=False)
    assert _post(client, PAGERDUTY, org=str(globex.pk)).status_code == 302
    assert set(Incident.objects.values_list("person__organisation", flat=True)) == {org["org"].pk}


@pytest.mark.parametrize(
    ("name", "data", "fields", "message"),
    [
        ("NUL in the export", PAGERDUTY.replace(b'"id"', b'"i\x00d"', 1), {}, "contains a NUL byte"),
        ("NUL in the file name", PAGERDUTY, {"source": "ex\x00port.json"}, "file name contains a NUL byte"),
        ("NUL in the kind", PAGERDUTY, {"default_kind": "on\x00call"}, "kind contains a NUL byte"),
        ("NUL in the time zone", PAGERDUTY, {"assume_tz": "UTC\x00"}, "time zone contains a NUL byte"),
    ],
    ids=lambda v: v if isinstance(v, str) and " " in v and "\x00" not in v else "",
)
def test_a_nul_byte_is_one_clear_error_and_nothing_is_stored(org, name, data, fields, message):
    """Found by schemathesis on PostgreSQL, whose text columns cannot hold NUL: it was a 500 from the database."""
    with pytest.raises(actions.InputError, match=message):
        actions.import_incidents(org["team"].organisation, data, **fields)
    assert not Incident.objects.exists() and not IncidentImport.objects.exists()


def test_the_api_answers_a_nul_byte_with_400_not_500(client, org):
    assert client.login(username="root", password=PASSWORD)
    upload = SimpleUploadedFile("export.json", PAGERDUTY, "application/json")
    response = client.post("/api/workload/incidents", {"file": upload, "organisation": "acme\x00"})
    assert response.status_code == 400 and "organisation" in response.json()["detail"]
    upload = SimpleUploadedFile("export.json", b"\x00" + PAGERDUTY, "application/json")
    response = client.post(
        "/api/workload/incidents", {"file": upload, "organisation": org["team"].organisation.slug}
    )
    assert response.status_code == 400 and "NUL byte" in response.json()["detail"]
    assert not Incident.objects.exists()
