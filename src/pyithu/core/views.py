from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from pyithu.core.context_processors import FONT_COOKIE


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
