"""The PATCH bodies Okta and Microsoft Entra ID send, verbatim from their documentation (ids replaced by the
ids of this test's resources), and what each must do to the person or team.

Sources:
* OKTA: Okta, "Okta and SCIM Version 2.0", developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20
  (sections "Update a specific User (PATCH)", "Update a specific Group name", "Update specific Group membership").
* ENTRA: Microsoft, "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID",
  learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups ("User operations",
  "Group operations": Update User [Multi-valued properties], [Single-valued properties], Disable User,
  Update Group [Add Members], [Remove Members]).
* ENTRA-KNOWN: Microsoft, "Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra
  user provisioning service", learn.microsoft.com/entra/identity/app-provisioning/
  application-provisioning-config-problem-scim-compatibility: the bodies before and after the aadOptscim062020
  flag (booleans as strings "False", capitalised ops, members removed by value list or by filter, several
  attributes in one value object with paths as keys), and the enterprise manager sent as a bare id.
"""

from __future__ import annotations

import pytest

from pathcraft.growth.models import ManagerChange
from pathcraft.people.models import Person, Team
from pathcraft.provisioning.tests.scim_client import ENTERPRISE, GROUP, PATCH_OP, user_body


def ops(*operations):
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


@pytest.fixture
def ids(scim, org_people):
    status, user, _ = scim.post("/Users", user_body("test.user@okta.local", externalId="00u1abcd"))
    assert status == 201, user
    status, group, _ = scim.post("/Groups", {"schemas": [GROUP], "displayName": "Test SCIMv2"})
    assert status == 201, group
    return {"user": user["id"], "group": group["id"], "manager": str(org_people["lead"].pk)}


def person(ids) -> Person:
    return Person.objects.get(pk=int(ids["user"]))


def team(ids) -> Team:
    return Team.objects.get(pk=int(ids["group"]))


