"""Liveness, readiness and metrics for load balancers and Prometheus (decision 0081)."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from pyithu.operations import metrics, readiness


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers: nothing else is touched (no database, no cache)."""
    return JsonResponse({"status": "alive"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    report = readiness.readiness()
    return JsonResponse(report, status=200 if report["ready"] else 503)


def metrics_allowed(request: HttpRequest) -> bool:
    """A bearer token (``PYITHU_METRICS_TOKEN``), or a direct connection from this machine.

    A request that came through a proxy (it carries X-Forwarded-For or X-Real-IP) is not local
    even though the proxy connects from loopback.
    """
    token = settings.PYITHU_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header[7:].strip().encode(), token.encode())
    if "X-Forwarded-For" in request.headers or "X-Real-IP" in request.headers:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponse(
            "metrics are for the monitoring server only\n", status=403, content_type="text/plain"
        )
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
