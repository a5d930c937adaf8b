"""Every API list is a page (django-ninja's limit/offset pagination): `limit` honoured, the total right, and no
response carrying thousands of rows whatever the organisation's size."""

from __future__ import annotations

import pytest

from pathcraft.api.models import ApiToken
from pathcraft.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from pathcraft.people.models import Person
from pathcraft.people.tests.factories import make_org, make_person, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    from pathcraft.api.urls import api

    return api.get_openapi_schema()


def _ok_schema(operation, components):
    for code in ("200", 200):
        if code in operation["responses"]:
            content = operation["responses"][code].get("content", {}).get("application/json")
            if content:
                ref = content["schema"].get("$ref")
                return components[ref.rsplit("/", 1)[-1]] if ref else content["schema"]
    return None


def test_no_operation_answers_a_bare_list_every_list_is_a_page(schema):
    components = schema["components"]["schemas"]
    pages, bare = [], []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = _ok_schema(operation, components)
            if body is None:
                continue
            if body.get("type") == "array":
                bare.append(f"{method.upper()} {path}")
            elif set(body.get("properties", {})) == {"items", "count"}:
                pages.append(operation)
    assert bare == []
    assert len(pages) == 24  # every list of people, teams, requests, registers, catalogues and jobs
    for operation in pages:
        params = {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}
        assert params["limit"]["maximum"] == MAX_LIMIT and params["limit"]["default"] == DEFAULT_LIMIT
        assert params["offset"]["minimum"] == 0 and "maximum" in params["offset"]


@pytest.fixture
def big_org():
    """An organisation of MAX_LIMIT + 50 people: more than any one page may carry."""
    org = make_org()
    team = make_team(org)
    viewer = make_person(org, "Vi Viewer", team=team)
    Person.objects.bulk_create(
        Person(organisation=org, name=f"P {n:04d}", email=f"p{n:04d}@acme.test", team=team)
        for n in range(MAX_LIMIT + 49)
    )
    _, token = ApiToken.issue(viewer.user, "test")
    return {"org": org, "viewer": viewer, "headers": {"HTTP_AUTHORIZATION": f"Bearer {token}"}}


def test_a_list_without_limit_sends_one_default_page_and_the_total(client, big_org):
    body = client.get("/api/people", **big_org["headers"]).json()
    assert body["count"] == MAX_LIMIT + 50 and len(body["items"]) == DEFAULT_LIMIT


@pytest.mark.parametrize(("limit", "offset", "expected"), [(1, 0, 1), (7, 0, 7), (7, 245, 5), (MAX_LIMIT, 0, MAX_LIMIT),
                                                           (10, 250, 0)])  # fmt: skip
def test_limit_and_offset_are_honoured(client, big_org, limit, offset, expected):
    body = client.get(f"/api/people?limit={limit}&offset={offset}", **big_org["headers"]).json()
    assert len(body["items"]) == expected and body["count"] == MAX_LIMIT + 50


def test_pages_put_together_are_the_whole_list_once(client, big_org):
    seen = []
    for offset in range(0, MAX_LIMIT + 50, 60):
        seen += [
            p["id"]
            for p in client.get(f"/api/people?limit=60&offset={offset}", **big_org["headers"]).json()["items"]
        ]
    assert len(seen) == len(set(seen)) == Person.objects.filter(organisation=big_org["org"]).count()


def test_a_page_larger_than_the_maximum_is_refused(client, big_org):
    response = client.get(f"/api/people?limit={MAX_LIMIT + 1}", **big_org["headers"])
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "limit"


def test_the_total_follows_the_filter(client, big_org):
    other = make_team(big_org["org"], "edge")
    make_person(big_org["org"], "Ed Edge", team=other, account=False)
    body = client.get("/api/people?team=edge&limit=5", **big_org["headers"]).json()
    assert body["count"] == 1 and [p["name"] for p in body["items"]] == ["Ed Edge"]


def test_a_page_costs_the_same_queries_whatever_the_offset(client, big_org, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for offset in (0, 200):
        with CaptureQueriesContext(connection) as seen:
            client.get(f"/api/people?limit=50&offset={offset}", **big_org["headers"])
        counts.append(len(seen))
    assert counts[0] == counts[1]


def test_the_team_list_is_a_page_too(client, big_org):
    from pathcraft.people.models import Team

    Team.objects.bulk_create(
        Team(organisation=big_org["org"], slug=f"t{n:03d}", name=f"T {n:03d}") for n in range(250)
    )
    body = client.get("/api/teams", **big_org["headers"]).json()
    assert body["count"] == 251 and len(body["items"]) == DEFAULT_LIMIT
    last = client.get("/api/teams?limit=10&offset=245", **big_org["headers"]).json()
    assert [t["slug"] for t in last["items"]] == [f"t{n:03d}" for n in range(244, 250)]
