"""Which models sync, and how: read from what each model declares, never listed here.

``SYNC_POLICY``   ``"append_only"`` (insert once, never conflicts), ``"last_writer"`` (mutable,
                  highest hybrid-logical-clock version wins, the loser is kept) or ``"local"``
                  (never leaves this server). A model that declares nothing does not sync.
                  ``"field_owner"`` (mutable; fields listed in ``SYNC_FIELD_OWNERS`` take the
                  value of the newest version made by their owner, the rest merge by last
                  writer).
``SYNC_PRIORITY`` 0 (most urgent, sent first under a byte cap) to 100; default 50.
``SYNC_KEY``      a unique field that names the record on every site (``"pcode"``, ``"slug"``):
                  reference data loaded separately on each site has different ids, so the record
                  and every foreign key or many-to-many link to it travel by this key.
``SYNC_SCOPE``    which nodes receive the record: ``{"townships": "township__pcode"}``; kinds are
                  ``townships``, ``schools``, ``clinics`` (matched against the node's scope),
                  ``nodes`` (a node id: the record goes to that node, e.g. the site a voucher
                  is allotted to) and
                  ``follows`` (a foreign key: the record also goes wherever that record's origin
                  is). ``{}`` means "only back to the node that made it". No declaration: every
                  node receives it (catalogues, staff accounts). See decision 0055.
``SYNC_FIELD_OWNERS`` for ``field_owner``: ``{"hub": ("status", ...), "node": ("symptoms", ...)}``.
``SYNC_FORGET_OLD`` ``True``: once a newer version is held, older ones are kept only as hashes
                  (their content, e.g. a document's name, is gone; ``forgetting.py``, 0066).
``SYNC_ORIGIN_FIELD`` a field that names the node which made the record (``"node_id"``): a change
                  whose value there is not its own origin is refused with its whole bundle, so
                  no node can act in another's name (a township's money operations, 0026).
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

APPEND_ONLY = "append_only"
LAST_WRITER = "last_writer"
FIELD_OWNER = "field_owner"
LOCAL = "local"
POLICIES = {APPEND_ONLY, LAST_WRITER, FIELD_OWNER, LOCAL}
TRAVELLING = {APPEND_ONLY, LAST_WRITER, FIELD_OWNER}
MUTABLE = {LAST_WRITER, FIELD_OWNER}
SCOPE_KINDS = ("townships", "schools", "clinics", "nodes")
DEFAULT_PRIORITY = 50


class PolicyError(Exception):
    """A model declares a policy sync does not know."""


def policy_of(model: type[models.Model]) -> str | None:
    value = getattr(model, "SYNC_POLICY", None)
    if value is None:
        return None
    if value not in POLICIES:
        raise PolicyError(f"{model._meta.label}.SYNC_POLICY = {value!r} is not one of {POLICIES}")
    return value


def priority_of(model: type[models.Model]) -> int:
    return int(getattr(model, "SYNC_PRIORITY", DEFAULT_PRIORITY))


def key_of(model: type[models.Model]) -> str | None:
    """The field naming this model's records on every site, or None (they travel by id)."""
    key = getattr(model, "SYNC_KEY", None)
    if key is not None and not model._meta.get_field(key).unique:
        raise PolicyError(f"{model._meta.label}.SYNC_KEY = {key!r} is not a unique field")
    return key


def scope_of(model: type[models.Model]) -> dict[str, str] | None:
    """Paths to the model's scope values (None: every node receives its records)."""
    scope = getattr(model, "SYNC_SCOPE", None)
    if scope is None:
        return None
    unknown = set(scope) - {*SCOPE_KINDS, "follows"}
    if unknown:
        raise PolicyError(f"{model._meta.label}.SYNC_SCOPE has unknown kinds {sorted(unknown)}")
    return dict(scope)


def field_owners(model: type[models.Model]) -> dict[str, str]:
    """Field attname -> owning role ("hub" or "node") for a field-owner model."""
    owners: dict[str, str] = {}
    for role, names in getattr(model, "SYNC_FIELD_OWNERS", {}).items():
        if role not in {"hub", "node"}:
            raise PolicyError(f"{model._meta.label}.SYNC_FIELD_OWNERS: unknown role {role!r}")
        for name in names:
            owners[model._meta.get_field(name).attname] = role
    return owners


def origin_field(model: type[models.Model]) -> str | None:
    """The attname that must equal the origin of every change to this model, or None."""
    name = getattr(model, "SYNC_ORIGIN_FIELD", None)
    return model._meta.get_field(name).attname if name else None


def synced_models() -> list[type[models.Model]]:
    """Concrete models whose records travel (append-only or last-writer), by label."""
    found = [m for m in apps.get_models() if not m._meta.proxy and policy_of(m) in TRAVELLING]
    return sorted(found, key=lambda m: m._meta.label_lower)


def synced_model(label: str) -> type[models.Model] | None:
    """The synced model for a change's label, or None when this site does not sync it."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if policy_of(model) in TRAVELLING else None
