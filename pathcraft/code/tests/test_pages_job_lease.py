"""The analysis job under pathcraft's worker leases (pathcraft/ops/jobs.py): a leased job is alive however long
it runs, its attempts and progress_at are shown, a stalled one says so, a parked one shows why, on the page and
in the API."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from pathcraft.code import actions, jobs
from pathcraft.code.models import Repository
from pathcraft.code.tests.jobrows import RUNNING, job_row
from pathcraft.code.tests.scenarios import login, many_commits, org_with_lead
from pathcraft.ops import jobs as ops_jobs
from pathcraft.ops.models import JobLease

pytestmark = pytest.mark.django_db


@pytest.fixture
def o(tmp_path):
    o = org_with_lead()
    many_commits(tmp_path / "r.git", 5)
    o["repo"] = actions.register_repository(o["team"], "svc", str(tmp_path / "r.git"))
    Repository.objects.filter(pk=o["repo"].pk).update(status="running", progress=2, progress_total=5)
    o["repo"].refresh_from_db()
    yield o
    ops_jobs._in_hand.clear()


def leased(o, minutes_ago: float, progress_minutes_ago: float, attempts: int = 2, error: str = ""):
    job = job_row(o["repo"], RUNNING, started_minutes_ago=minutes_ago)
    now = timezone.now()
    JobLease.objects.create(
        result=job, attempts=attempts, worker_id="host:1:abc", lease_until=now + timedelta(seconds=30),
        progress_at=now - timedelta(minutes=progress_minutes_ago), last_error=error,
    )  # fmt: skip
    return job


def status_of(client, o):
    c = login(client, o["lead"])
    html = c.get(f"/code/repositories/{o['repo'].pk}/status/", HTTP_HX_REQUEST="true").content.decode()
    return html.replace("&#x27;", "'"), c.get(f"/api/code/repositories/{o['repo'].pk}/status").json()


def test_a_leased_job_is_alive_past_the_stale_limit_and_shows_its_attempt_and_progress(client, o):
    minutes = jobs.stale_after().total_seconds() / 60 + 5
    leased(o, minutes, progress_minutes_ago=0.1, error="attempt 1: worker h:2:x stopped renewing its lease")
    assert not jobs.check(o["repo"]).interrupted, "a live lease outranks the stale-job timeout"
    html, api = status_of(client, o)
    assert api["status"] == "running" and api["job"]["state"] == "running" and api["job"]["attempts"] == 2
    assert api["job"]["progress_at"] and api["job"]["stalled"] is False
    assert "Background job running: attempt 2 of 3, last progress at" in html
    assert "The last attempt ended: attempt 1: worker h:2:x stopped renewing its lease" in html
    assert "args" not in api["job"] and "kwargs" not in api["job"]


def test_a_job_without_progress_for_long_is_shown_as_stalled(client, o):
    stalled = ops_jobs.policy().stalled_after_seconds / 60 + 1
    leased(o, stalled + 1, progress_minutes_ago=stalled)
    html, api = status_of(client, o)
    assert api["job"]["state"] == "stalled" and api["job"]["stalled"] is True
    assert "No progress for a while: it may be stuck." in html


def test_a_parked_job_shows_its_attempts_and_error_and_the_analyse_button_again(client, o):
    job = leased(o, 5, 5, attempts=3)
    job.set_failed(RuntimeError("x"))
    JobLease.objects.filter(pk=job.pk).update(
        lease_until=None,
        parked_at=timezone.now(),
        last_error="attempt 3: worker h:9:z stopped renewing its lease",
    )
    check = jobs.check(o["repo"])
    assert check.interrupted and "stopped after 3 attempts (attempt 3: worker h:9:z" in check.reason
    html, api = status_of(client, o)
    assert api["status"] == "interrupted" and api["job"]["state"] == "parked"
    assert (
        "its job was stopped after 3 attempts" in api["error"]
        and "its job was stopped after 3 attempts" in html
    )
    assert ">Analyse again</button>" in html
    from click.testing import CliRunner

    from pathcraft.code.cli import code

    result = CliRunner().invoke(code, ["repos", "--json"])
    (row,) = json.loads(result.output)
    assert row["status"] == "interrupted" and row["job"]["state"] == "parked" and row["job"]["attempts"] == 3
    assert "stopped after 3 attempts" in row["error"]
    assert "stopped after 3 attempts" in CliRunner().invoke(code, ["repos"]).output
