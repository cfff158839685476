"""The Telegram webhook: checked, answered in the response body, 200 quickly."""

from __future__ import annotations

import json
import logging
from hmac import compare_digest

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from telegram import Update

from pyithu.chat import config
from pyithu.chat.bot import incoming, send_message_call
from pyithu.chat.conversation import handle

log = logging.getLogger("pyithu.chat")


def _same(given: str, expected: str) -> bool:
    return compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@csrf_exempt
@require_POST
def telegram_webhook(request: HttpRequest, secret: str) -> HttpResponse:
    conf = config.telegram()
    if not conf.token or not conf.webhook_secret or not _same(secret, conf.webhook_secret):
        raise Http404
    header = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not _same(header, conf.webhook_secret):
        return HttpResponse(status=403)
    try:
        update = Update.de_json(json.loads(request.body), None)
        message = incoming(update)
    except (RequestDataTooBig, ValueError, TypeError, KeyError, AttributeError) as exc:
        log.warning("telegram webhook: unreadable update (%s)", type(exc).__name__)
        return HttpResponse(status=400)
    reply = handle(message) if message is not None else None
    if reply is None:
        return HttpResponse(status=200)
    # Telegram performs a method carried in the webhook response: one reply, no extra request.
    return JsonResponse(send_message_call(message.chat_id, reply))  # type: ignore[union-attr]
