"""The demo: Sam's 13 reports on the dashboard (CLI --json), weeks unseen, stale questions, a dominated
spotlight register, and a leave that is not ready because of one manager-only duty."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from pathcraft.growth.cli import growth

pytestmark = pytest.mark.django_db

SAM = "sam.rivera@demo.pathcraft.test"


@pytest.fixture
def demo(db):
    from pathcraft.demo.load import load_demo

    return load_demo()


def test_status_json_shows_the_13_reports_with_their_figures(demo, tmp_path):
    from pathcraft.growth.demo import UNSEEN
    from pathcraft.people.models import Person

    result = CliRunner().invoke(growth, ["status", "--manager", SAM, "--json", "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["reports"]) == 13 and data["manager"]["email"] == SAM
    names = [r["name"] for r in data["reports"]]
    assert names == sorted(names, key=str.lower)  # listed by name, not ranked
    for row in data["reports"]:
        adherence = row["adherence"]["figure"]
        assert set(adherence) == {"numerator", "denominator", "value"} and adherence["denominator"] > 0
        assert row["adherence"]["threshold"]["source"]
        assert len(row["questions"]) == 4
    by_email = {r["email"]: r for r in data["reports"]}
    platform = Person.objects.filter(team__slug="platform", manager__email=SAM).order_by("pk")
    keys = {f"platform-{i + 1}": p.email for i, p in enumerate(platform)}
    for key, weeks in UNSEEN.items():
        row = by_email[keys[key]]
        assert row["days_since_last_one_on_one"]["flagged"] is True
        assert row["days_since_last_one_on_one"]["figure"] >= weeks * 7 - 6
    assert sum(1 for r in data["reports"] for q in r["questions"] if q["stale"]) >= 5
    team = data["team"]
    assert team["spotlight"]["enough_data"] and team["spotlight"]["flagged"]
    assert team["cost"]["hours_per_week"] == pytest.approx(8.67, abs=0.01)
    human = CliRunner().invoke(growth, ["status", "--manager", SAM, "--as-of", "2026-11-23"])
    assert human.exit_code == 0 and "13 reports" in human.output


def test_demo_leave_is_not_ready_and_ics_exports(demo, tmp_path):
    import icalendar

    from pathcraft.growth.handover import board_context
    from pathcraft.people.models import Person

    sam = Person.objects.get(email=SAM)
    checks = board_context(sam)["checks"]
    assert checks and not checks[0][1].ready
    # The one duty only Sam holds, and the deploy scripts only Sam wrote in the demo repository (code knowledge).
    assert [g.duty.name for g in checks[0][1].manager_only] == [
        "Approve production access",
        "knows platform-core: deploy/rollback.py",
        "knows platform-core: deploy/rollout.py",
    ]
    out = tmp_path / "sam.ics"
    result = CliRunner().invoke(growth, ["ics", "--manager", SAM, str(out)])
    assert result.exit_code == 0, result.output
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    events = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e]
    assert len(events) == 13 and all(e.get("RRULE") for e in events)
    assert any(e.get("EXDATE") for e in events)  # leave and cancellations are excluded dates
    assert dt.date(2026, 3, 2) <= min(e.decoded("DTSTART").date() for e in events)


def test_unknown_manager_is_a_clear_error(db):
    result = CliRunner().invoke(growth, ["status", "--manager", "nobody@x.test"])
    assert result.exit_code != 0 and "no person with the email nobody@x.test" in str(result.exception)


def test_demo_mentoring_suggests_the_dreams_conversation(demo, client):
    """Jae mentors payments-2 since five weeks ago; the life story was held, so dreams is suggested to Jae."""
    from pathcraft.demo.organisation import DEMO_PASSWORD
    from pathcraft.growth.models import Relationship

    rel = Relationship.objects.get(kind="mentor", manager__email="jae.abebe@demo.pathcraft.test")
    assert client.login(username=rel.manager.email, password=DEMO_PASSWORD)
    page = client.get(f"/growth/1on1/{rel.pk}/").content.decode()
    assert "Career conversation 2: dreams" in page
    assert "Career conversation 1" not in page
