"""Canonical JSON: one byte string per value, so signatures survive any relay.

A record's payload holds every concrete column by attname, plus each many-to-many link (by
field name, the sorted list of linked records). Links to reference data whose ids differ per
site (a model declaring ``SYNC_KEY``: townships by P-code, clinics by slug) travel by that key,
both in foreign keys and in many-to-many lists, and are turned back into this site's ids when
the record is applied. A file field travels as its stored name; the bytes travel beside the
records (see ``files``).
"""

from __future__ import annotations

import base64
import datetime
import decimal
import json
import uuid
from typing import Any

from django.db import models

from pyithu.core.fields import SealedTextField
from pyithu.sync import files, registry


class MissingReference(ValueError):
    """A change names reference data (a township, a clinic) this site does not hold."""


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


# (model label, pk) -> natural key, and back; forgotten when a keyed record is saved.
_keys: dict[tuple[str, str, str], Any] = {}
_pks: dict[tuple[str, str, str], Any] = {}


def forget_keys() -> None:
    _keys.clear()
    _pks.clear()


def key_for(model: type[models.Model], pk: Any, using: str = "default") -> Any:
    """The natural key of ``model``'s record ``pk`` (None when it does not exist)."""
    field = registry.key_of(model)
    cache = (using, model._meta.label_lower, str(pk))
    if cache not in _keys:
        found = (
            model._default_manager.using(using).filter(pk=pk).values_list(field, flat=True).first()
        )
        if found is None:
            return None
        _keys[cache] = found
    return _keys[cache]


def pk_for(model: type[models.Model], key: Any, using: str = "default") -> Any:
    """This site's id for the record of ``model`` named ``key``; MissingReference if absent."""
    field = registry.key_of(model)
    cache = (using, model._meta.label_lower, str(key))
    if cache not in _pks:
        found = (
            model._default_manager.using(using)
            .filter(**{field: key})
            .values_list("pk", flat=True)
            .first()
        )
        if found is None:
            raise MissingReference(
                f"it refers to {model._meta.verbose_name} {key!r}, which this site does not "
                "hold (load the same reference data on both sites)"
            )
        _pks[cache] = found
    return _pks[cache]


def object_key(instance: models.Model) -> str:
    """How the change log names a record: its natural key when it has one, else its id."""
    field = registry.key_of(type(instance))
    return str(getattr(instance, field) if field else instance.pk)


def _points_at_key(field: models.Field) -> bool:
    """A foreign key declared with ``to_field`` = the target's natural key (e.g. a P-code)."""
    return field.target_field.name == registry.key_of(field.related_model)


def _link(target: type[models.Model], pk: Any, using: str) -> Any:
    if pk is None:
        return None
    if registry.key_of(target):
        return key_for(target, pk, using)
    return _plain(pk)


def m2m_fields(model: type[models.Model]) -> list[models.ManyToManyField]:
    """Many-to-many links that travel inside the record (those with an explicit ``through``
    model are records of their own)."""
    return [
        f
        for f in model._meta.many_to_many
        if isinstance(f, models.ManyToManyField) and f.remote_field.through._meta.auto_created
    ]


def record_fields(instance: models.Model, using: str = "default") -> dict[str, Any]:
    """Every concrete column by attname and every many-to-many link, as plain JSON values.

    Sealed fields are given in clear here: the payload is sealed as a whole in the change log
    and travels only inside a bundle encrypted to its recipient, which seals them again under
    its own key ring when it saves the record.
    """
    out: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if getattr(field, "generated", False):
            continue
        value = field.value_from_object(instance)
        if isinstance(field, models.FileField):
            out[field.attname] = files.reference(value)
            continue
        if field.is_relation and registry.key_of(field.related_model):
            if _points_at_key(field):
                out[field.attname] = _plain(value)  # the column already holds the natural key
                continue
            cached = field.get_cached_value(instance, None)
            if cached is not None:
                value = getattr(cached, registry.key_of(field.related_model))
            else:
                value = _link(field.related_model, value, using)
        out[field.attname] = _plain(value)
    for field in m2m_fields(type(instance)):
        target = field.related_model
        pks = getattr(instance, field.name).values_list("pk", flat=True)
        out[field.name] = sorted(str(_link(target, pk, using)) for pk in pks)
    return out


def build_instance(
    model: type[models.Model], values: dict[str, Any], using: str = "default"
) -> tuple[models.Model, dict[str, list[Any]]]:
    """A model instance from a payload (unknown fields ignored, missing ones left default),
    and its many-to-many links as this site's ids, to set once the record is saved."""
    kwargs: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.attname not in values:
            continue
        raw = values[field.attname]
        if raw is not None and field.is_relation and registry.key_of(field.related_model):
            local = pk_for(field.related_model, raw, using)  # refuses a key this site lacks
            raw = raw if _points_at_key(field) else local
        if raw is not None and isinstance(field, models.BinaryField):
            raw = base64.b64decode(raw)
        if isinstance(field, models.FileField):
            kwargs[field.attname] = files.name_of(raw)
            continue
        kwargs[field.attname] = field.to_python(raw) if raw is not None else None
    key = registry.key_of(model)
    if key and key in kwargs:
        here = model._default_manager.using(using).filter(**{key: kwargs[key]})
        local = here.values_list("pk", flat=True).first()
        if local is not None:
            kwargs[model._meta.pk.attname] = local
    links: dict[str, list[Any]] = {}
    for field in m2m_fields(model):
        if field.name not in values:
            continue
        target = field.related_model
        if registry.key_of(target):
            links[field.name] = [pk_for(target, k, using) for k in values[field.name]]
        else:
            links[field.name] = [target._meta.pk.to_python(k) for k in values[field.name]]
    return model(**kwargs), links


def has_sealed_fields(model: type[models.Model] | None) -> bool:
    """Unknown models count as sealed: when in doubt, seal."""
    if model is None:
        return True
    return any(isinstance(f, SealedTextField) for f in model._meta.concrete_fields)


def payload_for_log(model: type[models.Model] | None, text: str) -> str:
    """The log's payload value: sealed at rest exactly when the record has sealed fields."""
    from pyithu.sync.models import PlainPayload

    return text if has_sealed_fields(model) else PlainPayload(text)
