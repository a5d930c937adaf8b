"""A small SCIM client over Django's test client: JSON in, (status, body, headers) out."""

from __future__ import annotations

import json

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class Scim:
    def __init__(self, client, token: str | None):
        self.client = client
        self.token = token

    def __call__(self, method: str, path: str, body=None, **headers):
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if self.token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        response = getattr(self.client, method.lower())(
            "/scim/v2" + path, data=json.dumps(body) if body is not None else None,
            content_type="application/scim+json", **extra,
        )  # fmt: skip
        data = json.loads(response.content) if response.content else None
        return response.status_code, data, response

    def get(self, path, **headers):
        return self("GET", path, **headers)

    def post(self, path, body, **headers):
        return self("POST", path, body, **headers)

    def patch(self, path, body, **headers):
        return self("PATCH", path, body, **headers)

    def put(self, path, body, **headers):
        return self("PUT", path, body, **headers)

    def delete(self, path, **headers):
        return self("DELETE", path, **headers)


def user_body(user_name: str, email: str | None = None, given="Ada", family="Lovelace", **extra) -> dict:
    return {"schemas": [USER], "userName": user_name, "name": {"givenName": given, "familyName": family},
            "emails": [{"primary": True, "value": email or user_name, "type": "work"}], "active": True,
            **extra}  # fmt: skip
