"""Text types for the JSON API: every string a client sends passes the same normaliser as the
web forms (NFC, controls stripped, trimmed, Zawgyi converted) before length is checked."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, StringConstraints

from pyithu.core.text import normalise_text


def _normaliser(max_length: int) -> Any:
    def normalised(value: Any) -> Any:
        # Text far over the limit is refused (a validation error) before any work is done.
        return normalise_text(value, max_length=max_length) if isinstance(value, str) else value

    return normalised


def Text(max_length: int = 200) -> Any:
    return Annotated[
        str, BeforeValidator(_normaliser(max_length)), StringConstraints(max_length=max_length)
    ]


# A code or slug typed in a URL or query: short, normalised.
Code = Text(64)
SearchQuery = Text(100)
