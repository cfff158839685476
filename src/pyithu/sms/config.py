"""SMS settings, read from Django settings when used (never at import); settings.py takes them
from the environment, secrets also from ``<NAME>_FILE``."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class SmsConfig:
    gateway_url: str  # where outgoing texts are POSTed as {to, message, id}
    gateway_token: str  # sent as "Authorization: Bearer <token>"
    inbound_token: str  # the gateway must send this to /sms/inbound/
    timeout_seconds: int
    segment_price: int  # per part, in minor units of ``currency``
    currency: str


def config() -> SmsConfig:
    return SmsConfig(
        gateway_url=settings.PYITHU_SMS_GATEWAY_URL,
        gateway_token=settings.PYITHU_SMS_GATEWAY_TOKEN,
        inbound_token=settings.PYITHU_SMS_INBOUND_TOKEN,
        timeout_seconds=max(1, int(settings.PYITHU_SMS_GATEWAY_TIMEOUT)),
        segment_price=max(0, int(settings.PYITHU_SMS_SEGMENT_PRICE)),
        currency=settings.PYITHU_SMS_CURRENCY,
    )
