"""Telegram settings, read from Django settings when needed (never at import), so tests and
deployments change them in one place. See docs/decisions/0060-telegram-bot.md."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

DEFAULT_API_URL = "https://api.telegram.org"


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
    return TelegramConfig(
        token=settings.PYITHU_TELEGRAM_TOKEN,
        api_url=settings.PYITHU_TELEGRAM_API_URL or DEFAULT_API_URL,
        webhook_secret=settings.PYITHU_TELEGRAM_WEBHOOK_SECRET,
        public_url=settings.PYITHU_PUBLIC_URL.rstrip("/"),
        sms_number=settings.PYITHU_SMS_NUMBER,
        rate_per_minute=max(1, int(settings.PYITHU_TELEGRAM_RATE_PER_MINUTE)),
    )
