"""Conflict rules: how one incoming change is merged into this site's records.

append_only  insert if absent; an existing row is never touched (no conflict is possible). A
             tombstone deletes it, and a copy arriving after its tombstone is not inserted.
last_writer  a version is (hlc, origin). The incoming version is applied when it is above the
             one held here (ties cannot happen: one origin never reuses a stamp, and origins
             differ). When the incoming change was not made on top of the held version (its
             base differs), the two are concurrent: the lower one is kept in ConflictHistory.
             A tombstone is a version like any other: the highest one decides.
field_owner  as last_writer for the version held and the conflicts kept, but the record's
             state is computed from every version seen: a field the model gives to an owner
             (``SYNC_FIELD_OWNERS``) takes its value from the newest version made by a site of
             that role, when there is one; every other field from the newest version overall.
Because each rule is a function of the *set* of versions seen, every site that has seen the
same changes holds the same state, whatever the order they arrived in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models

from pyithu.sync import canonical, config, files, forgetting, registry
from pyithu.sync.bundles import BundleError
from pyithu.sync.local import applying, local_node_id
from pyithu.sync.models import ChangeLog, ConflictHistory, Peer, RecordVersion


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


Key = tuple[str, str]  # (model label, object id)


@dataclass
class Batch:
    """What an import reads about its records, loaded in one query per model and 500 records
    instead of several per change (``load_batch``); the rules applied are the same.

    ``versions``   the held version of each mutable record of the batch (those absent here
                   are added as they are applied, and written by ``flush``);
    ``changes``    every change in the log for each field-owner record of the batch (the log
                   already holds the bundle's changes when they are applied; models that
                   forget old versions are read each time instead, as they rewrite the log);
    ``absent``     records of the batch known to have no row here (none saved since);
    ``peers``      node id -> role, for ``role_of``;
    ``pending``    new rows of the batch, inserted together by ``flush`` (only models that
                   travel by id, with no parent table and no link set: nothing else in the
                   import looks them up; foreign keys are checked once all is written).
    """

    versions: dict[Key, RecordVersion] = field(default_factory=dict)
    changes: dict[Key, list[ChangeLog]] = field(default_factory=dict)
    absent: set[Key] = field(default_factory=set)
    peers: dict[str, str] = field(default_factory=dict)
    created: list[RecordVersion] = field(default_factory=list)
    moved: dict[int, RecordVersion] = field(default_factory=dict)
    pending: dict[Key, models.Model] = field(default_factory=dict)

    def flush(self, using: str) -> None:
        """Write the rows and versions created or moved while applying."""
        self.flush_rows(using)
        RecordVersion.objects.using(using).bulk_create(self.created, batch_size=500)
        RecordVersion.objects.using(using).bulk_update(
            list(self.moved.values()), ["change"], batch_size=500
        )
        self.created, self.moved = [], {}

    def flush_rows(self, using: str) -> None:
        """Insert the pending rows (before a delete, so that what cascades from it is found)."""
        by_model: dict[type[models.Model], list[models.Model]] = {}
        for instance in self.pending.values():
            by_model.setdefault(type(instance), []).append(instance)
        for model, rows in by_model.items():
            # As ``save_base(raw=True)`` inserts (values as given: no auto_now, no signals),
            # several rows a statement.
            fields = [f for f in model._meta.local_concrete_fields if not f.generated]
            size = max(1, min(500, connections[using].ops.bulk_batch_size(fields, rows)))
            for i in range(0, len(rows), size):
                model._base_manager.using(using)._insert(
                    rows[i : i + size], fields=fields, using=using, raw=True
                )
            for row in rows:
                row._state.adding, row._state.db = False, using
        self.pending = {}


def _chunks(values: list[str], size: int = 500) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def load_batch(changes: list[ChangeLog], using: str = "default") -> Batch:
    """Read, for these changes (already in the log), what applying them needs to know."""
    batch = Batch(peers=dict(Peer.objects.using(using).values_list("node_id", "role")))
    by_model: dict[str, set[str]] = {}
    for change in changes:
        by_model.setdefault(change.model, set()).add(change.object_id)
    for label, id_set in sorted(by_model.items()):
        model = registry.synced_model(label)
        if model is None or registry.policy_of(model) not in registry.MUTABLE:
            continue
        ids = sorted(id_set)
        for chunk in _chunks(ids):
            for held in (
                RecordVersion.objects.using(using)
                .select_for_update()
                .select_related("change")
                .filter(model=label, object_id__in=chunk)
            ):
                batch.versions[(label, held.object_id)] = held
        if registry.policy_of(model) != registry.FIELD_OWNER:
            continue
        if not forgetting.forgets_old(model):
            for object_id in ids:
                batch.changes[(label, object_id)] = []
            for chunk in _chunks(ids):
                for change in ChangeLog.objects.using(using).filter(
                    model=label, object_id__in=chunk
                ):
                    batch.changes[(label, change.object_id)].append(change)
        key = registry.key_of(model) or "pk"
        found: set[str] = set()
        for chunk in _chunks(ids):
            rows = model._default_manager.using(using).filter(**{f"{key}__in": chunk})
            found.update(str(v) for v in rows.values_list(key, flat=True))
        batch.absent.update((label, i) for i in ids if i not in found)
    return batch


def _rows(model: type[models.Model], object_id: str, using: str) -> models.QuerySet:
    return model._default_manager.using(using).filter(**{registry.key_of(model) or "pk": object_id})


def save_values(
    model: type[models.Model], values: dict[str, Any], using: str, *, insert: bool = False
) -> None:
    """Write a payload as this site's row (raw, as fixtures load) and set its links."""
    instance, links = canonical.build_instance(model, values, using)
    with applying():
        instance.save_base(using=using, raw=True, force_insert=insert)
        for name, ids in links.items():
            getattr(instance, name).set(ids)


