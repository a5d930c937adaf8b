import pytest

from pathcraft.people.tests.factories import small_org
from pathcraft.provisioning.models import ScimToken
from pathcraft.provisioning.tests.scim_client import Scim


@pytest.fixture
def org_people(db):
    return small_org()


@pytest.fixture
def scim(client, org_people):
    _, token = ScimToken.issue(org_people["org"], "test")
    return Scim(client, token)
