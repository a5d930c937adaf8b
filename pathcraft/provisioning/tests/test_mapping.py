"""Pure: SCIM User -> person fields, the resource as served, and PATCH bodies made standard (no database)."""

from __future__ import annotations

import pytest

from pathcraft.provisioning.mapping import (
    ENTERPRISE,
    UNSET,
    MappingError,
    clears_manager,
    normalize_patch,
    normalize_resource,
    overlay,
    person_fields,
    version_of,
)


def body(*operations):
    return {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": list(operations)}


@pytest.mark.parametrize(("data", "name", "email"), [
    ({"userName": "u", "displayName": "Dee Dev", "name": {"formatted": "D. Dev"}, "emails": [{"value": "a@x.org"}]},
     "Dee Dev", "a@x.org"),
    ({"userName": "u", "name": {"formatted": "D. Dev", "givenName": "Dee"}, "emails": [{"value": "a@x.org"}]},
     "D. Dev", "a@x.org"),
    ({"userName": "u", "name": {"givenName": "Dee", "familyName": "Dev"},
      "emails": [{"value": "home@x.org", "type": "home"}, {"value": "Work@X.org", "type": "work"}]},
     "Dee Dev", "work@x.org"),
    ({"userName": "u", "emails": [{"value": "a@x.org"}, {"value": "p@x.org", "primary": True}]}, "u", "p@x.org"),
    ({"userName": "dee@x.org"}, "dee@x.org", "dee@x.org"),
], ids=["displayName", "formatted", "work-email", "primary-email", "userName-address"])  # fmt: skip
def test_name_and_email(data, name, email):
    fields = person_fields(data)
    assert (fields.name, fields.email) == (name, email)


@pytest.mark.parametrize(("active", "expected"), [(True, True), (False, False), ("False", False), ("True", True),
                                                  ("false", False), (None, UNSET)],
                         ids=["true", "false", "False-string", "True-string", "lower", "absent"])  # fmt: skip
def test_active(active, expected):
    data = {"userName": "a@x.org", **({} if active is None else {"active": active})}
    assert person_fields(data).active == expected


def test_no_email_is_one_line():
    with pytest.raises(
        MappingError, match="^the user has no email address: send emails, or a userName that is an address$"
    ):
        person_fields({"userName": "nobody"})


@pytest.mark.parametrize(("extension", "expected"), [
    (None, UNSET), ({}, None), ({"manager": {"value": "7"}}, "7"), ({"manager": "7"}, "7"), ({"manager": {"value": ""}}, None),
], ids=["no-extension", "extension-without-manager", "complex", "bare", "empty"])  # fmt: skip
def test_manager_reference(extension, expected):
    data = {"userName": "a@x.org", **({ENTERPRISE: extension} if extension is not None else {})}
    assert person_fields(data).manager_id == expected


def test_overlay_shows_the_person_s_current_values():
    sent = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "u",
        "displayName": "Old Name",
        "emails": [{"value": "old@x.org", "type": "work", "primary": True}],
        "title": "Dev",
        "nickName": "D",
    }
    out = overlay(sent, name="New Name", email="new@x.org", active=False, title="Lead", timezone="UTC",
                  manager="9", groups=[{"value": "3", "display": "Core"}])  # fmt: skip
    assert out["displayName"] == "New Name" and out["title"] == "Lead" and out["active"] is False
    assert out["emails"][0] == {"value": "new@x.org", "type": "work", "primary": True}
    assert out[ENTERPRISE]["manager"] == {"value": "9", "$ref": "Users/9"} and ENTERPRISE in out["schemas"]
    assert out["nickName"] == "D" and "timezone" not in out  # never sent: not added
    assert sent["displayName"] == "Old Name"  # the input is not changed


def test_version_changes_with_content_only():
    a = {"id": "1", "userName": "u", "meta": {"lastModified": "x"}}
    assert version_of(a) == version_of({**a, "meta": {"lastModified": "y"}})
    assert version_of(a) != version_of({**a, "userName": "v"})


NORMALIZE = [
    ("remove-members-by-value-list",
     body({"op": "Remove", "path": "members", "value": [{"$ref": None, "value": "a1"}, {"value": "b2"}]}),
     [{"op": "remove", "path": 'members[value eq "a1"]'}, {"op": "remove", "path": 'members[value eq "b2"]'}]),
    ("manager-bare-id", body({"op": "Add", "path": f"{ENTERPRISE}:manager", "value": "m1"}),
     [{"op": "Add", "path": f"{ENTERPRISE}:manager", "value": {"value": "m1"}}]),
    ("manager-empty", body({"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": ""}),
     [{"op": "remove", "path": f"{ENTERPRISE}:manager"}]),
    ("paths-as-keys", body({"op": "replace", "value": {"displayName": "P", "name.givenName": "G"}}),
     [{"op": "replace", "value": {"displayName": "P"}}, {"op": "replace", "path": "name.givenName", "value": "G"}]),
    ("standard-unchanged", body({"op": "remove", "path": 'members[value eq "a1"]'}),
     [{"op": "remove", "path": 'members[value eq "a1"]'}]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "given", "expected"), NORMALIZE, ids=[c[0] for c in NORMALIZE])
def test_normalize_patch(case, given, expected):
    assert normalize_patch(given)["Operations"] == expected


def test_clears_manager_and_normalize_resource():
    assert clears_manager(body({"op": "remove", "path": f"{ENTERPRISE}:manager"}))
    assert clears_manager(body({"op": "remove", "path": ENTERPRISE}))
    assert not clears_manager(body({"op": "remove", "path": "title"}))
    assert normalize_resource({ENTERPRISE: {"manager": "7"}})[ENTERPRISE]["manager"] == {
        "value": "7",
        "$ref": "Users/7",
    }
    assert "manager" not in normalize_resource({ENTERPRISE: {"manager": {"value": ""}}})[ENTERPRISE]
    assert normalize_patch("not a dict") == "not a dict"
