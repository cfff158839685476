"""Canonical JSON: one byte string per value, so signatures survive any relay."""

from __future__ import annotations

import base64
import datetime
import decimal
import json
import uuid
from typing import Any

from django.db import models

from pyithu.core.fields import SealedTextField


def dumps(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    return value


def record_fields(instance: models.Model) -> dict[str, Any]:
    """Every concrete column by attname, as plain JSON values.

    Sealed fields are given in clear here: the payload is sealed as a whole in the change log
    and travels only inside a bundle encrypted to its recipient, which seals them again under
    its own key ring when it saves the record. Many-to-many relations do not travel.
    """
    out: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if getattr(field, "generated", False):
            continue
        value = field.value_from_object(instance)
        if isinstance(field, SealedTextField) and value is None:
            value = None
        out[field.attname] = _plain(value)
    return out


def build_instance(model: type[models.Model], values: dict[str, Any]) -> models.Model:
    """A model instance from a payload (unknown fields ignored, missing ones left default)."""
    kwargs: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.attname not in values:
            continue
        raw = values[field.attname]
        if raw is not None and isinstance(field, models.BinaryField):
            raw = base64.b64decode(raw)
        kwargs[field.attname] = field.to_python(raw) if raw is not None else None
    return model(**kwargs)


def has_sealed_fields(model: type[models.Model] | None) -> bool:
    """Unknown models count as sealed: when in doubt, seal."""
    if model is None:
        return True
    return any(isinstance(f, SealedTextField) for f in model._meta.concrete_fields)


def payload_for_log(model: type[models.Model] | None, text: str) -> str:
    """The log's payload value: sealed at rest exactly when the record has sealed fields."""
    from pyithu.sync.models import PlainPayload

    return text if has_sealed_fields(model) else PlainPayload(text)
