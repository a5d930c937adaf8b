"""`pathcraft workload ...` against the database: imports all or nothing, status as the manager sees it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pathcraft.people.tests.factories import small_org
from pathcraft.workload.cli import workload
from pathcraft.workload.models import CalendarImport, Incident
from pathcraft.workload.tests.workload_factories import busy_ics

pytestmark = pytest.mark.django_db


def test_import_calendar_and_status(tmp_path):
    org = small_org()
    path = tmp_path / "dev.ics"
    path.write_bytes(busy_ics(org["dev"].email, title="Secret acquisition status"))
    result = CliRunner().invoke(workload, ["import-calendar", "--person", org["dev"].email, str(path)])
    assert result.exit_code == 0, result.output
    assert "4 weeks" in result.output and CalendarImport.objects.count() == 1
    result = CliRunner().invoke(workload, ["status", "--manager", org["lead"].email, "--json"])
    data = json.loads(result.output)
    assert [r["person"]["name"] for r in data["reports"]] == ["Dan Dev", "Dee Dev"]
    assert "Secret acquisition" not in result.output
    assert any(s["key"] == "after_hours" for s in data["reports"][1]["signals"])


def test_import_incidents_all_or_nothing(tmp_path):
    org = small_org()
    good = tmp_path / "pd.csv"
    good.write_text(
        "assigned_to_user,created_on,resolved_on,urgency,id\n"
        f"{org['dev'].email},2026-03-03T21:00:00Z,2026-03-03T22:00:00Z,high,1\n"
        "Nobody Known,2026-03-04T10:00:00Z,,low,2\n"
    )
    result = CliRunner().invoke(workload, ["import-incidents", str(good)])
    assert "choose the organisation with --org" in str(result.exception)  # two organisations: acme, globex
    result = CliRunner().invoke(workload, ["import-incidents", "--org", "acme", str(good)])
    assert result.exit_code == 0 and "Imported 1 incident" in result.output
    assert "Nobody Known" in result.output  # reported, not stored
    again = CliRunner().invoke(workload, ["import-incidents", "--org", "acme", str(good)])
    assert "Imported 0 incident" in again.output and Incident.objects.count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"person_email,started_at\n{org['dev'].email},2026-03-03T21:00:00Z\n{org['dev'].email},yesterday\n"
    )
    result = CliRunner().invoke(workload, ["import-incidents", "--org", "acme", str(bad)])
    assert result.exit_code != 0 and "line 3" in str(result.exception)
    assert Incident.objects.count() == 1
