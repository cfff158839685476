"""The ``sms`` outbox transport: one JSON POST per text to an HTTP SMS gateway.

The request (adapt a gateway app to it, or register another transport, see decision 0061)::

    POST <PYITHU_SMS_GATEWAY_URL>
    Authorization: Bearer <PYITHU_SMS_GATEWAY_TOKEN>
    Idempotency-Key: <the outbox message id, the same on every attempt>
    Content-Type: application/json; charset=utf-8

    {"to": "+959...", "message": "...", "id": "<the same key>"}

Any 2xx answer means the gateway took the text. A network fault, a timeout, a 5xx, 401/403
(wrong token) or 429 raises, and the outbox retries with backoff; any other 4xx means this number
or text will never go through, and the message fails at once. Exceptions carry no address or
text: the outbox keeps only their class name.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from pyithu.outbox.transports import Undeliverable, Usage
from pyithu.sms import segments
from pyithu.sms.config import config

# 4xx answers that a later attempt may get past (a fixed token, a lifted rate limit).
RETRYABLE_STATUSES = frozenset({401, 403, 408, 409, 425, 429})


class GatewayError(Exception):
    """The gateway did not take the text; the outbox will try again."""


class GatewayNotConfigured(GatewayError):
    """No gateway URL is set: texts wait in the outbox until one is."""


class GatewayUnavailable(GatewayError):
    """The gateway could not be reached, timed out, or answered with a server error."""


class GatewayRefused(Undeliverable):
    """The gateway refused this text for good (a 4xx such as an invalid number)."""


def measure(body: str) -> Usage:
    """Parts and price of one text, recorded on the outbox message when it is queued."""
    parts = segments.segments(body)
    return Usage(segments=parts, cost=parts * config().segment_price)


def _request(address: str, body: str, key: str) -> urllib.request.Request:
    settings = config()
    if not settings.gateway_url.startswith(("http://", "https://")):
        raise GatewayNotConfigured  # unset, or a scheme urllib must not open (file:, ftp:)
    payload = json.dumps({"to": address, "message": body, "id": key}, ensure_ascii=False)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
        "User-Agent": "pyithu-sms",
    }
    if settings.gateway_token:
        headers["Authorization"] = f"Bearer {settings.gateway_token}"
    if key:
        headers["Idempotency-Key"] = key
    return urllib.request.Request(  # noqa: S310 (http and https only, checked above)
        settings.gateway_url, data=payload.encode("utf-8"), headers=headers, method="POST"
    )


def send(address: str, body: str, *, key: str = "") -> None:
    """Hand one text to the gateway, or raise (see the module docstring)."""
    request = _request(address, body, key)
    try:
        opened = urllib.request.urlopen(request, timeout=config().timeout_seconds)  # noqa: S310
        with opened as response:
            response.read()
    except urllib.error.HTTPError as exc:
        exc.close()
        if 400 <= exc.code < 500 and exc.code not in RETRYABLE_STATUSES:
            raise GatewayRefused(exc.code) from None
        raise GatewayUnavailable(exc.code) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise GatewayUnavailable(type(exc).__name__) from None
