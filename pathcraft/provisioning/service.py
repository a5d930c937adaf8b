"""The SCIM service pathcraft offers (RFC 7644): its resource types, schemas and capabilities, for scim2-server.

Users carry the enterprise extension (manager, department); Groups are teams. No bulk, no sorting, no password
change (sign-in is by the identity provider); ETags (weak, from the content) and filters are supported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import email_validator
from pydantic import EmailStr, Field
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    Email,
    EnterpriseUser,
    ETag,
    External,
    Filter,
    Group,
    Patch,
    Reference,
    Required,
    ResourceType,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    User,
)
from scim2_server.service import ScimService

from pathcraft.datafile import whole_numbers

# scim2-models checks addresses with email-validator, which refuses special-use domains. Company directories
# do use `.local` (Active Directory's old advice; Okta's own SCIM examples are `@okta.local`) and test set-ups
# `.test`: pathcraft accepts any address its directory holds, so those two are allowed here.
email_validator.SPECIAL_USE_DOMAIN_NAMES = [
    name for name in email_validator.SPECIAL_USE_DOMAIN_NAMES if name not in ("local", "test")
]

# The largest page a client gets (filter.maxResults): provisioning/data/scim.yaml, with its source.
MAX_RESULTS = whole_numbers(Path(__file__).parent / "data" / "scim.yaml", ["max_results"], "SCIM")[
    "max_results"
]

CONFIG = ServiceProviderConfig(
    patch=Patch(supported=True),
    bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
    filter=Filter(supported=True, max_results=MAX_RESULTS),
    change_password=ChangePassword(supported=False),
    sort=Sort(supported=False),
    etag=ETag(supported=True),
    authentication_schemes=[
        AuthenticationScheme(
            type=AuthenticationScheme.Type.oauthbearertoken,
            name="Bearer token",
            description="A token made by `pathcraft token create --scim`",
            spec_uri=Reference[External]("https://datatracker.ietf.org/doc/html/rfc6750"),
            primary=True,
        )
    ],
)


class PathcraftEmail(Email):
    value: Annotated[EmailStr | None, Required.true] = None


class PathcraftUser(User):
    """The core User schema with one constraint of pathcraft's published in it: an email address is required
    (people are matched at sign-in by their verified email). RFC 7643 §7 lets a provider declare it."""

    emails: Annotated[list[PathcraftEmail] | None, Required.true] = None
    # RFC 7643 §4.1.1: "in IANA Time Zone database format"; pathcraft refuses anything else. The examples tell
    # clients built on these models (scim2-tester in the tests) what a valid value looks like.
    timezone: str | None = Field(
        default=None, examples=["Europe/Berlin", "America/Los_Angeles", "Asia/Singapore"]
    )


PROVIDER = ScimProvider(
    models=[PathcraftUser, EnterpriseUser, Group],
    resource_types=[
        ResourceType.from_resource(PathcraftUser[EnterpriseUser]),
        ResourceType.from_resource(Group),
    ],
    config=CONFIG,
)


class PathcraftScimService(ScimService):
    def patch_response(self, base_url, resource, response_parameters):
        """200 with the resource, never 204: RFC 7644 §3.5.2 allows both, and Okta's and Entra's guides show the
        resource in the response to every PATCH."""
        published = self.publish(base_url, resource)
        return self.resource_response(published, Context.RESOURCE_REPLACEMENT_RESPONSE, response_parameters)


SERVICE = PathcraftScimService(PROVIDER)
MODELS = {rt.name: PROVIDER.model_for(rt.name) for rt in PROVIDER.resource_types}
