from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.sync.selectors import sync_status


@never_cache
@login_required
def status(request: HttpRequest) -> HttpResponse:
    """Operators: last sync per peer, changes waiting, conflicts kept, requests pending."""
    if not has_role(request.user, Role.OPERATOR):
        raise PermissionDenied
    return render(request, "sync/status.html", {"status": sync_status()})
