"""Refusals the portal's services raise: a translated message, and the form field it is about."""

from __future__ import annotations

from typing import Any


class Refusal(Exception):
    """A request the service will not carry out; nothing was written."""

    status = 400

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class Conflict(Refusal):
    """Refused because of the record's state: already answered, closed, code used."""

    status = 409
