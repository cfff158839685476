"""The one refusal of the education service, raised by every room's services."""

from __future__ import annotations

from typing import Any


class EducationError(Exception):
    """A refusal with a message for the person, and the form field it belongs to."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
