from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.core import audit
from pyithu.sync import inbox
from pyithu.sync.identity import IdentityError
from pyithu.sync.selectors import sync_status
from pyithu.sync.unlock import site_identity


def _operator_only(request: HttpRequest) -> None:
    if not has_role(request.user, Role.OPERATOR):
        raise PermissionDenied


@never_cache
@login_required
def status(request: HttpRequest) -> HttpResponse:
    """Operators: last sync per peer, changes waiting, bundles waiting, conflicts kept."""
    _operator_only(request)
    return render(request, "sync/status.html", {"status": sync_status()})


@never_cache
@login_required
@require_POST
def import_waiting(request: HttpRequest) -> HttpResponse:
    """Import every bundle waiting in the drop folder, then show the status again."""
    _operator_only(request)
    try:
        results = inbox.import_waiting(site_identity())
    except (IdentityError, ImproperlyConfigured) as exc:
        messages.error(request, _("This site's keys are locked: %(reason)s") % {"reason": exc})
        return redirect("sync:status")
    for result in results:
        values = {"name": result.name, "message": result.message}
        if result.imported:
            messages.success(request, _("%(name)s imported: %(message)s.") % values)
        else:
            messages.error(request, _("%(name)s refused: %(message)s") % values)
    if not results:
        messages.info(request, _("No bundles are waiting."))
    done = sum(r.imported for r in results)
    audit.record(
        request.user, "sync.inbox_import", summary=f"{done} imported, {len(results) - done} refused"
    )
    return redirect("sync:status")
