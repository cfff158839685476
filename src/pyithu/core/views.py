from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from pyithu.core.context_processors import FONT_COOKIE
from pyithu.core.mirrors import current as current_mirrors
from pyithu.core.pages import citizen_page


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next", "/")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """A plain link (no JS, no form) that remembers the visitor's language in a cookie."""
    response = HttpResponseRedirect(_safe_next(request))
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.PRODUCTION,
        )
    return response


def toggle_font(request: HttpRequest) -> HttpResponse:
    """Switch the self-hosted Myanmar font on or off for phones whose own font is broken."""
    response = HttpResponseRedirect(_safe_next(request))
    if request.COOKIES.get(FONT_COOKIE) == "1":
        response.delete_cookie(FONT_COOKIE)
    else:
        response.set_cookie(
            FONT_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", secure=settings.PRODUCTION
        )
    return response


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@citizen_page
def mirrors(request: HttpRequest) -> HttpResponse:
    """Where to reach this service when its address is blocked (decision 0027): the hub's
    signed list, as this site holds it, with the key to check it."""
    return render(request, "core/mirrors.html", {"found": current_mirrors()})


# Error pages: the site's own look, in the reader's language, plain words and a way home.
# LocaleMiddleware has already chosen the language by the time any of these runs.


ERRORS = {
    "not_found": (
        _("Page not found"),
        _(
            "There is no page at this address. The link may be old, or the address may have a "
            "typing mistake."
        ),
    ),
    "denied": (
        _("You cannot open this page"),
        _(
            "Your account does not give access to this page. If your work needs it, ask the "
            "person who gave you your role."
        ),
    ),
    "csrf": (
        _("The form was not sent"),
        _(
            "For your safety the form was not accepted: the page was open too long, or your "
            "browser did not send this site's cookie. Go back, reload the page, and send the "
            "form again. Cookies must be allowed for this site."
        ),
    ),
    "bad_request": (
        _("The request could not be read"),
        _(
            "Something in what was sent cannot be read (for example an invisible control "
            "character). Go back, check what you typed, and send it again."
        ),
    ),
    "throttled": (
        _("Too many tries"),
        _(
            "Too many wrong codes came from your connection. Wait a few minutes, check the "
            "code on your slip or message, and try again."
        ),
    ),
    "error": (
        _("Something went wrong"),
        _("We could not show this page. It is not your fault. Please try again in a few minutes."),
    ),
}


def _error_context(kind: str) -> dict[str, object]:
    title, message = ERRORS[kind]
    return {"kind": kind, "title": title, "message": message}


def _error(request: HttpRequest, status: int, kind: str) -> HttpResponse:
    return render(request, "core/error.html", _error_context(kind), status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "not_found")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "bad_request")


def too_many_tries(request: HttpRequest) -> HttpResponse:
    return _error(request, 429, "throttled")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "denied")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(request, 403, "csrf")


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context processors: no session, user or database, which
    may be what failed."""
    html = render_to_string(
        "core/error.html", {**_error_context("error"), "site_name": settings.PYITHU_SITE_NAME}
    )
    return HttpResponseServerError(html)
