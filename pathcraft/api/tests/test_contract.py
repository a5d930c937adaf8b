"""The API contract: every input bounded (out of range is a 422 naming the field, never a 500), every error
response declared with the one Error schema, and what the schema says is what the API returns."""

from __future__ import annotations

import json

import pytest

from pathcraft.api.models import ApiToken
from pathcraft.api.types import MAX_ID
from pathcraft.people.tests.factories import small_org

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture(scope="module")
def schema():
    from pathcraft.api.urls import api

    return api.get_openapi_schema()


@pytest.fixture
def org():
    return small_org()


def _bearer(user):
    _, token = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def _unbounded(node, where, components, found):
    """Every integer with a maximum, string with a maxLength, list with maxItems and map with maxProperties."""
    if "$ref" in node:
        node = components[node["$ref"].rsplit("/", 1)[-1]]
    kind = node.get("type")
    if kind == "integer" and "maximum" not in node:
        found.append(f"{where}: integer without maximum")
    if kind == "string" and not {"maxLength", "enum", "format"} & set(node):
        found.append(f"{where}: string without maxLength")
    if kind == "array" and "maxItems" not in node:
        found.append(f"{where}: list without maxItems")
    if (
        kind == "object"
        and node.get("additionalProperties") not in (None, False)
        and "maxProperties" not in node
    ):
        found.append(f"{where}: map without maxProperties")
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in node.get(key, []):
            _unbounded(sub, where, components, found)
    if isinstance(node.get("items"), dict):
        _unbounded(node["items"], f"{where}[]", components, found)
    if isinstance(node.get("additionalProperties"), dict):
        _unbounded(node["additionalProperties"], f"{where}{{}}", components, found)
    for name, sub in node.get("properties", {}).items():
        _unbounded(sub, f"{where}.{name}", components, found)


def test_every_request_value_is_bounded(schema):
    components, found = schema["components"]["schemas"], []
    for name, operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            _unbounded(
                parameter["schema"], f"{name} {parameter['in']} {parameter['name']}", components, found
            )
        for content in operation.get("requestBody", {}).get("content", {}).values():
            _unbounded(content["schema"], f"{name} body", components, found)
    assert found == []


def test_ids_are_positive_64_bit_integers(schema):
    ids = [
        p["schema"]
        for _name, op in _operations(schema)
        for p in op.get("parameters", [])
        if p["in"] == "path" and p["name"].endswith("_id") and p["schema"]["type"] == "integer"
    ]
    assert len(ids) > 30 and all((s["minimum"], s["maximum"]) == (1, MAX_ID) for s in ids)


def test_every_operation_declares_its_errors_with_the_one_error_schema(schema):
    for name, operation in _operations(schema):
        responses = {str(code): r for code, r in operation["responses"].items()}
        errors = {code: r for code, r in responses.items() if code >= "400"}
        if operation.get("security"):
            assert "401" in errors, name
        if operation.get("parameters") or operation.get("requestBody"):
            assert "422" in errors, name
        for code, response in errors.items():
            assert response["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }, (
                name,
                code,
            )


def test_the_error_schema_is_the_shape_the_api_returns(client, org, schema):
    import jsonschema

    components = schema["components"]["schemas"]
    error = {**components["Error"], "$defs": components}
    error = json.loads(json.dumps(error).replace("#/components/schemas/", "#/$defs/"))
    headers = _bearer(org["dev"].user)
    answers = [
        client.get("/api/people"),  # 401
        client.get(f"/api/people/{org['stranger'].pk}", **headers),  # 404
        client.get("/api/ops/jobs", **headers),  # 403
        client.get("/api/people/0", **headers),  # 422
        client.get("/api/paths/people/0/fit", **headers),  # 422
    ]
    assert [a.status_code for a in answers] == [401, 404, 403, 422, 422]
    for answer in answers:
        jsonschema.validate(answer.json(), error)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"people": [-994350717427022168064]}, "people"),  # what the fuzzer sent: a 500 before
        ({"people": [MAX_ID + 1]}, "people"),
        ({"people": [0]}, "people"),
        ({"people": list(range(1, 300))}, "people"),
        ({"emails": ["a" * 250 + "@x.test"]}, "emails"),
        ({"k": 10**30}, "k"),
        ({"cycle": -1}, "cycle"),
        ({"activities": ["x" * 101]}, "activities"),
    ],
    ids=[
        "huge-negative-id",
        "past-64-bits",
        "zero-id",
        "too-many-people",
        "long-email",
        "huge-k",
        "negative-cycle",
        "long-activity",
    ],  # fmt: skip
)
def test_out_of_range_feedback_request_is_a_422_naming_the_field(client, org, body, field):
    response = client.post("/api/feedback/requests", body, content_type=JSON, **_bearer(org["dev"].user))
    assert response.status_code == 422, response.content
    assert field in {str(part) for error in response.json()["detail"] for part in error["loc"]}


