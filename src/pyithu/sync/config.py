"""Sync settings, read from the environment when asked (never at import time).

The lead will move these into ``settings.py``; until then this is the one place that reads them.

``PYITHU_SYNC_ROLE``        ``hub`` (default) or ``node``. The hub executes money requests.
``PYITHU_NODE_KEY_FILE``    the passphrase-locked identity file (``<VAR_DIR>/node_key.json``).
``PYITHU_NODE_PASSPHRASE``  (or ``PYITHU_NODE_PASSPHRASE_FILE``) unlocks it for unattended
                            commands; when unset, commands ask on the terminal.
``PYITHU_SYNC_BUNDLE_DIR``  where incoming bundles wait for import (default ``<VAR_DIR>/bundles``).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

HUB = "hub"
NODE = "node"


def sync_role() -> str:
    role = os.environ.get("PYITHU_SYNC_ROLE", HUB).strip().lower() or HUB
    if role not in {HUB, NODE}:
        raise ImproperlyConfigured("PYITHU_SYNC_ROLE must be 'hub' or 'node'")
    return role


def node_key_file() -> Path:
    value = os.environ.get("PYITHU_NODE_KEY_FILE", "").strip()
    return Path(value) if value else Path(settings.VAR_DIR) / "node_key.json"


def node_passphrase() -> str | None:
    path = os.environ.get("PYITHU_NODE_PASSPHRASE_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get("PYITHU_NODE_PASSPHRASE") or None


def bundle_dir() -> Path:
    value = os.environ.get("PYITHU_SYNC_BUNDLE_DIR", "").strip()
    return Path(value) if value else Path(settings.VAR_DIR) / "bundles"
