from __future__ import annotations

from typing import Any


class HealthError(Exception):
    """A refusal the person can act on; ``message`` is translated, ``field`` names the input."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
