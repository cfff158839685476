"""What ``/readyz`` checks: can this app server do its work now?

Database, cache, sealing keys and migrations decide readiness (a server that fails one is taken
out of the proxy's rotation). Outbox and sync lag are reported beside them but block readiness
only past a limit the operator sets (``PYITHU_READY_OUTBOX_LAG_SECONDS``,
``PYITHU_READY_SYNC_LAG_SECONDS``): a slow SMS gateway or a township offline through a shutdown
is not a reason to stop serving everyone else (decision 0081).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from pyithu.core import sealing
from pyithu.operations import metrics

# A process that once saw every migration applied keeps that answer this long.
_MIGRATIONS_OK_SECONDS = 60.0
_migrations_ok_at = 0.0


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _cache() -> dict[str, Any]:
    key, value = f"pyithu-ready-{secrets.token_hex(4)}", secrets.token_hex(4)
    cache.set(key, value, 10)
    seen = cache.get(key)
    cache.delete(key)
    return {"ok": seen == value}


def _keys() -> dict[str, Any]:
    if not settings.PYITHU_KEYS_JSON:
        path = Path(settings.PYITHU_KEY_FILE)
        with open(path, "rb") as fh:
            fh.read(1)
    ring = sealing.keyring()
    probe = secrets.token_hex(4)
    return {"ok": sealing.unseal_text(sealing.seal_text(probe)) == probe, "current": ring.current}


def _migrations() -> dict[str, Any]:
    global _migrations_ok_at
    if time.monotonic() - _migrations_ok_at < _MIGRATIONS_OK_SECONDS:
        return {"ok": True, "pending": 0}
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    if pending == 0:
        _migrations_ok_at = time.monotonic()
    return {"ok": pending == 0, "pending": pending}


def _lag(figures: dict[str, Any], limit: int) -> dict[str, Any]:
    lag = round(float(figures["lag_seconds"]), 1)
    return {"ok": not limit or lag <= limit, "lag_seconds": lag, "limit_seconds": limit or None}


def _outbox() -> dict[str, Any]:
    figures = metrics.outbox_figures()
    return _lag(figures, settings.PYITHU_READY_OUTBOX_LAG_SECONDS) | {
        "backlog": int(figures["backlog"])
    }


def _sync() -> dict[str, Any]:
    figures = metrics.sync_figures()
    return _lag(figures, settings.PYITHU_READY_SYNC_LAG_SECONDS) | {"peers": len(figures["peers"])}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": _database,
    "cache": _cache,
    "keys": _keys,
    "migrations": _migrations,
    "outbox": _outbox,
    "sync": _sync,
}


def readiness() -> dict[str, Any]:
    """Each check's result; a check that raises is not ok and names only the error's class."""
    results: dict[str, Any] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = check()
        except Exception as exc:  # any failure makes the server not ready; say which kind
            result = {"ok": False, "error": type(exc).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return {"ready": all(r["ok"] for r in results.values()), "checks": results}
