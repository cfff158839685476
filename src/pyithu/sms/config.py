"""SMS settings, read when used (never at import). Each comes from Django settings if the lead
adds it there, else from the environment; secrets also from ``<NAME>_FILE``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


def _value(name: str, default: str = "") -> str:
    configured = getattr(settings, name, None)
    if configured is not None:
        return str(configured)
    return os.environ.get(name, default)


def _secret(name: str) -> str:
    value = _value(name)
    if value:
        return value
    path = os.environ.get(f"{name}_FILE", "")
    return Path(path).read_text(encoding="utf-8").strip() if path else ""


def _int(name: str, default: int) -> int:
    try:
        return int(_value(name, str(default)))
    except ValueError:
        return default


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
        gateway_url=_value("PYITHU_SMS_GATEWAY_URL"),
        gateway_token=_secret("PYITHU_SMS_GATEWAY_TOKEN"),
        inbound_token=_secret("PYITHU_SMS_INBOUND_TOKEN"),
        timeout_seconds=max(1, _int("PYITHU_SMS_GATEWAY_TIMEOUT", 10)),
        segment_price=max(0, _int("PYITHU_SMS_SEGMENT_PRICE", 15)),
        currency=_value("PYITHU_SMS_CURRENCY", "MMK"),
    )
