"""Forgetting what a record no longer holds (decision 0066).

Two things a newer version of a record can leave behind on every site it reaches:

- **Files it no longer names.** When a version that replaces or clears a file (a resubmitted
  piece of work, an application whose school has decided) is applied here, the old file is
  deleted from this site's storage once the import commits, and no longer asked for.
- **Old versions in the log** (models declaring ``SYNC_FORGET_OLD = True``, e.g. an
  application: its earlier versions named the supporting document and the applicant's
  pseudonym). Once a newer version is held, each older one that has left its origin becomes a
  bare placeholder: no model, no record id, no payload, only the BLAKE2b hash of what was signed,
  which is all a relay needs to prove the segment to a site that lacks it (as for changes
  withheld by scope, 0055). Changes that never left are deleted outright
  (``tracking.forget_superseded``). A node forgets only what its hub already holds, so it never
  has to send a segment made of placeholders alone.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from pyithu.sync import bundles, config, segments, vectors
from pyithu.sync.files import file_fields, name_of
from pyithu.sync.identity import b64
from pyithu.sync.models import ChangeLog, ConflictHistory, MissingFile, Peer, PlainPayload


def file_names(instance: models.Model | None) -> dict[str, Any]:
    """Stored file name -> storage, for each file the row names."""
    if instance is None:
        return {}
    out = {}
    for field in file_fields(type(instance)):
        name = name_of(getattr(instance, field.attname, ""))
        if name:
            out[name] = field.storage
    return out


def drop_files(old: dict[str, Any], new: dict[str, Any], using: str = "default") -> list[str]:
    """Delete (after commit) the files ``old`` named that ``new`` does not; stop asking for
    them. Returns the names dropped."""
    gone = [name for name in old if name not in new]
    if not gone:
        return []
    MissingFile.objects.using(using).filter(name__in=gone).delete()

    def delete() -> None:
        for name in gone:
            storage = old[name]
            if storage.exists(name):
                storage.delete(name)

    transaction.on_commit(delete, using=using)
    return gone


def forgets_old(model: type[models.Model] | None) -> bool:
    return bool(model is not None and getattr(model, "SYNC_FORGET_OLD", False))


def forget_old_versions(latest: ChangeLog, using: str = "default") -> int:
    """Turn the record's versions older than ``latest`` into hash-only placeholders."""
    older = ChangeLog.objects.using(using).filter(
        model=latest.model, object_id=latest.object_id, counter__isnull=False, hlc__lt=latest.hlc
    )
    older = older.exclude(pk=latest.pk)
    conflicts = ConflictHistory.objects.using(using)
    older = older.exclude(pk__in=conflicts.values("winner_id")).exclude(
        pk__in=conflicts.values("loser_id")
    )
    if config.sync_role() == config.NODE:
        hubs = Peer.objects.using(using).filter(role=Peer.Role.HUB, revoked_at__isnull=True)
        for hub in hubs:
            lacking = vectors.missing_filter(
                vectors.clean(hub.known_vector), vectors.clean_extras(hub.known_extra)
            )
            older = older.exclude(lacking)
        if not hubs:
            return 0
    forgotten = 0
    for change in older.filter(segment__isnull=False):
        digest = b64(segments.change_hash(bundles.change_wire(change)))
        ChangeLog.objects.using(using).filter(pk=change.pk).update(
            model="", object_id="", payload=PlainPayload("#" + digest), base_origin=""
        )
        forgotten += 1
    return forgotten
