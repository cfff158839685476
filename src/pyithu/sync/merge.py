"""Conflict rules: how one incoming change is merged into this site's records.

append_only  insert if absent; an existing row is never touched (no conflict is possible).
last_writer  a version is (hlc, origin). The incoming version is applied when it is above the
             one held here (ties cannot happen: one origin never reuses a stamp, and origins
             differ). When the incoming change was not made on top of the held version (its
             base differs), the two are concurrent: the lower one is kept in ConflictHistory.
Because the record always ends at the highest version seen, every site that has seen the same
changes holds the same state, whatever the order they arrived in.
"""

from __future__ import annotations

import json

from pyithu.sync import canonical, registry
from pyithu.sync.models import ChangeLog, ConflictHistory, RecordVersion


def version_key(change: ChangeLog) -> tuple[int, str]:
    return (change.hlc, change.origin)


def present_ids(object_ids: list[str], using: str = "default") -> set[str]:
    """Of these record ids, those that already have a change in this site's log.

    A synced record always has one (tracking logs every save), so for append-only records this
    answers "is it here" in one query per 500 ids instead of one per record.
    """
    found: set[str] = set()
    for i in range(0, len(object_ids), 500):
        found.update(
            ChangeLog.objects.using(using)
            .filter(object_id__in=object_ids[i : i + 500])
            .values_list("object_id", flat=True)
        )
    return found


def apply_change(change: ChangeLog, using: str = "default", present: set[str] | None = None) -> str:
    """Merge a change already stored in the log; returns what happened (for the report).

    ``present``: ids known to have a change here before this import (from ``present_ids``);
    when given, an append-only record absent from it is inserted without another query.
    """
    model = registry.synced_model(change.model)
    if model is None:
        return "skipped"  # relayed onward, but this site does not keep that kind of record
    values = json.loads(change.payload)
    if registry.policy_of(model) == registry.APPEND_ONLY:
        maybe_here = present is None or change.object_id in present
        if maybe_here and model._default_manager.using(using).filter(pk=change.object_id).exists():
            return "present"
        if present is not None:
            present.add(change.object_id)
        canonical.build_instance(model, values).save_base(using=using, raw=True, force_insert=True)
        return "inserted"
    return _merge_last_writer(model, change, values, using)


def _merge_last_writer(model: type, change: ChangeLog, values: dict, using: str) -> str:
    held = (
        RecordVersion.objects.using(using)
        .select_for_update()
        .select_related("change")
        .filter(model=change.model, object_id=change.object_id)
        .first()
    )
    if held is None:
        canonical.build_instance(model, values).save_base(using=using, raw=True)
        RecordVersion.objects.using(using).create(
            model=change.model, object_id=change.object_id, change=change
        )
        return "applied"
    current = held.change
    concurrent = (change.base_hlc, change.base_origin) != (current.hlc, current.origin)
    wins = version_key(change) > version_key(current)
    if concurrent:
        winner, loser = (change, current) if wins else (current, change)
        ConflictHistory.objects.using(using).get_or_create(
            winner=winner,
            loser=loser,
            defaults={"model": change.model, "object_id": change.object_id},
        )
    if not wins:
        return "kept"
    canonical.build_instance(model, values).save_base(using=using, raw=True)
    held.change = change
    held.save(using=using, update_fields=["change"])
    return "conflict" if concurrent else "applied"
