"""The SCIM endpoint as identity providers use it: authentication, filters, pagination, ETags, discovery,
creation and adoption of people pathcraft already has, DELETE, PUT; and that one organisation's token never
reaches another's people."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pathcraft.api.models import ApiToken, hash_token
from pathcraft.people.models import Person
from pathcraft.people.tests.factories import make_person
from pathcraft.provisioning.models import ScimToken, ScimUser
from pathcraft.provisioning.tests.scim_client import ENTERPRISE, GROUP, PATCH_OP, Scim, user_body

pytestmark = pytest.mark.django_db


def _filter(expression: str) -> str:
    from urllib.parse import quote

    return "filter=" + quote(expression)


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic Zm9vOmJhcg==", "Bearer "],
                         ids=["none", "unknown", "basic", "empty"])  # fmt: skip
def test_refused_without_a_scim_token(client, org_people, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/scim/v2/Users", **extra)
    assert response.status_code == 401
    assert response.json()["status"] == "401"
    assert response["WWW-Authenticate"].lower().startswith("bearer")


def test_an_api_token_does_not_open_scim_and_a_scim_token_does_not_open_the_api(client, org_people):
    _, api_token = ApiToken.issue(org_people["admin"], "script")
    assert Scim(client, api_token).get("/Users")[0] == 401
    _, scim_token = ScimToken.issue(org_people["org"], "idp")
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {scim_token}").status_code == 401


def test_revoked_token_is_refused_and_only_the_hash_is_stored(client, org_people):
    row, token = ScimToken.issue(org_people["org"], "idp")
    assert row.token_hash == hash_token(token) and token not in str(ScimToken.objects.values_list())
    assert Scim(client, token).get("/Users")[0] == 200
    row.revoked_at = row.created_at
    row.save()
    assert Scim(client, token).get("/Users")[0] == 401


def test_service_provider_config_needs_no_token_and_says_what_is_supported(client, db):
    data = client.get("/scim/v2/ServiceProviderConfig").json()
    assert data["patch"]["supported"] and data["filter"]["supported"] and data["etag"]["supported"]
    assert data["filter"]["maxResults"] == 200  # provisioning/data/scim.yaml
    assert not data["bulk"]["supported"] and not data["sort"]["supported"]
    assert not data["changePassword"]["supported"]
    assert data["authenticationSchemes"][0]["type"] == "oauthbearertoken"


def test_schemas_and_resource_types(scim):
    types = {t["name"]: t for t in scim.get("/ResourceTypes")[1]["Resources"]}
    assert set(types) == {"User", "Group"}
    assert types["User"]["schemaExtensions"][0]["schema"] == ENTERPRISE
    schemas = {s["id"] for s in scim.get("/Schemas")[1]["Resources"]}
    assert {"urn:ietf:params:scim:schemas:core:2.0:User", GROUP, ENTERPRISE} <= schemas


def test_another_organisations_people_are_not_found(scim, org_people):
    stranger = org_people["stranger"]
    assert scim.get(f"/Users/{stranger.pk}")[0] == 404
    assert scim.get("/Users?" + _filter(f'userName eq "{stranger.email}"'))[1]["totalResults"] == 0
    assert scim.patch(f"/Users/{stranger.pk}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "replace", "value": {"active": False}}]})[0] == 404  # fmt: skip
    assert scim.delete(f"/Users/{stranger.pk}")[0] == 404
    stranger.refresh_from_db()
    assert stranger.is_active
    ids = {r["id"] for r in scim.get("/Users?count=100")[1]["Resources"]}
    assert (
        str(stranger.pk) not in ids
        and len(ids) == Person.objects.filter(organisation=org_people["org"]).count()
    )


# Filters exactly as the providers send them: Okta "userName eq" with startIndex and count, Entra "userName eq"
# and "externalId eq", both "displayName eq" for groups (their guides' "Get User by query" / "Get Group by query").
@pytest.mark.parametrize(("query", "expected"), [
    ('userName eq "dee.dev@acme.test"', ["Dee Dev"]),
    ('userName eq "DEE.DEV@ACME.TEST"', ["Dee Dev"]),  # userName is not case-exact (RFC 7643 §4.1.1)
    ('externalId eq "00u-ada"', ["Ada Lovelace"]),
    ('externalId eq "00U-ADA"', []),  # externalId is case-exact
    ('emails.value eq "ada@acme.test"', ["Ada Lovelace"]),
    ('emails[type eq "work"].value eq "ada@acme.test"', ["Ada Lovelace"]),
    ('userName sw "dee"', ["Dee Dev"]),
    ('active eq false', []),
    ('userName eq "nobody@acme.test"', []),
], ids=["userName", "userName-case", "externalId", "externalId-case", "emails.value", "value-path", "sw",
        "active", "none"])  # fmt: skip
def test_user_filters(scim, query, expected):
    scim.post("/Users", user_body("ada@acme.test", externalId="00u-ada"))
    status, data, _ = scim.get("/Users?" + _filter(query) + "&startIndex=1&count=100")
    assert status == 200, data
    assert [
        r["displayName"]
        if "displayName" in r
        else f"{r['name']['givenName']} {r['name']['familyName']}"
        if "givenName" in r.get("name", {})
        else r["name"]["formatted"]
        for r in data["Resources"]
    ] == expected
    assert data["totalResults"] == len(expected)


@pytest.mark.parametrize("query", ['displayName eq "Core"', 'displayName eq "core"'], ids=["exact", "case"])
def test_group_filter_as_okta_and_entra_send_it(scim, org_people, query):
    data = scim.get("/Groups?" + _filter(query) + "&excludedAttributes=members")[1]
    assert data["totalResults"] == 1
    assert data["Resources"][0]["id"] == str(org_people["team"].pk)
    assert "members" not in data["Resources"][0]


def test_pagination(scim, org_people):
    org = org_people["org"]
    for n in range(7):
        make_person(org, f"Person {n:02d}", account=False)
    total = Person.objects.filter(organisation=org).count()
    seen = []
    for start in range(1, total + 1, 5):
        data = scim.get(f"/Users?startIndex={start}&count=5")[1]
        assert data["totalResults"] == total and data["startIndex"] == start
        assert data["itemsPerPage"] == len(data["Resources"]) <= 5
        seen += [r["id"] for r in data["Resources"]]
    assert len(seen) == len(set(seen)) == total
    assert (
        scim.get("/Users?count=0")[1]["Resources"] == []
        if "Resources" in scim.get("/Users?count=0")[1]
        else True
    )
    assert scim.get("/Users?count=0")[1]["totalResults"] == total


def test_etag_and_if_match(scim, org_people):
    dev = org_people["dev"]
    status, data, response = scim.get(f"/Users/{dev.pk}")
    etag = data["meta"]["version"]
    assert response["ETag"] == etag and etag.startswith('W/"')
    body = {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "path": "title", "value": "Staff"}]}
    assert scim.patch(f"/Users/{dev.pk}", body, **{"If-Match": 'W/"stale"'})[0] == 412
    dev.refresh_from_db()
    assert dev.title == ""
    status, data, _ = scim.patch(f"/Users/{dev.pk}", body, **{"If-Match": etag})
    assert status == 200 and data["title"] == "Staff" and data["meta"]["version"] != etag
    assert scim.delete(f"/Users/{dev.pk}", **{"If-Match": etag})[0] == 412  # the old version
    # a change made on a page changes the version too: the ETag is computed from what a client reads
    Person.objects.filter(pk=dev.pk).update(title="Principal")
    assert scim.get(f"/Users/{dev.pk}")[1]["meta"]["version"] != data["meta"]["version"]
    assert (
        scim.get(f"/Users/{dev.pk}", **{"If-None-Match": scim.get(f"/Users/{dev.pk}")[1]["meta"]["version"]})[
            0
        ]
        == 304
    )


def test_create_then_conflict_on_the_same_user_name(scim):
    status, data, response = scim.post(
        "/Users", user_body("ada@acme.test", title="Engineer", timezone="Europe/Berlin")
    )
    assert status == 201 and response["Location"].endswith(f"/scim/v2/Users/{data['id']}")
    person = Person.objects.get(pk=int(data["id"]))
    assert (person.name, person.email, person.title, person.timezone, person.user) == (
        "Ada Lovelace", "ada@acme.test", "Engineer", "Europe/Berlin", None)  # fmt: skip
    status, data, _ = scim.post("/Users", user_body("ADA@acme.test", email="ada2@acme.test"))
    assert status == 409 and data["scimType"] == "uniqueness"


def test_a_person_from_the_csv_import_is_adopted_not_duplicated(scim, org_people):
    dev = org_people["dev"]
    # the provider knows her as "ddev" (not her address), so its userName search finds nobody and it POSTs
    status, data, _ = scim.post("/Users", user_body("ddev", email=dev.email, given="Dee", family="Dev",
                                                    externalId="00u-dee"))  # fmt: skip
    assert status == 201, data
    assert data["id"] == str(dev.pk) and data["userName"] == "ddev"
    # a second provider record for the same address is a conflict: she is claimed now
    assert scim.post("/Users", user_body("dee2", email=dev.email))[0] == 409


def test_an_address_of_another_organisation_is_a_conflict(scim, org_people):
    status, data, _ = scim.post("/Users", user_body(org_people["stranger"].email))
    assert status == 409
    assert Person.objects.get(pk=org_people["stranger"].pk).organisation.slug == "globex"


@pytest.mark.parametrize(("body", "detail"), [
    ({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "nomail"},
     "Field 'emails' is required but value is missing, null or empty"),
    ({**user_body("tz@acme.test"), "timezone": "Mars/Olympus"}, "timezone 'Mars/Olympus' is not an IANA time zone"),
], ids=["no-email", "bad-timezone"])  # fmt: skip
def test_bad_users_are_one_clear_error(scim, body, detail):
    status, data, _ = scim.post("/Users", body)
    assert status == 400 and data["detail"] == detail
    assert not Person.objects.filter(email__in=["tz@acme.test"]).exists()


def test_put_replaces(scim, org_people):
    status, data, _ = scim.post("/Users", user_body("ada@acme.test"))
    uid = data["id"]
    body = user_body("ada@acme.test", given="Ada", family="King", title="Countess", active=True)
    body[ENTERPRISE] = {"manager": {"value": str(org_people["lead"].pk)}, "department": "Analytics"}
    body["schemas"] = [*body["schemas"], ENTERPRISE]
    status, data, _ = scim.put(f"/Users/{uid}", body)
    assert status == 200, data
    person = Person.objects.get(pk=int(uid))
    assert (person.name, person.title, person.manager) == ("Ada King", "Countess", org_people["lead"])
    assert data[ENTERPRISE]["department"] == "Analytics"


def test_delete_hides_the_user_keeps_the_person_inactive_and_a_rehire_returns(scim, org_people):
    dev = org_people["dev"]
    assert scim.delete(f"/Users/{dev.pk}")[0] == 204
    assert scim.get(f"/Users/{dev.pk}")[0] == 404
    dev.refresh_from_db()
    assert not dev.is_active and not dev.user.is_active
    assert scim.get("/Users?" + _filter(f'userName eq "{dev.email}"'))[1]["totalResults"] == 0
    status, data, _ = scim.post("/Users", user_body(dev.email, given="Dee", family="Dev"))
    assert status == 201 and data["id"] == str(dev.pk) and data["active"] is True
    dev.refresh_from_db()
    assert dev.is_active and ScimUser.objects.get(person=dev).deleted_at is None


def test_groups_are_teams_and_one_team_per_person(scim, org_people):
    dev = org_people["dev"]
    status, data, _ = scim.post("/Groups", {"schemas": [GROUP], "displayName": "Platform", "externalId": "g-1",
                                            "members": [{"value": str(dev.pk)}]})  # fmt: skip
    assert status == 201, data
    dev.refresh_from_db()
    assert dev.team.name == "Platform" and dev.team.slug == "platform"
    core = scim.get(f"/Groups/{org_people['team'].pk}")[1]
    assert str(dev.pk) not in [m["value"] for m in core["members"]]  # moved from Core
    assert scim.get(f"/Users/{dev.pk}")[1]["groups"][0]["display"] == "Platform"
    assert scim.post("/Groups", {"schemas": [GROUP], "displayName": "X", "members": [
        {"value": str(org_people["stranger"].pk)}]})[0] == 400  # fmt: skip
    assert scim.delete(f"/Groups/{data['id']}")[0] == 204
    assert scim.get(f"/Groups/{data['id']}")[0] == 404
    dev.refresh_from_db()
    assert dev.team.name == "Platform"  # the team and its history stay in pathcraft


def test_an_existing_team_is_adopted_by_its_name(scim, org_people):
    status, data, _ = scim.post("/Groups", {"schemas": [GROUP], "displayName": "Core"})
    assert status == 201 and data["id"] == str(org_people["team"].pk)


@pytest.mark.parametrize("endpoint", ["Users", "Groups"])
def test_list_query_count_does_not_grow_with_the_page(scim, org_people, endpoint):
    org = org_people["org"]

    def count(n_extra):
        for n in range(n_extra):
            make_person(org, f"Extra {endpoint} {n_extra} {n}", account=False, team=org_people["team"])
        scim.get(f"/{endpoint}?count=100")  # rows for people made since are created once
        with CaptureQueriesContext(connection) as ctx:
            assert scim.get(f"/{endpoint}?count=100")[0] == 200
        return len(ctx)

    assert count(1) == count(20)


# Create bodies verbatim from the guides (OKTA "Create the User"; ENTRA "Create User"), see test_patch_bodies.py.
CREATE_BODIES = [
    ("okta", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "test.user@okta.local",
              "name": {"givenName": "Test", "familyName": "User"},
              "emails": [{"primary": True, "value": "test.user@okta.local", "type": "work"}],
              "displayName": "Test User", "locale": "en-US", "externalId": "00ujl29u0le5T6Aj10h7", "groups": [],
              "password": "1mz050nq", "active": True},
     ("Test User", "test.user@okta.local")),
    ("entra", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
               "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
               "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1", "active": True,
               "emails": [{"primary": True, "type": "work",
                           "value": "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"}],
               "meta": {"resourceType": "User"},
               "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
               "roles": []},
     ("givenName familyName", "test_user_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com")),
]  # fmt: skip


@pytest.mark.parametrize(("provider", "body", "expected"), CREATE_BODIES, ids=[c[0] for c in CREATE_BODIES])
def test_create_bodies_of_the_guides(scim, provider, body, expected):
    status, data, _ = scim.post("/Users", body)
    assert status == 201, data
    person = Person.objects.get(pk=int(data["id"]))
    assert (person.name, person.email) == expected
    assert data["externalId"] == body["externalId"] and data["userName"] == body["userName"]
    assert "password" not in data and "password" not in ScimUser.objects.get(person=person).data


def test_search_by_post_on_an_endpoint(scim, org_people):
    status, data, _ = scim.post("/Users/.search", {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                                                   "filter": 'userName eq "dee.dev@acme.test"', "startIndex": 1,
                                                   "count": 10})  # fmt: skip
    assert status == 200 and [r["id"] for r in data["Resources"]] == [str(org_people["dev"].pk)]


def test_admin_lists_scim_tokens_without_their_hash(client, org_people):
    ScimToken.issue(org_people["org"], "okta")
    client.force_login(org_people["admin"])
    html = client.get("/admin/provisioning/scimtoken/").content.decode()
    assert "okta" in html and ScimToken.objects.get().token_hash not in html


def test_entra_feature_flag_in_the_tenant_url_is_accepted(scim):
    # Entra's tenant URL carries ?aadOptscim062020 (its "Known issues" guide), which may come back on requests.
    status, data, _ = scim.post("/Users?aadOptscim062020", user_body("flag@acme.test"))
    assert status == 201, data
    data = scim.get("/Users?aadOptscim062020&" + _filter('userName eq "flag@acme.test"'))[1]
    assert data["totalResults"] == 1


def test_another_organisations_teams_are_not_found_or_changed(scim, org_people):
    from pathcraft.people.tests.factories import make_team

    theirs = make_team(org_people["stranger"].organisation, "ops", "Ops")
    assert scim.get(f"/Groups/{theirs.pk}")[0] == 404
    assert scim.put(f"/Groups/{theirs.pk}", {"schemas": [GROUP], "displayName": "Mine now"})[0] == 404
    assert scim.delete(f"/Groups/{theirs.pk}")[0] == 404
    assert scim.get("/Groups?" + _filter('displayName eq "Ops"'))[1]["totalResults"] == 0
    # a POST with their team's name makes a team here; theirs is untouched
    status, data, _ = scim.post("/Groups", {"schemas": [GROUP], "displayName": "Ops"})
    assert status == 201 and data["id"] != str(theirs.pk)
    theirs.refresh_from_db()
    assert theirs.name == "Ops" and theirs.organisation.slug == "globex"
    assert scim.put(f"/Users/{org_people['stranger'].pk}", user_body(org_people["stranger"].email))[0] == 404
