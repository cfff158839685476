"""The public reach and shutdown dashboard, and the operators' shutdown import."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from pyithu.accounts.models import Role
from pyithu.core.pages import citizen_page
from pyithu.geo.maps import township_dot_map
from pyithu.portal.forms import ShutdownImportForm
from pyithu.portal.models import Service
from pyithu.portal.selectors import active_services
from pyithu.portal.selectors import reach as selectors
from pyithu.portal.services.shutdowns import import_shutdowns
from pyithu.portal.views.common import posted, render_form_page, staff_only

FIRST_YEAR = 2021  # the coup, and the shutdowns that followed


def _period(request: HttpRequest) -> tuple[int | None, date | None, date | None]:
    """An optional ``?year=`` (ignored unless a sensible year): the period shown."""
    text = request.GET.get("year", "")
    if text.isdigit() and FIRST_YEAR <= int(text) <= date.today().year:
        year = int(text)
        return year, date(year, 1, 1), date(year, 12, 31)
    return None, None, None


def _dashboard(request: HttpRequest, service: Service | None) -> HttpResponse:
    year, date_from, date_to = _period(request)
    sources = selectors.sources_for(service.slug if service else None)
    table = selectors.reach_table(sources, date_from, date_to)
    overlay = selectors.shutdown_townships(date_from, date_to)
    title = service.name if service else _("All services")
    svg = township_dot_map(
        table.values, overlay=overlay, title=_("People served: %(title)s") % {"title": title}
    )
    context: dict[str, Any] = {
        "service": service,
        "title": title,
        "year": year,
        "years": range(FIRST_YEAR, date.today().year + 1),
        "sources": sources,
        "table": table,
        "map": mark_safe(svg),
        "regions": selectors.shutdowns_by_region(date_from, date_to),
        "shutdown_townships": len(overlay),
    }
    return render(request, "portal/reach.html", context)


@citizen_page
@require_safe
def reach_all(request: HttpRequest) -> HttpResponse:
    return _dashboard(request, None)


@citizen_page(example=lambda: {"slug": active_services()[0].slug})
@require_safe
def reach_service(request: HttpRequest, slug: str) -> HttpResponse:
    return _dashboard(request, get_object_or_404(active_services(), slug=slug))


@staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def staff_shutdown_import(request: HttpRequest) -> HttpResponse:
    from pyithu.accounts.services import has_role

    if not has_role(request.user, Role.OPERATOR):
        return HttpResponse(status=403)
    form = ShutdownImportForm(*posted(request, files=True))
    report = None
    status = None
    if request.method == "POST" and form.is_valid():
        mode = form.cleaned_data["mode"]
        report = import_shutdowns(
            form.cleaned_data["file"],
            all_or_nothing=mode == ShutdownImportForm.ALL_OR_NOTHING,
            by=request.user,
        )
        status = 400 if report.errors else 200
    context = {"form": form, "report": report}
    return render_form_page(request, "portal/staff/shutdown_import.html", context, status=status)
