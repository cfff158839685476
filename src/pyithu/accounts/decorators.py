"""The one throttling rule for pages and API endpoints that look something up by a code a
person types (an exam code, a result, a certificate claim, a feedback code, a prescription).

Each such request reserves an attempt against a keyed digest of the client's address before
the view runs (decision 0071); a response below 400 gives it back, a refusal keeps it as a
failure. Past the limit the view does not run at all: the site's 429 page, or JSON for the API.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from pyithu.accounts.services import (
    Attempt,
    LoginThrottled,
    client_address,
    code_lookup_attempt,
)

# Codes carry 60-80 bits, so guessing is hopeless; the limit keeps the logs and the database
# quiet, and stays far above what a school or clinic sharing one address needs.
CODE_LOOKUPS_PER_ADDRESS = 60


def begin_code_lookup(
    request: HttpRequest, purpose: str, limit: int = CODE_LOOKUPS_PER_ADDRESS
) -> Attempt:
    """For an API endpoint: the same reservation, kept unless ``succeeded()`` is called;
    raises LoginThrottled past the limit."""
    return code_lookup_attempt(purpose, client_address(request), limit)


def counts_code_lookups(
    purpose: str, limit: int = CODE_LOOKUPS_PER_ADDRESS
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            try:
                attempt = code_lookup_attempt(purpose, client_address(request), limit)
            except LoginThrottled as exc:
                return _throttled(request, exc)
            response = view(request, *args, **kwargs)
            if _status(response) < 400:
                attempt.succeeded()
            return response

        return guarded

    return decorate


def _status(response: Any) -> int:
    if isinstance(response, tuple):  # django-ninja's (status, body)
        return int(response[0])
    return int(getattr(response, "status_code", 200))


def _throttled(request: HttpRequest, exc: LoginThrottled) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"code": "throttled", "detail": str(exc.message)}, status=429
        )
    else:
        from pyithu.core.views import too_many_tries

        response = too_many_tries(request)
    response["Retry-After"] = str(exc.retry_after)
    return response
