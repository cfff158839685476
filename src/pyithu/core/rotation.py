"""Key rotation: add a new sealing key, re-seal everything under it, optionally drop old keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from pyithu.core import sealing
from pyithu.core.fields import SealedTextField, sealed_storage


@dataclass
class RotationReport:
    new_version: int
    rows_resealed: dict[str, int] = field(default_factory=dict)
    files_resealed: int = 0
    dropped_versions: list[int] = field(default_factory=list)


def sealed_columns() -> list[tuple[str, str, str]]:
    """(table, pk column, sealed column) for every sealed field of every installed model."""
    found = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, SealedTextField):
                found.append((model._meta.db_table, model._meta.pk.column, f.column))
    return found


def reseal_rows() -> dict[str, int]:
    """Re-seal every sealed column value not yet under the current key. Idempotent."""
    current_prefix = f"{sealing.TEXT_PREFIX}{sealing.keyring().current}:"
    counts: dict[str, int] = {}
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table, pk, column in sealed_columns():
            cursor.execute(
                f"SELECT {qn(pk)}, {qn(column)} FROM {qn(table)} "  # noqa: S608 (quoted names)
                f"WHERE {qn(column)} LIKE %s AND {qn(column)} NOT LIKE %s",
                [f"{sealing.TEXT_PREFIX}%", f"{current_prefix}%"],
            )
            rows = cursor.fetchall()
            for pk_value, sealed in rows:
                fresh = sealing.seal_text(sealing.unseal_text(sealed))
                cursor.execute(
                    f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE {qn(pk)} = %s",  # noqa: S608
                    [fresh, pk_value],
                )
            if rows:
                counts[f"{table}.{column}"] = len(rows)
    return counts


def reseal_files() -> int:
    root = Path(sealed_storage.location)
    if not root.exists():
        return 0
    return sum(sealed_storage.reseal(p.name) for p in root.glob("*.sealed"))


def rotate_keys(*, drop_old: bool = False) -> RotationReport:
    if settings.PYITHU_KEYS_JSON:
        raise ImproperlyConfigured(
            "keys come from PYITHU_KEYS; rotate with a key file (PYITHU_KEY_FILE) instead"
        )
    ring = sealing.keyring()
    version = max(ring.keys) + 1
    path = Path(settings.PYITHU_KEY_FILE)
    sealing.write_keyring(
        sealing.KeyRing(
            {**ring.keys, version: sealing.new_key()}, version, ring.digest_key, ring.lookup_key
        ),
        path,
    )
    sealing.reset_keyring()
    report = RotationReport(new_version=version)
    report.rows_resealed = reseal_rows()
    report.files_resealed = reseal_files()
    if drop_old:
        # Only after every row and file is re-sealed; a crash before here keeps old keys.
        report.dropped_versions = sorted(v for v in ring.keys if v != version)
        fresh = sealing.keyring()
        sealing.write_keyring(
            sealing.KeyRing(
                {version: fresh.keys[version]}, version, fresh.digest_key, fresh.lookup_key
            ),
            path,
        )
        sealing.reset_keyring()
    return report
