"""The example alert rules parse and only name metrics this site exports."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

yaml = pytest.importorskip("yaml")

RULES = Path(settings.PROJECT_DIR) / "deploy" / "prometheus" / "pyithu-alerts.yml"


def test_every_alert_names_exported_metrics(db: Any, settings: Any, tmp_path: Path) -> None:
    (tmp_path / "pyithu-20261204T020000Z.age").write_bytes(b"x")
    settings.PYITHU_BACKUP_DIR = str(tmp_path)
    Client().get("/healthz")
    exported = Client().get("/metrics").content.decode()
    rules = yaml.safe_load(RULES.read_text())["groups"][0]["rules"]
    names = {rule["alert"] for rule in rules}
    assert {
        "PyithuLoginFailureSpike",
        "PyithuServerErrors",
        "PyithuOutboxBacklog",
        "PyithuSyncLag",
        "PyithuDiskLow",
    } <= names
    for rule in rules:
        for metric in set(re.findall(r"\bpyithu_[a-z_]+", rule["expr"])):
            typed = {f"# TYPE {metric} ", f"# TYPE {metric.removesuffix('_total')} "}
            assert any(t in exported for t in typed), f"{rule['alert']}: {metric} not exported"
        assert rule["annotations"]["summary"] and rule["labels"]["severity"]
