"""Files (``FileField``, e.g. sealed supporting documents) travel as bytes inside bundles.

A record's payload names each file by ``{"n": stored name, "h": BLAKE2b-256 of its bytes}``,
so the origin's signature covers the bytes too. The bytes ride after everything else in the
bundle (lowest priority: under a byte cap they go only if room is left), and the receiver
writes them under the same name, sealed again by its own storage, once the import commits.
A file that did not come (no room, or the sender no longer holds it) is remembered as a
``MissingFile``; every later bundle from the receiver asks for it (``want``) and the sender
adds it to its next bundle.
"""

from __future__ import annotations

import re
from typing import Any

import nacl.encoding
import nacl.hash
from django.core.files.base import ContentFile
from django.db import models, transaction

from pyithu.core.fields import SealedFileStorage
from pyithu.sync import registry
from pyithu.sync.models import MissingFile, Peer

SAFE_NAME = re.compile(r"^[A-Za-z0-9_\-]{1,80}(\.[A-Za-z0-9]{1,10})?$")


def digest(data: bytes) -> str:
    return nacl.hash.blake2b(data, digest_size=32, encoder=nacl.encoding.HexEncoder).decode()


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def reference(value: Any) -> Any:
    """A payload value for a FieldFile: "" when empty, else its name and digest."""
    if not value or not value.name:
        return ""
    try:
        with value.storage.open(value.name) as fh:
            data = fh.read()
    except OSError:
        return {"n": value.name, "h": ""}
    return {"n": value.name, "h": digest(data)}


def name_of(raw: Any) -> str:
    if isinstance(raw, dict):
        return str(raw.get("n") or "")
    return str(raw or "")


def refs_in(wires: list[dict[str, Any]]) -> dict[str, tuple[str, Any]]:
    """Files named by these changes: name -> (digest, storage)."""
    refs: dict[str, tuple[str, Any]] = {}
    for wire in wires:
        model = registry.synced_model(str(wire.get("m")))
        if model is None or not isinstance(wire.get("p"), dict):
            continue
        for field in file_fields(model):
            raw = wire["p"].get(field.attname)
            if isinstance(raw, dict) and raw.get("n") and raw.get("h"):
                refs[str(raw["n"])] = (str(raw["h"]), field.storage)
    return refs


def outgoing(
    wires: list[dict[str, Any]], peer: Peer, budget: int | None, using: str = "default"
) -> tuple[list[list[Any]], list[bytes]]:
    """(index, bytes) of the files to send: those these changes name, then those the peer
    asked for, while they fit in ``budget``."""
    wanted = {str(n): str(h) for n, h in (peer.wanted_files or {}).items()}
    refs = refs_in(wires)
    index: list[list[Any]] = []
    blobs: list[bytes] = []
    storages = {name: storage for name, (_h, storage) in refs.items()}
    order = [(n, h) for n, (h, _s) in refs.items()] + sorted(wanted.items())
    seen = set()
    for name, expected in order:
        if name in seen or not SAFE_NAME.match(name):
            continue
        seen.add(name)
        storage = storages.get(name) or _storage_for_wanted()
        try:
            with storage.open(name) as fh:
                data = fh.read()
        except OSError:
            continue
        if digest(data) != expected:
            continue
        if budget is not None:
            if len(data) + 100 > budget:
                continue
            budget -= len(data) + 100
        index.append([name, expected, len(data)])
        blobs.append(data)
    return index, blobs


def _storage_for_wanted() -> Any:
    from pyithu.core.fields import sealed_storage

    return sealed_storage


def receive(
    contents: dict[str, Any], applied_wires: list[dict[str, Any]], using: str = "default"
) -> int:
    """Write the files that came (checked against the digests the records name) after commit;
    remember those named but missing. Returns the number of files written."""
    index = contents.get("files") or []
    data = contents.get("file_bytes") or b""
    refs = refs_in(applied_wires)
    wanted = {
        m.name: m.digest
        for m in MissingFile.objects.using(using).filter(name__in=[str(i[0]) for i in index])
    }
    offset, arrived = 0, {}
    for name, expected, size in index:
        blob = data[offset : offset + int(size)]
        offset += int(size)
        name, expected = str(name), str(expected)
        known = refs[name][0] if name in refs else wanted.get(name)
        if known != expected or digest(blob) != expected or not SAFE_NAME.match(name):
            raise ValueError(f"the file {name} does not match the record naming it")
        arrived[name] = blob
    written = 0
    for name, (expected, storage) in {**refs}.items():
        if name in arrived:
            _write_on_commit(storage, name, arrived[name], using)
            written += 1
        elif not storage.exists(name):
            MissingFile.objects.using(using).get_or_create(name=name, defaults={"digest": expected})
    for name in set(arrived) - set(refs):
        _write_on_commit(_storage_for_wanted(), name, arrived[name], using)
        written += 1
    MissingFile.objects.using(using).filter(name__in=list(arrived)).delete()
    return written


def _write_on_commit(storage: Any, name: str, blob: bytes, using: str) -> None:
    def write() -> None:
        if storage.exists(name):
            return
        if isinstance(storage, SealedFileStorage):
            storage._save(name, ContentFile(blob))
        else:
            storage.save(name, ContentFile(blob))

    transaction.on_commit(write, using=using)


def wanted(using: str = "default") -> dict[str, str]:
    """Files this site lacks, to ask the sender of the next bundle for (at most 200)."""
    return dict(MissingFile.objects.using(using).values_list("name", "digest")[:200])
