"""Public pages about places. They work without JavaScript and fit the citizen page budget."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pyithu.core.pages import citizen_page
from pyithu.geo.forms import TownshipSearchForm
from pyithu.geo.selectors import find_townships, group_by_state, states_with_counts

SEARCH_LIMIT = 50


@citizen_page
def township_list(request: HttpRequest) -> HttpResponse:
    """Search townships by name or P-code, or browse them by state/region."""
    form = TownshipSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    state = request.GET.get("state", "")[:16]
    found: list = []
    states: list = []
    if query:
        found = find_townships(query, limit=SEARCH_LIMIT + 1)
        groups = group_by_state(found[:SEARCH_LIMIT])
    elif state:
        groups = group_by_state(find_townships("", state=state, limit=None))
    else:
        # The first page names the states/regions only: a phone need not fetch 351 rows.
        groups = []
        states = states_with_counts()
    context = {
        "form": form,
        "query": query,
        "states": states,
        "groups": groups,
        "townships_found": min(len(found), SEARCH_LIMIT),
        "truncated": len(found) > SEARCH_LIMIT,
        "limit": SEARCH_LIMIT,
    }
    return render(request, "geo/township_list.html", context)
