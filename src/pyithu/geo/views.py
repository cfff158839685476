"""Public pages about places. They work without JavaScript and fit the citizen page budget."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pyithu.core.pages import citizen_page
from pyithu.geo.forms import TownshipSearchForm
from pyithu.geo.selectors import find_townships, group_by_state, townships_by_state

SEARCH_LIMIT = 50


@citizen_page
def township_list(request: HttpRequest) -> HttpResponse:
    """Search townships by name or P-code; with no search, every township by state/region."""
    form = TownshipSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    if query:
        found = find_townships(query, limit=SEARCH_LIMIT + 1)
        groups = group_by_state(found[:SEARCH_LIMIT])
    else:
        found = []
        groups = townships_by_state()
    context = {
        "form": form,
        "query": query,
        "groups": groups,
        "townships_found": min(len(found), SEARCH_LIMIT),
        "truncated": len(found) > SEARCH_LIMIT,
        "limit": SEARCH_LIMIT,
    }
    return render(request, "geo/township_list.html", context)
