"""Security headers Django 5.2 does not set itself: a strict Content-Security-Policy.

Nothing is loaded from another host; no inline script runs; the only worker is the site's own
service worker (``/sw.js``, decision 0086). Pages that need more (the API docs)
say so by setting ``response.csp`` to their own policy.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(response, "csp", DEFAULT_POLICY)
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class RefuseUnreadableInputMiddleware:
    """One gate for every parameter: a NUL character in the path, a query or a form field is
    refused with the site's 400 page before any view or database sees it (PostgreSQL cannot
    store NUL, and no person types one)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            from pyithu.core.views import bad_request

            return bad_request(request, ValueError("NUL character in the request"))
        return self.get_response(request)


def _length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    parameters = [request.GET]
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method == "POST" and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        if _length(request) <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            # Read and kept, so a view may still read the raw body after the form is parsed.
            request.body  # noqa: B018
        parameters.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for query in parameters
        for key, values in query.lists()
    )
