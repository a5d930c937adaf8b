"""A manager change sent by SCIM takes the same path as the page's (growth.actions.change_manager): the old 1:1
ends, the new manager gets a 1:1 with the same cadence, the history waits for the report's consent."""

from __future__ import annotations

import datetime as dt

import pytest

from pathcraft.growth import actions as growth
from pathcraft.growth.models import ManagerChange, Relationship
from pathcraft.provisioning.tests.scim_client import ENTERPRISE, PATCH_OP

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", [
    lambda m: {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": m},  # Entra: a bare id
    lambda m: {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": m}},  # RFC 7643 §4.3
    lambda m: {"op": "replace", "value": {ENTERPRISE: {"manager": {"value": m}}}},  # no path
], ids=["entra-bare-id", "rfc-complex", "no-path"])  # fmt: skip
def test_scim_manager_change_goes_through_the_manager_change_flow(scim, org_people, body):
    dee, lee, lou = org_people["dev"], org_people["lead"], org_people["lead2"]
    old = growth.create_relationship(
        lee, dee, started_on=dt.date.today() - dt.timedelta(days=60), cadence="biweekly"
    )
    status, data, _ = scim.patch(
        f"/Users/{dee.pk}", {"schemas": [PATCH_OP], "Operations": [body(str(lou.pk))]}
    )
    assert status == 200, data
    dee.refresh_from_db()
    assert dee.manager == lou
    assert not Relationship.objects.get(pk=old.pk).is_active
    new = Relationship.objects.get(manager=lou, report=dee, ended_on=None)
    assert new.cadence == "biweekly"
    change = ManagerChange.objects.get(report=dee)
    assert (change.old_manager, change.new_manager, change.pending) == (lee, lou, True)
    assert data[ENTERPRISE]["manager"] == {
        "value": str(lou.pk),
        "$ref": f"http://testserver/scim/v2/Users/{lou.pk}",
    }


def test_a_loop_in_reporting_lines_is_refused_with_the_flow_s_own_sentence(scim, org_people):
    lee, dee = org_people["lead"], org_people["dev"]
    status, data, _ = scim.patch(f"/Users/{lee.pk}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": str(dee.pk)}]})  # fmt: skip
    assert status == 400
    assert data["detail"] == "Dee Dev reports to Lee Lead: that would make a loop in the reporting lines"
    lee.refresh_from_db()
    assert lee.manager == org_people["boss"]


@pytest.mark.parametrize("reference", ["lou.lead@acme.test", "LOU.LEAD@ACME.TEST", "00u-lou"],
                         ids=["login", "login-case", "externalId"])  # fmt: skip
def test_okta_style_manager_value_is_resolved_by_login_or_external_id(scim, org_people, reference):
    lou = org_people["lead2"]
    assert (
        scim.put(f"/Users/{lou.pk}", {**scim.get(f"/Users/{lou.pk}")[1], "externalId": "00u-lou"})[0] == 200
    )
    dee = org_people["dev"]
    status, data, _ = scim.patch(f"/Users/{dee.pk}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": reference}}]})  # fmt: skip
    assert status == 200, data
    dee.refresh_from_db()
    assert dee.manager == lou and data[ENTERPRISE]["manager"]["value"] == str(lou.pk)
