"""The JSON API root: each app contributes a ninja Router from its own api.py."""

from __future__ import annotations

import importlib

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.urls import path
from ninja import NinjaAPI

from pathcraft.api.auth import API_AUTH
from pathcraft.api.types import declare_framework_errors
from pathcraft.errors import PathcraftError

# module, URL prefix
ROUTER_MODULES = [
    ("pathcraft.people.api", "/"),
    ("pathcraft.paths.api", "/paths/"),
    ("pathcraft.feedback.api", "/feedback/"),
    ("pathcraft.workload.api", "/workload/"),
    ("pathcraft.code.api", "/code/"),
    ("pathcraft.reviews.api", "/reviews/"),
    ("pathcraft.growth.api", "/growth/"),
    ("pathcraft.ops.api", "/ops/"),
]

api = NinjaAPI(
    title="pathcraft API",
    version="1",
    description="Every endpoint applies the same permission core as the pages. "
    "Authenticate with a session or `Authorization: Bearer <token>` (create one with `pathcraft token create`).",
    auth=API_AUTH,
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "not found"}, status=404)


@api.exception_handler(MultiPartParserError)
def _bad_upload(request, exc):
    # A multipart body without a boundary (or cut short) is the client's mistake, not the server's.
    return api.create_response(request, {"detail": f"the upload could not be read: {exc}"}, status=400)


@api.exception_handler(OverflowError)
def _out_of_range(request, exc):
    # A date past 9999-12-31 (a start plus a duration, say): the input is wrong, not the server.
    return api.create_response(
        request, {"detail": "a date or number in the request is out of range"}, status=400
    )


@api.exception_handler(PathcraftError)
def _user_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


for module_name, prefix in ROUTER_MODULES:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            continue
        raise
    api.add_router(prefix, module.router)

declare_framework_errors(api)

urlpatterns = [path("", api.urls)]
