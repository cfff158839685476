"""/healthz, /readyz, /metrics and the request log: what they say, who may read them, and
that no label or log line carries a path, a query, a handle or an address."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from pyithu.core import sealing
from pyithu.operations import metrics
from pyithu.operations.middleware import RequestMetricsMiddleware
from pyithu.outbox.services import enqueue


def _samples(body: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body.decode())
        for s in family.samples
    }


def _value(client: Client, name: str, **labels: str) -> float:
    body = client.get("/metrics").content
    return _samples(body).get((name, tuple(sorted(labels.items()))), 0.0)


def test_healthz_answers_without_the_database(client: Client, db: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert len(queries) == 0


def test_readyz_reports_each_check(client: Client, db: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ready"] is True
    assert set(body["checks"]) == {"database", "cache", "keys", "migrations", "outbox", "sync"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["migrations"]["pending"] == 0


def test_readyz_is_503_when_the_key_file_cannot_be_read(
    client: Client, db: Any, settings: Any, tmp_path: Path
) -> None:
    settings.PYITHU_KEYS_JSON = ""
    settings.PYITHU_KEY_FILE = tmp_path / "gone.json"
    response = client.get("/readyz")
    assert response.status_code == 503
    keys = response.json()["checks"]["keys"]
    assert keys == {"ok": False, "error": "FileNotFoundError", "ms": keys["ms"]}
    assert response.json()["checks"]["database"]["ok"] is True


def test_outbox_lag_blocks_readiness_only_past_the_operators_limit(
    client: Client, db: Any, settings: Any
) -> None:
    enqueue("console", "09-000-222", "hello", now=timezone.now() - timedelta(hours=2))
    outbox = client.get("/readyz").json()["checks"]["outbox"]
    assert outbox["ok"] is True and outbox["backlog"] == 1
    assert outbox["lag_seconds"] >= 7100 and outbox["limit_seconds"] is None

    settings.PYITHU_READY_OUTBOX_LAG_SECONDS = 600
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["outbox"]["ok"] is False
    assert _value(client, "pyithu_outbox_backlog") == 1
    assert _value(client, "pyithu_outbox_lag_seconds") >= 7100


def test_sync_lag_is_reported_per_node(client: Client, db: Any, settings: Any) -> None:
    from pyithu.sync.models import Peer

    Peer.objects.create(node_id="n1", name="Hpa-an", verify_key="v", box_key="b")
    Peer.objects.filter(node_id="n1").update(last_sync_at=timezone.now() - timedelta(hours=3))
    Peer.objects.create(
        node_id="n2", name="gone", verify_key="v2", box_key="b2", revoked_at=timezone.now()
    )
    assert client.get("/readyz").json()["checks"]["sync"]["peers"] == 1
    assert _value(client, "pyithu_sync_lag_seconds", node="n1") >= 3 * 3600 - 5
    assert _value(client, "pyithu_sync_lag_seconds", node="n2") == 0.0  # revoked: not listed
    settings.PYITHU_READY_SYNC_LAG_SECONDS = 3600
    assert client.get("/readyz").status_code == 503


def test_metrics_only_for_loopback_or_the_token(db: Any, settings: Any) -> None:
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="203.0.113.9").get("/metrics").status_code == 403
    # Through the proxy: it connects from loopback but says for whom.
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert proxied.get("/metrics").status_code == 403
    settings.PYITHU_METRICS_TOKEN = "s3cret-scrape-token"
    remote = Client(REMOTE_ADDR="203.0.113.9")
    assert remote.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    ok = remote.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert ok.status_code == 200
    assert ok["Content-Type"].startswith("text/plain")


def test_labels_are_route_names_and_status_classes(client: Client, db: Any) -> None:
    before = _value(
        client, "pyithu_http_requests_total", route="unmatched", method="GET", status="4xx"
    )
    client.get("/no-such-page-CODE-7Q4K9/?code=SECRET-XYZ")
    client.get("/places/townships/?q=SECRET-QUERY")
    body = client.get("/metrics").content.decode()
    after = _samples(body.encode())
    key = (
        "pyithu_http_requests_total",
        (("method", "GET"), ("route", "unmatched"), ("status", "4xx")),
    )
    assert after[key] == before + 1
    assert any(
        name == "pyithu_http_requests_total" and dict(labels).get("route") == "geo:townships"
        for name, labels in after
    )
    for secret in ("CODE-7Q4K9", "SECRET-XYZ", "SECRET-QUERY", "/places/", "127.0.0.1"):
        assert secret not in body


def test_server_errors_are_counted_as_5xx(client: Client, db: Any) -> None:
    before = _value(
        client, "pyithu_http_requests_total", route="unmatched", method="POST", status="5xx"
    )
    middleware = RequestMetricsMiddleware(lambda request: HttpResponse(status=502))
    middleware(RequestFactory().post("/anything"))
    after = _value(
        client, "pyithu_http_requests_total", route="unmatched", method="POST", status="5xx"
    )
    assert after == before + 1


def test_login_failures_are_counted(client: Client, alice: Any) -> None:
    before = _value(client, "pyithu_login_failures_total", step="passphrase")
    response = client.post("/accounts/login/", {"handle": "alice", "passphrase": "wrong guess 123"})
    assert response.status_code == 400
    assert _value(client, "pyithu_login_failures_total", step="passphrase") == before + 1


def test_request_log_has_no_path_query_or_address(
    client: Client, db: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="pyithu.request"):
        client.get("/places/townships/?q=SECRET-QUERY", REMOTE_ADDR="198.51.100.23")
        client.get("/healthz")
    lines = [r.getMessage() for r in caplog.records if r.name == "pyithu.request"]
    assert len(lines) == 1  # probes are not logged
    line = lines[0]
    assert line.startswith("GET geo:townships 200 ")
    day = timezone.now().date()
    digest = sealing.digest("request-client", f"{day}\n198.51.100.23")
    assert f"client={digest[:16]}" in line
    for secret in ("SECRET-QUERY", "/places/", "198.51.100.23", "townships/?"):
        assert secret not in line


def test_counts_from_several_worker_processes_add_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: Any
) -> None:
    """gunicorn's workers are processes: each writes its counts to PROMETHEUS_MULTIPROC_DIR and
    a scrape answered by any one of them sums them all."""
    shared = tmp_path / "metrics"
    shared.mkdir()
    worker = (
        "from pyithu.operations import metrics\n"
        "metrics.observe_request('education:exam_question', 'POST', 200, 0.01)\n"
        "metrics.observe_request('education:exam_question', 'POST', 200, 0.02)\n"
    )
    env = dict(os.environ, PROMETHEUS_MULTIPROC_DIR=str(shared))
    for _ in range(2):
        subprocess.run([sys.executable, "-c", worker], env=env, check=True, timeout=120)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(shared))
    body, _type = metrics.exposition()
    samples = _samples(body)
    key = (
        "pyithu_http_requests_total",
        (("method", "POST"), ("route", "education:exam_question"), ("status", "2xx")),
    )
    assert samples[key] == 4
    assert ("pyithu_outbox_backlog", ()) in samples  # the database's figures beside them


def test_wrong_second_factor_codes_are_counted(client: Client, make_staff: Any) -> None:
    from pyithu.accounts import services

    olga = make_staff("operator-olga")
    before = _value(client, "pyithu_login_failures_total", step="second_factor")
    with pytest.raises(services.AccountError):
        services.check_totp(RequestFactory().post("/accounts/login/code/"), olga, "000000x")
    assert _value(client, "pyithu_login_failures_total", step="second_factor") == before + 1


def test_gunicorn_workers_share_their_counts(tmp_path: Path, free_port: int) -> None:
    """`pyithu serve` with two workers: every scrape, whichever worker answers it, reports all
    the requests; counts left by an earlier run are emptied at start."""
    import time
    import urllib.error
    import urllib.request

    shared = tmp_path / "metrics"
    shared.mkdir()
    (shared / "counter_99999.db").write_bytes(b"stale")
    env = dict(
        os.environ,
        PYITHU_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PROMETHEUS_MULTIPROC_DIR=str(shared),
        PYITHU_WORKERS="2",
        PYITHU_BIND=f"127.0.0.1:{free_port}",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "pyithu.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{free_port}"
    try:
        for _ in range(100):  # up once it answers (a 404: this probe is not counted below)
            try:
                urllib.request.urlopen(f"{base}/starting", timeout=2)  # noqa: S310
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.2)
        for _ in range(20):
            urllib.request.urlopen(f"{base}/healthz", timeout=5).read()  # noqa: S310
        key = (
            "pyithu_http_requests_total",
            (("method", "GET"), ("route", "operations:healthz"), ("status", "2xx")),
        )
        for _ in range(4):
            body = urllib.request.urlopen(f"{base}/metrics", timeout=5).read()  # noqa: S310
            assert _samples(body)[key] == 20
        assert not (shared / "counter_99999.db").exists()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_failing_log_never_fails_the_answer(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any) -> str:
        raise OSError("disk full")

    monkeypatch.setattr("pyithu.operations.middleware.client_digest", broken)
    middleware = RequestMetricsMiddleware(lambda request: HttpResponse("fine"))
    with caplog.at_level(logging.INFO, logger="pyithu.request"):
        response = middleware(RequestFactory().get("/"))
    assert response.status_code == 200 and response.content == b"fine"
    assert "request not recorded" in caplog.text
