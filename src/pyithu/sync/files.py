"""Files (``FileField``, e.g. sealed supporting documents) travel as bytes inside bundles.

A record's payload names each file by ``{"n": stored name, "h": BLAKE2b-256 of its bytes}``,
so the origin's signature covers the bytes too. The bytes ride after everything else in the
bundle (lowest priority: under a byte cap they go only if room is left), and the receiver
writes them under the same name, sealed again by its own storage, once the import commits.
A file that did not come (no room, or the sender no longer holds it) is remembered as a
``MissingFile``; every later bundle from the receiver asks for it (``want``) and the sender
adds it to its next bundle: an interrupted transfer resumes file by file.

A file travels once to each peer (decision 0065): it is not sent again with a later version of
its record (a marked submission going back to the node the work came from, a lesson whose title
was edited) when the peer already holds an earlier change naming the same file and digest, since
that peer either has the bytes or asks for them. Within one bundle, equal bytes under two names
travel once (the second is listed with size 0 and the receiver takes the first's bytes). Each
file is zstd-compressed when that makes it smaller (index entry ``[name, digest, size, 1]``).
"""

from __future__ import annotations

import json
import re
from typing import Any

import nacl.encoding
import nacl.hash
import zstandard
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q

from pyithu.core.fields import SealedFileStorage
from pyithu.sync import registry, vectors
from pyithu.sync.models import ChangeLog, MissingFile, Peer

FILE_ZSTD_LEVEL = 10  # files are compressed one by one, kept so only when it helps
MAX_FILE_BYTES = 64 * 1024 * 1024
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
    held = held_by(peer, wires, refs, using)
    index: list[list[Any]] = []
    blobs: list[bytes] = []
    storages = {name: storage for name, (_h, storage) in refs.items()}
    order = [(n, h) for n, (h, _s) in refs.items() if n not in held] + sorted(wanted.items())
    seen: set[str] = set()
    digests: set[str] = set()
    for name, expected in order:
        if name in seen or not SAFE_NAME.match(name):
            continue
        seen.add(name)
        if expected in digests:
            index.append([name, expected, 0])  # the same bytes are already in this bundle
            continue
        storage = storages.get(name) or _storage_for_wanted()
        try:
            with storage.open(name) as fh:
                data = fh.read()
        except OSError:
            continue
        if digest(data) != expected:
            continue
        packed = zstandard.ZstdCompressor(level=FILE_ZSTD_LEVEL).compress(data)
        wire = packed if len(packed) < len(data) else data
        if budget is not None:
            if len(wire) + 100 > budget:
                continue
            budget -= len(wire) + 100
        index.append([name, expected, len(wire)] + ([1] if wire is packed else []))
        blobs.append(wire)
        digests.add(expected)
    return index, blobs


def held_by(
    peer: Peer,
    wires: list[dict[str, Any]],
    refs: dict[str, tuple[str, Any]],
    using: str = "default",
) -> set[str]:
    """Names among ``refs`` that an earlier change the peer holds already named (same
    digest): the peer has those bytes, or lists them in its ``want``."""
    if not refs:
        return set()
    records: dict[str, set[str]] = {}
    for wire in wires:
        payload = wire.get("p")
        if isinstance(payload, dict) and any(
            isinstance(payload.get(f.attname), dict)
            for f in file_fields(registry.synced_model(str(wire.get("m"))) or models.Model)
        ):
            key = str(wire.get("k") or payload.get("id"))
            records.setdefault(str(wire["m"]), set()).add(key)
    theirs = vectors.clean(peer.known_vector)
    lacking = vectors.missing_filter(theirs, vectors.clean_extras(peer.known_extra))
    sent = {(w.get("o"), w.get("n")) for w in wires}
    found: set[str] = set()
    for label, ids in records.items():
        model = registry.synced_model(label)
        earlier = (
            ChangeLog.objects.using(using)
            .filter(model=label, object_id__in=sorted(ids), counter__isnull=False)
            .exclude(lacking & ~Q(origin=peer.node_id))
        )
        for change in earlier:
            if (change.origin, change.counter) in sent or change.deleted:
                continue
            payload = json.loads(change.payload)
            for field in file_fields(model):
                raw = payload.get(field.attname) if isinstance(payload, dict) else None
                if isinstance(raw, dict) and refs.get(str(raw.get("n")), ("",))[0] == raw.get("h"):
                    found.add(str(raw["n"]))
    return found


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
    offset, arrived, by_digest = 0, {}, {}
    for entry in index:
        name, expected, size = entry[:3]
        blob = data[offset : offset + int(size)]
        offset += int(size)
        name, expected = str(name), str(expected)
        if len(entry) > 3 and entry[3] == 1:
            blob = zstandard.ZstdDecompressor().decompress(blob, max_output_size=MAX_FILE_BYTES)
        if int(size) == 0 and expected in by_digest:
            blob = by_digest[expected]  # the same bytes as a file earlier in this bundle
        by_digest.setdefault(expected, blob)
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