def _bulk_insertable(model: type[models.Model]) -> bool:
    return not (registry.key_of(model) or model._meta.parents or model._meta.proxy)


def insert_values(
    model: type[models.Model], values: dict[str, Any], using: str, batch: Batch | None, key: Key
) -> None:
    """Write a payload as a new row (or replace one this batch has not written yet): kept in
    ``batch`` for one insert per 500 rows when nothing needs to find it before the end."""
    if batch is None or not _bulk_insertable(model):
        save_values(model, values, using, insert=True)
        return
    instance, links = canonical.build_instance(model, values, using)
    if any(links.values()):
        batch.pending.pop(key, None)
        with applying():
            instance.save_base(using=using, raw=True, force_insert=True)
            for name, ids in links.items():
                getattr(instance, name).set(ids)
        return
    batch.pending[key] = instance


def delete_record(model: type[models.Model], object_id: str, using: str) -> None:
    """Delete the row (and what cascades from it here) without logging a new tombstone.

    The collector is used directly: append-only models refuse ``Model.delete()``."""
    with applying():
        for row in _rows(model, object_id, using):
            collector = models.deletion.Collector(using=using, origin=row)
            collector.collect([row])
            collector.delete()


def apply_change(
    change: ChangeLog,
    using: str = "default",
    present: set[str] | None = None,
    batch: Batch | None = None,
) -> str:
    """Merge a change already stored in the log; returns what happened (for the report).

    ``present``: ids known to have a change here before this import (from ``present_ids``);
    when given, an append-only record absent from it is inserted without another query.
    ``batch``: what ``load_batch`` read for the import's changes; its ``flush`` must run
    before the import commits.
    """
    model = registry.synced_model(change.model)
    if model is None:
        return "skipped"  # relayed onward, but this site does not keep that kind of record
    values = json.loads(change.payload)
    claimed = registry.origin_field(model)
    if claimed and values is not None and values.get(claimed) != change.origin:
        raise BundleError(
            f"a {change.model} record made by node {change.origin} claims to come from node "
            f"{values.get(claimed)}: bundle refused"
        )
    if registry.policy_of(model) == registry.APPEND_ONLY:
        return _merge_append_only(model, change, values, using, present, batch)
    return _merge_versioned(model, change, values, using, batch)


