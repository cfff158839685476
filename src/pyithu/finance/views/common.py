"""What the finance pages share: refusals next to the field, amounts, role checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache

from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.finance.currencies import exponent_of
from pyithu.finance.labels import unit
from pyithu.finance.models import Agent
from pyithu.finance.money import AmountError, format_amount
from pyithu.finance.services.ledger import LedgerError

View = Callable[..., HttpResponse]


def refuse(form: Any, exc: LedgerError | AmountError) -> None:
    """Show a service's refusal next to its field (or above the form)."""
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, exc.message)


def money(minor: int, currency: str) -> str:
    """An amount with its unit: the code where readers use it as a name (MMK, USD, THB),
    else the currency's name in the reader's language."""
    return f"{format_amount(minor, exponent_of(currency))} {unit(currency)}"


def with_handle(message: str, who: str, **values: str) -> SafeString:
    """A translated message naming a person by handle: the handle is marked not to be
    translated (``translate="no"``), everything else escaped."""
    handle = format_html('<span translate="no">{}</span>', who)
    return mark_safe(
        conditional_escape(message)
        % {"who": handle, **{k: conditional_escape(v) for k, v in values.items()}}
    )


def percent(bps: int) -> str:
    """Basis points as a percentage a reader knows: 50 -> "0.50%"."""
    return f"{bps // 100}.{bps % 100:02d}%"


def officer_page(view: View) -> View:
    """Staff page for bank officers of the finance ministry: others get 403."""

    @login_required
    @never_cache
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_role(request.user, Role.BANK_OFFICER, "finance"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def agent_page(view: View) -> View:
    """Staff page for an active authorised agent: the view receives the ``Agent``."""

    @login_required
    @never_cache
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        agent = Agent.objects.filter(user=request.user, is_active=True).first()
        if agent is None or not has_role(request.user, Role.AGENT, "finance"):
            raise PermissionDenied
        return view(request, agent, *args, **kwargs)

    return wrapped
