"""The JSON API: token and session authentication, the same permission core as the pages."""

from __future__ import annotations

import pytest

from pathcraft.api.models import ApiToken
from pathcraft.people.tests.factories import small_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return small_org()


def _bearer(person):
    _, token = ApiToken.issue(person.user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_requires_authentication(client, org):
    assert client.get("/api/people").status_code == 401
    assert client.get("/api/people", HTTP_AUTHORIZATION="Bearer pc_wrong").status_code == 401


def test_token_lists_the_organisation_only(client, org):
    response = client.get("/api/people", **_bearer(org["dev"]))
    assert response.status_code == 200
    names = {p["name"] for p in response.json()["items"]}
    assert "Lee Lead" in names and "Sta Stranger" not in names


def test_revoked_token_is_refused(client, org):
    token_row, token = ApiToken.issue(org["dev"].user, "old")
    from django.utils import timezone

    token_row.revoked_at = timezone.now()
    token_row.save()
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_me_and_reports(client, org):
    headers = _bearer(org["lead"])
    me = client.get("/api/me", **headers).json()
    assert me["person"]["email"] == org["lead"].email
    reports = client.get(f"/api/people/{org['lead'].pk}/reports", **headers).json()["items"]
    assert {r["name"] for r in reports} == {"Dee Dev", "Dan Dev"}


def test_stranger_gets_404_not_data(client, org):
    response = client.get(f"/api/people/{org['dev'].pk}", **_bearer(org["stranger"]))
    assert response.status_code == 404 and "Dee" not in response.content.decode()


def test_session_auth_and_docs(client, org):
    client.force_login(org["dev"].user)
    assert client.get("/api/me").json()["username"] == org["dev"].email
    schema = client.get("/api/openapi.json").json()
    assert "/api/people/{person_id}" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_api_docs_load_nothing_from_a_cdn(client, org):
    import re

    client.force_login(org["dev"].user)
    html = client.get("/api/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/") for a in assets), assets