@pytest.mark.parametrize(
    "url",
    [
        f"/api/people/{MAX_ID + 1}",
        "/api/people/-5",
        f"/api/paths/people/{10**25}/fit",
        f"/api/growth/people/{MAX_ID + 1}/growth",
        f"/api/code/repositories/{MAX_ID + 1}/modules",
        "/api/teams/" + "s" * 201,
        "/api/people?limit=0",
        "/api/people?limit=100000",
        f"/api/people?offset={MAX_ID + 1}",
    ],
    ids=[
        "person-id",
        "negative-id",
        "huge-fit-id",
        "growth-id",
        "repository-id",
        "long-slug",
        "limit-zero",
        "limit-huge",
        "offset-huge",
    ],  # fmt: skip
)
def test_out_of_range_path_and_query_values_are_422(client, org, url):
    response = client.get(url, **_bearer(org["dev"].user))
    assert response.status_code == 422, (url, response.status_code)
    assert response.json()["detail"][0]["loc"]


def test_a_date_overflow_is_a_400_not_a_500(client, org):
    response = client.post(
        f"/api/paths/people/{org['dev'].pk}/experiments",
        {"template": "give_talk", "start": "9999-12-30", "duration_weeks": 4},
        content_type=JSON,
        **_bearer(org["dev"].user),
    )
    assert response.status_code == 400, response.content
    assert response.json()["detail"] == "a date or number in the request is out of range"


def test_work_times_are_declared_as_returned(client, org, schema):
    declared = schema["components"]["schemas"]["PersonOut"]["properties"]
    assert declared["work_start"]["type"] == "string" and "format" not in declared["work_start"]
    person = client.get(f"/api/people/{org['dev'].pk}", **_bearer(org["dev"].user)).json()
    assert person["work_start"] == "09:00:00" and person["work_end"] == "17:00:00"


def test_me_declares_person_as_a_person_or_null_and_is_so(client, org, schema):
    import jsonschema

    components = schema["components"]["schemas"]
    me = json.loads(
        json.dumps({**components["MeOut"], "$defs": components}).replace("#/components/schemas/", "#/$defs/")
    )
    assert {"type": "null"} in components["MeOut"]["properties"]["person"]["anyOf"]
    as_person = client.get("/api/me", **_bearer(org["dev"].user)).json()
    as_admin = client.get("/api/me", **_bearer(org["admin"])).json()
    assert as_person["person"]["id"] == org["dev"].pk and as_admin["person"] is None
    for body in (as_person, as_admin):
        jsonschema.validate(body, me)


def test_schema_names_are_unique_per_shape(schema):
    """Two input schemas of one name would make ninja keep one: the code app's leave simulation and growth's
    leave of absence."""
    components = schema["components"]["schemas"]
    assert set(components["LeaveIn"]["properties"]) == {
        "person_id",
        "first_day",
        "last_day",
        "acting_lead_id",
    }
    assert set(components["LeaveSimulationIn"]["properties"]) == {"people"}
    body = schema["paths"]["/api/code/repositories/{repository_id}/leave"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/LeaveSimulationIn"}


def test_a_multipart_body_without_a_boundary_is_a_400(org):
    """Found by schemathesis's coverage phase: Django's parser raised, and the API answered 500. Straight to the
    view (as the server's first reader of the body), since the test client's middleware would read it first."""
    from django.test import RequestFactory
    from django.urls import resolve

    url = "/api/workload/me/calendar"
    request = RequestFactory().generic(
        "POST", url, b"x", content_type="multipart/form-data", **_bearer(org["dev"].user)
    )
    response = resolve(url).func(request)
    assert response.status_code == 400, response.content
    assert json.loads(response.content)["detail"].startswith("the upload could not be read")
