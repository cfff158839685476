"""The education landing page: what a citizen can do here, each one a link. Staff desks are
not listed (a person finds their desks on their account home, by the roles they hold)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pyithu.core.pages import citizen_page


@citizen_page
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "education/landing.html")
