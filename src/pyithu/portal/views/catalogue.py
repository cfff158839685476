"""The home page of the platform: the ministries, their services, search and privacy."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from pyithu.core.pages import citizen_page
from pyithu.portal.forms import FeedbackForm
from pyithu.portal.selectors import (
    MAX_QUERY_CHARS,
    active_ministries,
    active_services,
    search_catalogue,
)


@citizen_page
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"ministries": active_ministries()})


@citizen_page(example=lambda: {"slug": active_ministries()[0].slug})
@require_safe
def ministry(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(active_ministries(), slug=slug)
    return render(request, "portal/ministry.html", {"ministry": found})


@citizen_page(example=lambda: {"slug": active_services()[0].slug})
@require_safe
def service(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(active_services(), slug=slug)
    return render(
        request, "portal/service.html", {"service": found, "feedback_form": FeedbackForm()}
    )


@citizen_page
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:MAX_QUERY_CHARS].strip()
    ministries, services = search_catalogue(query)
    context = {
        "query": query,
        "ministries": ministries,
        "services": services,
        "max_query_chars": MAX_QUERY_CHARS,
    }
    return render(request, "portal/search.html", context)


@citizen_page
@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html")
