"""/scim/v2/…: Django in and out around scim2-server's service; and the leavers' handover page."""

from __future__ import annotations

import json

import structlog
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from scim2_models import SCIMException, UnauthorizedException
from scim2_server.handler import ScimHandler
from scim2_server.requests import ScimRequest
from scim2_server.routing import Operation

from pathcraft.api.models import hash_token
from pathcraft.provisioning.handover import departures_for
from pathcraft.provisioning.mapping import clears_manager, normalize_patch, normalize_resource
from pathcraft.provisioning.models import ScimToken
from pathcraft.provisioning.service import MODELS, SERVICE
from pathcraft.provisioning.storage import PeopleStorage

log = structlog.get_logger(__name__)


def _token(request: ScimRequest) -> ScimToken:
    scheme, _, token = (request.header("Authorization") or "").partition(" ")
    found = None
    if scheme.lower() == "bearer" and token.strip():
        found = (
            ScimToken.objects.select_related("organisation")
            .filter(token_hash=hash_token(token.strip()), revoked_at=None)
            .first()
        )
    if found is None:
        raise UnauthorizedException(detail="a SCIM bearer token is required (pathcraft token create --scim)")
    ScimToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found


def _body(request, method: str) -> tuple[bytes, bool]:
    """The body, with a PATCH made standard; and whether that PATCH removes the manager."""
    body = request.body
    if method in ("PATCH", "POST", "PUT") and body:
        try:
            data = json.loads(body)
        except ValueError:
            return body, False  # the library answers with its own invalid-syntax error
        if method == "PATCH":
            data = normalize_patch(data)
            return json.dumps(data).encode(), clears_manager(data)
        return json.dumps(normalize_resource(data)).encode(), False
    return body, False


@csrf_exempt
def scim(request, rest: str = ""):
    method = request.method.upper()
    body, manager_cleared = _body(request, method)
    scim_request = ScimRequest(
        method=method,
        base_url=request.build_absolute_uri("/scim/v2").rstrip("/"),
        path="/" + rest.strip("/") if rest.strip("/") else "",
        query={key: request.GET.get(key) for key in request.GET},
        headers=dict(request.headers),
        body=body,
    )
    try:
        organisation = None
        if SERVICE.match(scim_request).operation is not Operation.service_provider_config:
            token = _token(scim_request)
            organisation = token.organisation
            scim_request.subject = token
        storage = PeopleStorage(organisation, MODELS)
        storage.manager_cleared = manager_cleared
        handler = ScimHandler(SERVICE, storage)
        with transaction.atomic():
            response = handler.handle(scim_request)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a SCIM error response
        if isinstance(exc, SCIMException):
            log.info("scim_refused", status=exc.status, method=method)
        else:
            log.exception("scim_failed", method=method)
        response = SERVICE.error_response(exc)
    response.headers.setdefault("Cache-Control", "no-cache")
    body = b"" if response.body is None else json.dumps(response.body).encode()
    out = HttpResponse(body, status=int(response.status))
    for key, value in response.headers.items():
        out[key] = value
    return out


@login_required
def leavers(request):
    return render(
        request, "provisioning/leavers.html", {"nav": "leavers", "rows": departures_for(request.user)}
    )
