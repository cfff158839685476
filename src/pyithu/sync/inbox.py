"""The drop folder: bundles copied from a USB stick wait here (``PYITHU_SYNC_BUNDLE_DIR``,
default ``<VAR_DIR>/bundles``) until `pyithu sync import` (no file) or the status page imports
them. An imported bundle moves to ``done/``, a refused one to ``refused/`` with the reason
beside it, so the folder only ever lists what is still waiting. Import is idempotent (0053):
a bundle copied in twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyithu.sync import config
from pyithu.sync.bundles import BundleError
from pyithu.sync.exchange import import_bundle
from pyithu.sync.identity import Identity

SUFFIX = ".bundle"


@dataclass(frozen=True)
class InboxResult:
    name: str
    imported: bool
    message: str


def waiting(directory: Path | None = None) -> list[Path]:
    directory = directory or config.bundle_dir()
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_file() and p.name.endswith(SUFFIX))


def _move(path: Path, folder: str) -> Path:
    target = path.parent / folder
    target.mkdir(exist_ok=True)
    destination = target / path.name
    path.replace(destination)
    return destination


def import_waiting(identity: Identity, directory: Path | None = None) -> list[InboxResult]:
    """Import every waiting bundle, oldest name first; each one whole or not at all."""
    results = []
    for path in waiting(directory):
        try:
            report = import_bundle(path.read_bytes(), identity)
        except BundleError as exc:
            moved = _move(path, "refused")
            moved.with_name(moved.name + ".txt").write_text(str(exc) + "\n", encoding="utf-8")
            results.append(InboxResult(path.name, False, str(exc)))
            continue
        _move(path, "done")
        summary = f"from {report.sender}: {report.new} new of {report.received} change(s)"
        results.append(InboxResult(path.name, True, summary))
    return results
