"""Prometheus metrics (``prometheus_client``), with no personal data in any label.

Labels are route names (``health:case``), methods and status classes (``2xx``), never paths,
query strings, handles or addresses. Under gunicorn every worker is a process: with
``PROMETHEUS_MULTIPROC_DIR`` set (``pyithu serve`` sets and empties one), counters go to files
there and a scrape of any worker adds up all of them. Figures read from the database (outbox
backlog, sync lag, free disk) are computed at scrape time, once, by the worker that answers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import DatabaseError
from django.db.models import Min
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

# The *_created series double every counter's lines and no alert reads them.
disable_created_metrics()

REQUESTS = Counter(
    "pyithu_http_requests",
    "HTTP requests answered, by route name, method and status class.",
    ["route", "method", "status"],
)
DURATION = Histogram(
    "pyithu_http_request_duration_seconds",
    "Time to answer a request, by route name.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
LOGIN_FAILURES = Counter(
    "pyithu_login_failures",
    "Refused sign-ins, by step (passphrase or second_factor).",
    ["step"],
)

# Both steps exported from the start (at 0), so a rate() over them exists before any failure.
for _step in ("passphrase", "second_factor"):
    LOGIN_FAILURES.labels(step=_step)


def _login_failed(sender: Any, **kwargs: Any) -> None:
    step = "passphrase" if sender == "django.contrib.auth" else "second_factor"
    LOGIN_FAILURES.labels(step=step).inc()


def connect_signals() -> None:
    user_login_failed.connect(_login_failed, dispatch_uid="pyithu-metrics-login-failed")


def status_class(status: int) -> str:
    return f"{status // 100}xx" if 100 <= status < 600 else "other"


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    method = method if method in {"GET", "POST", "HEAD", "PUT", "PATCH", "DELETE"} else "other"
    REQUESTS.labels(route=route, method=method, status=status_class(status)).inc()
    DURATION.labels(route=route).observe(seconds)


# --- figures read at scrape time ---------------------------------------------------------------


def outbox_figures() -> dict[str, float]:
    """How many messages wait, and how late the oldest due one is (seconds; 0 when none)."""
    from pyithu.outbox.models import Message, MessageState

    now = timezone.now()
    waiting = Message.objects.filter(state__in=[MessageState.QUEUED, MessageState.SENDING])
    oldest = waiting.filter(next_attempt_at__lte=now).aggregate(t=Min("next_attempt_at"))["t"]
    return {
        "backlog": float(waiting.count()),
        "lag_seconds": max((now - oldest).total_seconds(), 0.0) if oldest else 0.0,
    }


def sync_figures() -> dict[str, Any]:
    """Seconds since each active peer last synced (since it was registered, if never)."""
    from pyithu.sync.models import Peer

    now = timezone.now()
    lags = {}
    for node_id, last, created in Peer.objects.filter(revoked_at__isnull=True).values_list(
        "node_id", "last_sync_at", "created_at"
    ):
        lags[node_id] = max((now - (last or created)).total_seconds(), 0.0)
    return {"peers": lags, "lag_seconds": max(lags.values(), default=0.0)}


def newest_backup_time() -> float | None:
    """When the newest ``pyithu-*.age`` in the backup directory was written (None: none)."""
    from pathlib import Path

    directory = Path(settings.PYITHU_BACKUP_DIR or Path(settings.VAR_DIR) / "backups")
    times = (
        [p.stat().st_mtime for p in directory.glob("pyithu-*Z.age")] if directory.is_dir() else []
    )
    return max(times, default=None)


class DatabaseCollector:
    """Gauges computed from the database when scraped (never per request)."""

    def collect(self) -> Any:
        # The counters still scrape when the database is down; /readyz says why.
        with contextlib.suppress(DatabaseError):
            yield from self._from_database()
        yield from self._from_disk()

    def _from_database(self) -> Any:
        outbox = outbox_figures()
        sync_peers = sync_figures()["peers"]
        backlog = GaugeMetricFamily(
            "pyithu_outbox_backlog", "Outbox messages queued or being sent."
        )
        backlog.add_metric([], outbox["backlog"])
        yield backlog
        lag = GaugeMetricFamily(
            "pyithu_outbox_lag_seconds", "How long the oldest due outbox message has waited."
        )
        lag.add_metric([], outbox["lag_seconds"])
        yield lag
        sync = GaugeMetricFamily(
            "pyithu_sync_lag_seconds",
            "Seconds since each active sync peer (by node id) last synced.",
            labels=["node"],
        )
        for node, seconds in sorted(sync_peers.items()):
            sync.add_metric([node], seconds)
        yield sync

    def _from_disk(self) -> Any:
        usage = shutil.disk_usage(settings.VAR_DIR)
        disk = GaugeMetricFamily(
            "pyithu_var_disk_free_ratio", "Free space on the file system of the var directory."
        )
        disk.add_metric([], usage.free / usage.total if usage.total else 0.0)
        yield disk
        newest = newest_backup_time()
        if newest is not None:
            age = GaugeMetricFamily(
                "pyithu_backup_age_seconds", "Age of the newest backup in the backup directory."
            )
            age.add_metric([], max(time.time() - newest, 0.0))
            yield age
        scraped = GaugeMetricFamily("pyithu_scrape_timestamp_seconds", "When this was read.")
        scraped.add_metric([], time.time())
        yield scraped


def exposition() -> tuple[bytes, str]:
    """The text a scrape returns: every worker's counters and the database's figures."""
    database = CollectorRegistry(auto_describe=True)
    database.register(DatabaseCollector())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        workers = CollectorRegistry()
        multiprocess.MultiProcessCollector(workers)
        body = generate_latest(workers)
    else:
        body = generate_latest(REGISTRY)
    return body + generate_latest(database), CONTENT_TYPE_LATEST