# (id, source, endpoint, body given the ids, check given the ids and the response body)
USER_CASES = [
    ("okta-deactivate", "OKTA", ops({"op": "replace", "value": {"active": False}}),
     lambda i, body: not person(i).is_active and body["active"] is False),
    ("entra-disable", "ENTRA", ops({"op": "Replace", "path": "active", "value": False}),
     lambda i, body: not person(i).is_active and body["active"] is False),
    ("entra-active-string-False", "ENTRA-KNOWN", ops({"op": "Replace", "path": "active", "value": "False"}),
     lambda i, body: not person(i).is_active and body["active"] is False),
    ("entra-multi-valued", "ENTRA", ops(
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "updatedEmail@microsoft.com"},
        {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"}),
     lambda i, body: person(i).email == "updatedemail@microsoft.com" and person(i).name == "Ada updatedFamilyName"
     and body["name"]["familyName"] == "updatedFamilyName"),
    ("entra-single-valued", "ENTRA", ops(
        {"op": "Replace", "path": "userName", "value": "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"}),
     lambda i, body: body["userName"] == "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"
     and person(i).scim.user_name == body["userName"]),
    ("entra-flag-several-in-one-value", "ENTRA-KNOWN", ops({"op": "replace", "value": {
        "displayName": "Pvlo", 'emails[type eq "work"].value': "TestBcwqnm@test.microsoft.com",
        "name.givenName": "Gtfd", "name.familyName": "Pkqf", "externalId": "Eqpj",
        f"{ENTERPRISE}:employeeNumber": "Eqpj"}}),
     lambda i, body: person(i).name == "Pvlo" and person(i).email == "testbcwqnm@test.microsoft.com"
     and body["externalId"] == "Eqpj" and body[ENTERPRISE]["employeeNumber"] == "Eqpj"
     and body["name"] == {"givenName": "Gtfd", "familyName": "Pkqf"}),
    ("entra-add-without-flag", "ENTRA-KNOWN", ops({"op": "Add", "path": "nickName", "value": "Babs"}),
     lambda i, body: body["nickName"] == "Babs"),
    ("entra-add-with-flag", "ENTRA-KNOWN", ops({"op": "add", "value": {"nickName": "Babs"}}),
     lambda i, body: body["nickName"] == "Babs"),
    ("entra-manager-bare-id", "ENTRA-KNOWN", lambda i: ops(
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": i["manager"]}),
     lambda i, body: person(i).manager_id == int(i["manager"])
     and body[ENTERPRISE]["manager"]["value"] == i["manager"]
     and ManagerChange.objects.filter(report=person(i), new_manager_id=int(i["manager"])).exists()),
    ("entra-department", "ENTRA", ops({"op": "Add", "path": f"{ENTERPRISE}:department", "value": "Engineering"}),
     lambda i, body: body[ENTERPRISE]["department"] == "Engineering"),
    ("okta-title-and-name", "OKTA", ops({"op": "replace", "value": {"title": "Staff Engineer",
                                                                    "name": {"givenName": "Grace", "familyName": "Hopper"}}}),
     lambda i, body: person(i).title == "Staff Engineer" and person(i).name == "Grace Hopper"),
]  # fmt: skip

GROUP_CASES = [
    ("okta-rename", "OKTA", lambda i: ops({"op": "replace", "value": {"id": i["group"], "displayName": "Test SCIMv2 b"}}),
     lambda i, body: team(i).name == "Test SCIMv2 b" and body["displayName"] == "Test SCIMv2 b"),
    ("okta-add-members", "OKTA", lambda i: ops(
        {"op": "add", "path": "members", "value": [{"value": i["user"], "display": "test.user@okta.local"}]}),
     lambda i, body: person(i).team_id == int(i["group"]) and [m["value"] for m in body["members"]] == [i["user"]]),
    ("entra-add-members", "ENTRA", lambda i: ops(
        {"op": "Add", "path": "members", "value": [{"$ref": None, "value": i["user"]}]}),
     lambda i, body: person(i).team_id == int(i["group"])),
    ("entra-rename", "ENTRA", ops(
        {"op": "Replace", "path": "displayName", "value": "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"}),
     lambda i, body: team(i).name == "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"),
]  # fmt: skip

# Removals start from a group that has the user as a member.
REMOVE_CASES = [
    ("okta-remove-member-filter", "OKTA", lambda i: ops({"op": "remove", "path": f'members[value eq "{i["user"]}"]'})),
    ("entra-remove-members-by-value-list", "ENTRA", lambda i: ops(
        {"op": "Remove", "path": "members", "value": [{"$ref": None, "value": i["user"]}]})),
    ("entra-flag-remove-member-filter", "ENTRA-KNOWN", lambda i: ops(
        {"op": "remove", "path": f'members[value eq "{i["user"]}"]'})),
    ("okta-replace-members-empty", "OKTA", lambda i: ops({"op": "replace", "path": "members", "value": []})),
]  # fmt: skip


def _body(body, ids):
    return body(ids) if callable(body) else body


@pytest.mark.parametrize(("case", "source", "body", "check"), USER_CASES, ids=[c[0] for c in USER_CASES])
def test_user_patch(scim, ids, case, source, body, check):
    status, data, _ = scim.patch(f"/Users/{ids['user']}", _body(body, ids))
    assert status == 200, data
    assert check(ids, data), data
    assert scim.get(f"/Users/{ids['user']}")[1] == data  # what PATCH answered is what GET reads


@pytest.mark.parametrize(("case", "source", "body", "check"), GROUP_CASES, ids=[c[0] for c in GROUP_CASES])
def test_group_patch(scim, ids, case, source, body, check):
    status, data, _ = scim.patch(f"/Groups/{ids['group']}", _body(body, ids))
    assert status == 200, data
    assert check(ids, data), data


@pytest.mark.parametrize(("case", "source", "body"), REMOVE_CASES, ids=[c[0] for c in REMOVE_CASES])
def test_group_member_removal(scim, ids, org_people, case, source, body):
    other = str(org_people["dev"].pk)
    add = ops({"op": "add", "path": "members", "value": [{"value": ids["user"]}, {"value": other}]})
    assert scim.patch(f"/Groups/{ids['group']}", add)[0] == 200
    status, data, _ = scim.patch(f"/Groups/{ids['group']}", _body(body, ids))
    assert status == 200, data
    assert person(ids).team_id is None
    kept = [m["value"] for m in data.get("members", [])]
    # a value-list remove takes only those members (Entra's meaning), never the whole group as RFC's bare remove
    assert kept == ([] if case == "okta-replace-members-empty" else [other])


def test_manager_removed_ends_the_manager_one_on_one(scim, ids):
    assert scim.patch(f"/Users/{ids['user']}", ops(
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": ids["manager"]}))[0] == 200  # fmt: skip
    status, data, _ = scim.patch(
        f"/Users/{ids['user']}", ops({"op": "Remove", "path": f"{ENTERPRISE}:manager"})
    )
    assert status == 200, data
    assert person(ids).manager_id is None
    assert "manager" not in data.get(ENTERPRISE, {})


@pytest.mark.parametrize("value", ["", None], ids=["empty-string", "null"])
def test_manager_cleared_by_empty_value(scim, ids, value):
    scim.patch(
        f"/Users/{ids['user']}", ops({"op": "Add", "path": f"{ENTERPRISE}:manager", "value": ids["manager"]})
    )
    status, data, _ = scim.patch(f"/Users/{ids['user']}", ops(
        {"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": value}))  # fmt: skip
    assert status == 200, data
    assert person(ids).manager_id is None


def test_unknown_manager_is_one_clear_error(scim, ids, org_people):
    stranger = str(org_people["stranger"].pk)  # another organisation's person: not a user here
    status, data, _ = scim.patch(f"/Users/{ids['user']}", ops(
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": stranger}))  # fmt: skip
    assert status == 400 and data["scimType"] == "invalidValue"
    assert data["detail"] == f"manager {stranger} is not a user of this organisation"
    assert person(ids).manager_id is None


def test_a_new_address_moves_the_account_and_its_login_name(scim, org_people, client):
    from pathcraft.people.tests.factories import PASSWORD

    dee = org_people["dev"]
    status, data, _ = scim.patch(f"/Users/{dee.pk}", ops(
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "dee@new.example"}))  # fmt: skip
    assert status == 200, data
    dee.user.refresh_from_db()
    assert (dee.user.email, dee.user.username) == ("dee@new.example", "dee@new.example")
    assert client.login(username="dee@new.example", password=PASSWORD)