def _merge_append_only(
    model: type[models.Model],
    change: ChangeLog,
    values: dict[str, Any] | None,
    using: str,
    present: set[str] | None,
    batch: Batch | None = None,
) -> str:
    key = (change.model, change.object_id)
    maybe_here = present is None or change.object_id in present
    if present is not None:
        present.add(change.object_id)
    if values is None:
        if batch is not None:
            batch.pending.pop(key, None)
            batch.flush_rows(using)
        delete_record(model, change.object_id, using)
        return "deleted"
    if batch is not None and key in batch.pending:
        return "present"
    if maybe_here:
        if _rows(model, change.object_id, using).exists():
            return "present"
        gone = ChangeLog.objects.using(using).filter(
            model=change.model, object_id=change.object_id, deleted=True
        )
        if gone.exists():
            return "gone"  # deleted before this copy arrived
    insert_values(model, values, using, batch, key)
    return "inserted"


def _merge_versioned(
    model: type[models.Model],
    change: ChangeLog,
    values: dict[str, Any] | None,
    using: str,
    batch: Batch | None = None,
) -> str:
    key = (change.model, change.object_id)
    if batch is not None:
        held = batch.versions.get(key)
    else:
        held = (
            RecordVersion.objects.using(using)
            .select_for_update()
            .select_related("change")
            .filter(model=change.model, object_id=change.object_id)
            .first()
        )
    owned = registry.policy_of(model) == registry.FIELD_OWNER
    if held is None:
        version = RecordVersion(model=change.model, object_id=change.object_id, change=change)
        if batch is not None:
            batch.versions[key] = version
            batch.created.append(version)
        else:
            version.save(using=using, force_insert=True)
        outcome, wins = "applied", True
    else:
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
        if wins:
            held.change = change
            if batch is None:
                held.save(using=using, update_fields=["change"])
            elif held.pk is not None:
                batch.moved[held.pk] = held
        outcome = ("conflict" if concurrent else "applied") if wins else "kept"
    if owned:
        settle_field_owner(model, change.object_id, using, batch)
        return "merged" if outcome == "kept" else outcome
    if wins:
        fields = files.file_fields(model)
        had = forgetting.file_names(_rows(model, change.object_id, using).first()) if fields else {}
        if values is None:
            if batch is not None:
                batch.flush_rows(using)
            delete_record(model, change.object_id, using)
        else:
            save_values(model, values, using)
        # A file the new version no longer names goes from this site too (0066).
        kept = {} if values is None else {files.name_of(values.get(f.attname)): 1 for f in fields}
        forgetting.drop_files(had, kept, using)
        if forgetting.forgets_old(model):
            forgetting.forget_old_versions(change, using)
    return outcome


def role_of(origin: str, using: str = "default", peers: dict[str, str] | None = None) -> str:
    """Whether a change's origin is the hub or a node (as every site agrees)."""
    if origin in {"", local_node_id(using)}:
        return config.sync_role()
    if peers is not None:
        return peers.get(origin, Peer.Role.NODE)
    role = Peer.objects.using(using).filter(node_id=origin).values_list("role", flat=True).first()
    return role or Peer.Role.NODE


def settle_field_owner(
    model: type[models.Model], object_id: str, using: str = "default", batch: Batch | None = None
) -> None:
    """Make the row what every version seen says: owned fields from their owner's newest."""
    label = model._meta.label_lower
    key = (label, object_id)
    if batch is not None and key in batch.changes:
        changes = batch.changes[key]
    else:
        changes = list(ChangeLog.objects.using(using).filter(model=label, object_id=object_id))
    if not changes:
        return
    latest = max(changes, key=version_key)
    if latest.deleted:
        if batch is not None:
            batch.pending.pop(key, None)
            batch.flush_rows(using)
        delete_record(model, object_id, using)
        return
    owners = registry.field_owners(model)
    newest: dict[str, ChangeLog] = {}
    for change in changes:
        if change.deleted:
            continue
        role = role_of(change.origin, using, batch.peers if batch is not None else None)
        if role not in newest or version_key(change) > version_key(newest[role]):
            newest[role] = change
    values = json.loads(latest.payload)
    payloads = {role: json.loads(c.payload) for role, c in newest.items()}
    for attname, role in owners.items():
        if role in payloads and attname in payloads[role]:
            values[attname] = payloads[role][attname]
    if batch is not None and (key in batch.absent or key in batch.pending):
        # No row here yet (or only one this batch will insert): write the whole state.
        batch.absent.discard(key)
        insert_values(model, values, using, batch, key)
        return
    row = _rows(model, object_id, using).first()
    if row is not None and canonical.record_fields(row, using) == values:
        return
    save_values(model, values, using)
