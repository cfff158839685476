"""Change tracking: every save of a synced model appends one row to the change log.

``record_change(instance)`` is called by a ``post_save`` handler that ``SyncConfig.ready``
connects for each model declaring a travelling ``SYNC_POLICY``. A signal is the exception to
"explicit calls" here on purpose: sync sits above the service apps, which must not import it,
and a model joins sync by declaring its policy, with no new sync code. Saves made *by* sync
(applying a remote change) use ``raw=True``, as fixture loading does, and are not recorded
again. Deletes do not travel: synced records are retired by a field, never deleted.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Max

from pyithu.sync import canonical, hlc, registry
from pyithu.sync.models import ChangeLog, LocalState, RecordVersion


def local_state(using: str = "default", *, lock: bool = True) -> LocalState:
    queryset = LocalState.objects.using(using)
    if lock:
        queryset = queryset.select_for_update()
    state = queryset.filter(pk=1).first()
    if state is None:
        try:
            with transaction.atomic(using=using):
                LocalState.objects.using(using).create(pk=1)
        except IntegrityError:
            pass  # made by a concurrent first change
        state = queryset.get(pk=1)
    return state


_node_ids: dict[str, str] = {}


def local_node_id(using: str = "default") -> str:
    """This site's node id ("" before ``node init``); cached once set, as it never changes."""
    node_id = _node_ids.get(using)
    if node_id is None:
        node_id = local_state(using, lock=False).node_id
        if node_id:
            _node_ids[using] = node_id
    return node_id


def forget_node_id() -> None:
    _node_ids.clear()


def next_stamp(using: str = "default", base: int | None = None) -> int:
    """An HLC stamp above the wall clock, every stamp in the log, and the base version.

    Read without a lock: two concurrent changes may share a stamp, which only matters for one
    record, and a record's edits are serialised by its own row (its base is the other edit).
    """
    last = ChangeLog.objects.using(using).aggregate(top=Max("hlc"))["top"] or 0
    return hlc.tick(max(last, base or 0))


def record_change(instance: models.Model, using: str = "default") -> ChangeLog | None:
    """Append the record's current state to the change log as a change made here.

    Takes no site-wide lock: the change's counter is given later, when it first leaves.
    """
    model = type(instance)
    policy = registry.policy_of(model)
    if policy not in {registry.APPEND_ONLY, registry.LAST_WRITER}:
        return None
    label = model._meta.label_lower
    object_id = str(instance.pk)
    with transaction.atomic(using=using):
        version = None
        if policy == registry.LAST_WRITER:
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
            payload=canonical.payload_for_log(
                model, canonical.dumps(canonical.record_fields(instance)).decode("utf-8")
            ),
            priority=registry.priority_of(model),
        )
        if version is not None:
            version.change = change
            version.save(using=using, update_fields=["change"])
        elif policy == registry.LAST_WRITER:
            RecordVersion.objects.using(using).update_or_create(
                model=label, object_id=object_id, defaults={"change": change}
            )
    return change


def on_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # a change applied by sync, or fixture loading
    record_change(instance, using=kwargs.get("using") or "default")


def connect_signals() -> None:
    for model in registry.synced_models():
        models.signals.post_save.connect(
            on_save, sender=model, dispatch_uid=f"pyithu.sync.{model._meta.label_lower}"
        )


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
            if str(instance.pk) not in known:
                record_change(instance, using)
                added += 1
        if added:
            counts[label] = added
    return counts
