"""The gateway's webhook (machine to machine) and the operators' view of the outbox."""

from __future__ import annotations

import hmac
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.outbox import selectors
from pyithu.outbox.models import MessageState
from pyithu.sms import services
from pyithu.sms.config import config

MAX_BODY_BYTES = 16 * 1024


def _authorised(request: HttpRequest) -> bool:
    expected = config().inbound_token
    given = request.headers.get("Authorization", "")
    return bool(expected) and hmac.compare_digest(given.encode(), f"Bearer {expected}".encode())


def _payload(request: HttpRequest) -> dict[str, Any]:
    """JSON ``{"from", "text", "id"?}``, or the same names form-encoded."""
    if len(request.body) > MAX_BODY_BYTES:
        raise services.InboundError(_("The request is too large."))
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise services.InboundError(_("The request is not valid JSON.")) from None
        if not isinstance(data, dict):
            raise services.InboundError(_("The request is not valid JSON."))
        return data
    return request.POST.dict()


@csrf_exempt
@require_POST
def inbound(request: HttpRequest) -> JsonResponse:
    if not _authorised(request):
        return JsonResponse({"error": "unauthorised"}, status=401)
    try:
        data = _payload(request)
        text = data.get("text", "")
        gateway_id = data.get("id", "")
        if not isinstance(text, str) or not isinstance(gateway_id, (str, int)):
            raise services.InboundError(_("The text must be a string."))
        received = services.receive(str(data.get("from", "")), text, gateway_id=str(gateway_id))
    except services.InboundError as exc:
        return JsonResponse({"error": str(exc.message)}, status=400)
    return JsonResponse({"ok": True, "replied": received.reply_id is not None})


def _choice(value: str, allowed: list[str]) -> str:
    return value if value in allowed else ""


@login_required
@never_cache
def outbox(request: HttpRequest) -> HttpResponse:
    """States, attempts, segments, cost and times of outgoing messages: never who or what."""
    if not has_role(request.user, Role.OPERATOR):
        raise PermissionDenied
    channels = selectors.channels()
    state = _choice(request.GET.get("state", ""), list(MessageState.values))
    channel = _choice(request.GET.get("channel", ""), channels)
    summary = selectors.summary()
    rows = [
        (item.channel, [item.by_state[v] for v in MessageState.values], item.total, item)
        for item in summary
    ]
    totals = [sum(item.by_state[v] for item in summary) for v in MessageState.values]
    context = {
        "rows": rows,
        "totals": totals,
        "total": sum(totals),
        "states": MessageState.choices,
        "channels": channels,
        "state": state,
        "channel": channel,
        "messages": selectors.messages(state=state, channel=channel),
        "currency": config().currency,
    }
    return render(request, "sms/outbox.html", context)
