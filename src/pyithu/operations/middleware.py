"""One line per request and the request metrics, with no personal data.

A log line holds the method, the route *name* (``education:exam_question``, never the path: paths
carry codes and ids), the status, the time taken and a keyed digest of the client's address that
changes every day (a burst from one address can be followed within a day; the address cannot be
read back, nor followed across days). No query string, no handle, no user agent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from pyithu.accounts.services import client_address
from pyithu.core import sealing
from pyithu.operations import metrics

logger = logging.getLogger("pyithu.request")

# Probes and scrapes would drown the log and the figures: counted, never logged.
QUIET_ROUTES = {"operations:healthz", "operations:readyz", "operations:metrics", "core:health"}


def route_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"


def client_digest(request: HttpRequest) -> str:
    address = client_address(request) or "-"
    return sealing.digest("request-client", f"{timezone.now().date()}\n{address}")[:16]


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        try:
            self.record(request, response, seconds)
        except Exception:  # a full disk or a missing key file must not turn answers into 500s
            logger.warning("request not recorded", exc_info=True)
        return response

    def record(self, request: HttpRequest, response: HttpResponse, seconds: float) -> None:
        route = route_name(request)
        metrics.observe_request(route, request.method or "", response.status_code, seconds)
        if route not in QUIET_ROUTES and logger.isEnabledFor(logging.INFO):
            logger.info(
                "%s %s %d %.1fms client=%s",
                request.method,
                route,
                response.status_code,
                seconds * 1000,
                client_digest(request),
            )
