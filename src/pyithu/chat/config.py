"""Telegram settings, read when needed (never at import): Django settings first, then the
environment, so a deployment may set either. See docs/decisions/0060-telegram-bot.md."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.conf import settings

DEFAULT_API_URL = "https://api.telegram.org"
# Messages a person may send in one minute before the bot stops answering for the rest of it.
DEFAULT_RATE_PER_MINUTE = 20


def _value(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value in (None, ""):
        path = os.environ.get(f"{name}_FILE")
        if path:
            with open(path, encoding="utf-8") as handle:
                return handle.read().strip()
        value = os.environ.get(name, default)
    return str(value)


@dataclass(frozen=True)
class TelegramConfig:
    token: str
    api_url: str
    webhook_secret: str
    public_url: str
    sms_number: str
    rate_per_minute: int

    @property
    def base_url(self) -> str:
        """What python-telegram-bot calls ``base_url``: the token is appended to it."""
        return f"{self.api_url.rstrip('/')}/bot"


def telegram() -> TelegramConfig:
    rate = _value("PYITHU_TELEGRAM_RATE_PER_MINUTE", str(DEFAULT_RATE_PER_MINUTE))
    return TelegramConfig(
        token=_value("PYITHU_TELEGRAM_TOKEN"),
        api_url=_value("PYITHU_TELEGRAM_API_URL", DEFAULT_API_URL),
        webhook_secret=_value("PYITHU_TELEGRAM_WEBHOOK_SECRET"),
        public_url=_value("PYITHU_PUBLIC_URL").rstrip("/"),
        sms_number=_value("PYITHU_SMS_NUMBER"),
        rate_per_minute=max(1, int(rate)) if rate.isdigit() else DEFAULT_RATE_PER_MINUTE,
    )
