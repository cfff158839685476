"""Change tracking: every save of a synced model appends one row to the change log.

``record_change(instance)`` is called by a ``post_save`` handler that ``SyncConfig.ready``
connects for each model declaring a travelling ``SYNC_POLICY``. A signal is the exception to
"explicit calls" here on purpose: sync sits above the service apps, which must not import it,
and a model joins sync by declaring its policy, with no new sync code. Saves made *by* sync
(applying a remote change) use ``raw=True``, as fixture loading does, and are not recorded
again. A delete is logged as a tombstone (``deleted``, no payload) from ``pre_delete``, while
the record and its links can still be read; a many-to-many change logs the record again.
Work done *by* sync (applying a delete or a link) runs inside ``applying()`` and is not logged.
Writes made with ``update()`` or ``bulk_create()`` send no ``post_save``: the services that make
them call ``pyithu.core.changes.changed(Model, pks)``, whose signal ``on_bulk`` hears.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Max

from pyithu.core.changes import records_changed
from pyithu.sync import canonical, hlc, registry
from pyithu.sync.local import (  # noqa: F401 (callers import these from here too)
    applying,
    claim_origin,
    forget_node_id,
    is_applying,
    local_node_id,
    local_state,
)
from pyithu.sync.models import ChangeLog, RecordVersion


def next_stamp(using: str = "default", base: int | None = None) -> int:
    """An HLC stamp above the wall clock, every stamp in the log, and the base version.

    Read without a lock: two concurrent changes may share a stamp, which only matters for one
    record, and a record's edits are serialised by its own row (its base is the other edit).
    """
    last = ChangeLog.objects.using(using).aggregate(top=Max("hlc"))["top"] or 0
    return hlc.tick(max(last, base or 0))


def record_change(
    instance: models.Model, using: str = "default", *, deleted: bool = False
) -> ChangeLog | None:
    """Append the record's current state (or its deletion) to the change log, made here.

    Takes no site-wide lock: the change's counter is given later, when it first leaves.
    """
    model = type(instance)
    policy = registry.policy_of(model)
    if policy not in registry.TRAVELLING:
        return None
    label = model._meta.label_lower
    object_id = canonical.object_key(instance)
    if deleted:
        payload = "null"
    else:
        payload = canonical.dumps(canonical.record_fields(instance, using)).decode("utf-8")
    with transaction.atomic(using=using):
        version = None
        if policy in registry.MUTABLE:
            version = (
                RecordVersion.objects.using(using)
                .select_for_update()
                .select_related("change")
                .filter(model=label, object_id=object_id)
                .first()
            )
        base = version.change if version else None
        change = ChangeLog.objects.using(using).create(
            model=label,
            object_id=object_id,
            origin=local_node_id(using),
            counter=None,
            hlc=next_stamp(using, base.hlc if base else None),
            base_hlc=base.hlc if base else None,
            base_origin=base.origin if base else "",
            payload=canonical.payload_for_log(model, payload),
            deleted=deleted,
            priority=registry.priority_of(model),
        )
        if version is not None:
            version.change = change
            version.save(using=using, update_fields=["change"])
        elif policy in registry.MUTABLE:
            RecordVersion.objects.using(using).update_or_create(
                model=label, object_id=object_id, defaults={"change": change}
            )
        if policy == registry.FIELD_OWNER and not deleted:
            from pyithu.sync.merge import settle_field_owner

            settle_field_owner(model, object_id, using)
        # Only when there can be something to forget: a deletion, or an edit whose previous
        # version never left this site (most saves skip the extra statement).
        if deleted or (base is not None and base.counter is None and base.segment_id is None):
            forget_superseded(change, using)
        if base is not None and getattr(model, "SYNC_FORGET_OLD", False):
            from pyithu.sync.forgetting import forget_old_versions

            forget_old_versions(change, using)
    return change


def forget_superseded(latest: ChangeLog, using: str = "default") -> int:
    """Delete this site's earlier changes to the same record that never left it.

    The latest change carries the record's whole state (or its deletion), so nobody needs them,
    and the log must not keep what the record itself no longer holds: a question edited to
    remove a name, or deleted, leaves no copy of the old text behind. Changes that already
    left (numbered or signed) are part of what peers hold and stay; where a record has sealed
    fields their payloads are sealed too.
    """
    from pyithu.sync.models import ConflictHistory

    conflicts = ConflictHistory.objects.using(using)
    stale = ChangeLog.objects.using(using).filter(
        model=latest.model,
        object_id=latest.object_id,
        counter__isnull=True,
        segment__isnull=True,
        id__lt=latest.id,
    )
    stale = stale.exclude(pk__in=conflicts.values("winner_id")).exclude(
        pk__in=conflicts.values("loser_id")
    )
    oldest = stale.order_by("id").values("base_hlc", "base_origin").first()
    if oldest is None:
        return 0
    # The latest now stands on what the oldest forgotten change stood on: the last version a
    # peer can hold, so a peer sees an edit of its own version, not an unknown one.
    ChangeLog.objects.using(using).filter(pk=latest.pk).update(**oldest)
    latest.base_hlc, latest.base_origin = oldest["base_hlc"], oldest["base_origin"]
    return stale.delete()[0]


def on_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if registry.key_of(sender):
        canonical.forget_keys()
    if kwargs.get("raw") or is_applying():
        return  # a change applied by sync, or fixture loading
    record_change(instance, using=kwargs.get("using") or "default")


def on_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if registry.key_of(sender):
        canonical.forget_keys()
    if is_applying():
        return
    record_change(instance, using=kwargs.get("using") or "default", deleted=True)


def on_links(sender: Any, instance: models.Model, action: str, **kwargs: Any) -> None:
    if action not in {"post_add", "post_remove", "post_clear"} or is_applying():
        return
    if kwargs.get("reverse"):
        # Linked from the other side: log every record whose links changed.
        model = kwargs["model"]
        for record in model._default_manager.using(kwargs.get("using")).filter(
            pk__in=kwargs.get("pk_set") or []
        ):
            record_change(record, using=kwargs.get("using") or "default")
        return
    record_change(instance, using=kwargs.get("using") or "default")


def on_bulk(
    sender: type[models.Model], pks: list[Any], using: str = "default", **kwargs: Any
) -> None:
    """Rows written by ``update()`` or ``bulk_create()`` (``core.changes.changed``): log each
    as it now is, as ``post_save`` would have."""
    if registry.key_of(sender):
        canonical.forget_keys()
    if is_applying() or registry.policy_of(sender) not in registry.TRAVELLING:
        return
    manager = sender._default_manager.using(using)
    for i in range(0, len(pks), 500):
        for instance in manager.filter(pk__in=pks[i : i + 500]).order_by("pk"):
            record_change(instance, using=using)


def connect_signals() -> None:
    records_changed.connect(on_bulk, dispatch_uid="pyithu.sync.bulk")
    for model in registry.synced_models():
        uid = f"pyithu.sync.{model._meta.label_lower}"
        models.signals.post_save.connect(on_save, sender=model, dispatch_uid=uid)
        models.signals.pre_delete.connect(on_delete, sender=model, dispatch_uid=uid)
        for field in canonical.m2m_fields(model):
            models.signals.m2m_changed.connect(
                on_links, sender=field.remote_field.through, dispatch_uid=f"{uid}.{field.name}"
            )
    for model in apps.get_models():
        if registry.key_of(model) and model not in registry.synced_models():
            uid = f"pyithu.sync.keys.{model._meta.label_lower}"
            models.signals.post_save.connect(forget_keys, sender=model, dispatch_uid=uid)
            models.signals.post_delete.connect(forget_keys, sender=model, dispatch_uid=uid)


def forget_keys(**kwargs: Any) -> None:
    canonical.forget_keys()


def record_existing(using: str = "default") -> dict[str, int]:
    """Record a change for every synced row that has none yet (a site joining sync late)."""
    counts: dict[str, int] = {}
    for model in registry.synced_models():
        label = model._meta.label_lower
        known = set(
            ChangeLog.objects.using(using).filter(model=label).values_list("object_id", flat=True)
        )
        added = 0
        for instance in model._default_manager.using(using).order_by("pk").iterator():
            if canonical.object_key(instance) not in known:
                record_change(instance, using)
                added += 1
        if added:
            counts[label] = added
    return counts
