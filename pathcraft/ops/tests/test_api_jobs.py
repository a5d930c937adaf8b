"""Background jobs in the API: administrators only, no arguments or tracebacks, states filtered, bad input
answered with one clear error."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from pathcraft.api.models import ApiToken
from pathcraft.errors import InputError
from pathcraft.ops import jobs
from pathcraft.ops.tests.slow_tasks import fail_with, tally
from pathcraft.people.tests.factories import small_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    yield small_org()
    jobs._in_hand.clear()


def _bearer(user):
    _, token = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _parked(message):
    row = DBTaskResult.objects.get(pk=fail_with.enqueue(message, True).id)
    row.claim("w1")
    jobs.start_attempt(row.pk, "w1")
    row.set_failed(InputError(message))  # bad input: parked at its first failure
    jobs.finish_attempt(row.pk, "w1", 1)
    return row


@pytest.mark.parametrize("who", ["boss", "lead", "dev", "stranger"])
def test_only_an_administrator_sees_the_jobs(client, org, who):
    tally.enqueue("k")
    user = org[who].user if hasattr(org[who], "user") else org[who]
    assert client.get("/api/ops/jobs", **_bearer(user)).status_code == 403
    job_id = DBTaskResult.objects.get().pk
    assert client.get(f"/api/ops/jobs/{job_id}", **_bearer(user)).status_code == 403
    assert client.get("/api/ops/jobs").status_code == 401


def test_an_administrator_sees_state_attempts_and_error_but_no_arguments(client, org):
    tally.enqueue("alice@example.com")
    parked = _parked("calendar of alice@example.com: token=abc123 rejected")
    headers = _bearer(org["admin"])
    listed = client.get("/api/ops/jobs", **headers).json()["items"]
    assert [j["state"] for j in listed] == ["parked", "queued"]
    assert (
        listed[0]["error"]
        == "pathcraft.errors.InputError: calendar of alice@example.com: token=<hidden> rejected"
    )
    assert "abc123" not in repr(listed) and "args" not in listed[0]
    assert "alice@example.com" not in repr(listed[1]), "a queued job's arguments are not shown"
    only = client.get("/api/ops/jobs?state=parked", **headers).json()["items"]
    assert [j["id"] for j in only] == [str(parked.pk)]
    one = client.get(f"/api/ops/jobs/{parked.pk}", **headers).json()
    assert (one["state"], one["attempts"], one["max_attempts"]) == ("parked", 1, jobs.policy().max_attempts)


@pytest.mark.parametrize(
    ("url", "status", "detail"),
    [
        ("/api/ops/jobs?state=lost", 400, "unknown job state lost: use one of queued, retrying"),
        ("/api/ops/jobs?limit=0", 422, "greater than or equal to 1"),
        ("/api/ops/jobs/not-a-uuid", 404, "not found"),
        (
            "/api/ops/jobs/5f0c1e2a-7b3d-4c8e-9a61-2d4f8b0e6c13",
            404,
            "not found",
        ),  # fixed: xdist workers must collect the same ids
    ],
)
def test_bad_requests_get_one_clear_error(client, org, url, status, detail):
    response = client.get(url, **_bearer(org["admin"]))
    assert response.status_code == status and detail in str(response.json()["detail"])


def test_the_job_list_costs_the_same_queries_for_5_jobs_as_for_50(client, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = _bearer(org["admin"])

    def queries_for_list():
        with CaptureQueriesContext(connection) as seen:
            assert client.get("/api/ops/jobs?limit=100", **headers).status_code == 200
        return len(seen)

    for n in range(5):
        _parked(f"bad {n}")
    few = queries_for_list()
    for n in range(45):
        _parked(f"bad {n}")
    assert queries_for_list() == few
