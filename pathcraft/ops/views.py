"""`/healthz` and `/readyz`: unauthenticated, JSON, nothing personal (see ops/health.py)."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pathcraft.ops.health import readiness


@never_cache
@require_GET
def healthz(request):
    """The process answers; no database is touched (a load balancer's liveness probe)."""
    return JsonResponse({"alive": True})


@never_cache
@require_GET
def readyz(request):
    """Ready to serve: database, migrations, a live worker. 503 with the failing check otherwise."""
    report = readiness()
    return JsonResponse(report, status=200 if report["ready"] else 503)
