"""One Pyithu site in its own process, database and key ring, driven by JSON lines on stdin.

Used by ``test_sites.py`` (and ``bench/sync.py``) so that multi-site tests are honest: each site
has its own SQLite file, its own sealing keys and its own node identity.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import traceback
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pyithu.settings")
# The site is a service given its operator passphrase (a node's sealing keys need it, 0056).
os.environ.setdefault("PYITHU_NODE_PASSPHRASE", "operator passphrase 1")

import django

django.setup()

import nacl.pwhash  # noqa: E402
from django.db import connection  # noqa: E402

from pyithu.accounts.models import User  # noqa: E402
from pyithu.sync import requests, transport  # noqa: E402
from pyithu.sync.bundles import BundleError  # noqa: E402
from pyithu.sync.exchange import export_bundle, import_bundle  # noqa: E402
from pyithu.sync.identity import PublicCard, unlock_identity  # noqa: E402
from pyithu.sync.models import ConflictHistory, Peer, RequestResult, SyncNote, SyncProbe  # noqa: E402
from pyithu.sync.services import init_node, register_peer  # noqa: E402
from pyithu.sync.vectors import local_vector  # noqa: E402

FAST = {
    "opslimit": nacl.pwhash.argon2id.OPSLIMIT_MIN,
    "memlimit": nacl.pwhash.argon2id.MEMLIMIT_MIN,
}
identity = None


def cash_in(request: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"balance": 5000 + params["amount"]}


requests.register_request_handler("test.cash_in", cash_in)


def stall_after(applied: int) -> None:
    """Make the import stop for good after ``applied`` changes, inside its transaction, and
    say so, so that the test kills this process at a known point rather than after a delay."""
    from pyithu.sync import merge

    apply_change = merge.apply_change
    calls = 0

    def stalling(*a: Any, **kw: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls > applied:
            sys.stdout.write(json.dumps({"stalled": applied}) + "\n")
            sys.stdout.flush()
            threading.Event().wait()
        return apply_change(*a, **kw)

    merge.apply_change = stalling


def handle(cmd: str, args: dict[str, Any]) -> Any:
    global identity
    if cmd == "init":
        identity = init_node(
            Path(os.environ["PYITHU_NODE_KEY_FILE"]), "operator passphrase 1", **FAST
        )
        return json.loads(identity.card.to_json())
    if cmd == "unlock":
        identity = unlock_identity(
            Path(os.environ["PYITHU_NODE_KEY_FILE"]), "operator passphrase 1"
        )
        return json.loads(identity.card.to_json())
    if cmd == "register":
        card = PublicCard.from_json(json.dumps(args["card"]))
        return register_peer(card, args["name"], role=args["role"]).node_id
    if cmd == "note":
        return str(SyncNote.objects.create(**args).pk)
    if cmd == "edit":
        note = SyncNote.objects.get(pk=args.pop("id"))
        for key, value in args.items():
            setattr(note, key, value)
        note.save()
        return None
    if cmd == "probes":
        for i in range(args["n"]):
            SyncProbe.objects.create(topic=args["topic"], body=f"{args['prefix']} {i}")
        return None
    if cmd == "probe":
        return str(SyncProbe.objects.create(**args).pk)
    if cmd == "staff":
        user = User.objects.create_user(args["handle"], "pass phrase for staff 1", is_staff=True)
        user.display_name = args["display_name"]
        user.save()
        return str(user.pk)
    if cmd == "export":
        peer = Peer.objects.get(node_id=args["to"])
        blob, count = export_bundle(identity, peer, byte_cap=args.get("cap"))
        Path(args["path"]).write_bytes(blob)
        return {"changes": count, "bytes": len(blob)}
    if cmd == "import":
        if "stall_after" in args:
            stall_after(args["stall_after"])
        try:
            report = import_bundle(Path(args["path"]).read_bytes(), identity)
        except BundleError as exc:
            return {"error": str(exc)}
        return {"new": report.new, "outcomes": report.outcomes}
    if cmd in {"pull", "push"}:
        return http(cmd, args)
    if cmd == "request":
        return str(requests.submit_request(args["kind"], args["params"], args["key"]).pk)
    if cmd == "state":
        return state()
    if cmd == "call":  # a test helper run inside this site (tests/sync/money_ops.py)
        import importlib

        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
        module, name = args["fn"].rsplit(".", 1)
        return getattr(importlib.import_module(module), name)(**args.get("kwargs", {}))
    if cmd == "sql":
        with connection.cursor() as cursor:
            cursor.execute(args["query"])
            return [list(map(str, row)) for row in cursor.fetchall()]
    raise ValueError(f"unknown command {cmd}")


def http(cmd: str, args: dict[str, Any]) -> dict[str, Any]:
    """Pull or push over HTTP; ``cut_after`` cuts the link after that many requests."""
    hub = Peer.objects.get(role=Peer.Role.HUB)
    calls = {"n": 0}

    def post(url: str, body: bytes, headers: dict[str, str]) -> Any:
        calls["n"] += 1
        if args.get("cut_after") is not None and calls["n"] > args["cut_after"]:
            raise transport.TransportError("the link was cut")
        return transport.urllib_post(url, body, headers)

    run = transport.pull if cmd == "pull" else transport.push
    try:
        count = run(args["url"], identity, hub, chunk=args.get("chunk", 2000), post=post)
    except transport.TransportError as exc:
        return {"error": str(exc), "requests": calls["n"]}
    return {"changes": count, "requests": calls["n"]}


def state() -> dict[str, Any]:
    return {
        "notes": {
            str(n.pk): [n.title, n.body, n.status, n.updated_at.isoformat()]
            for n in SyncNote.objects.all()
        },
        "probes": sorted([str(p.pk), p.topic, p.body] for p in SyncProbe.objects.all()),
        "conflicts": sorted(
            [c.object_id, c.loser.origin, c.loser.counter] for c in ConflictHistory.objects.all()
        ),
        "staff": {u.handle: u.display_name for u in User.objects.filter(is_staff=True)},
        "pending": [r.idempotency_key for r in requests.pending_requests()],
        "results": sorted(
            [str(r.request_id), r.status, r.result] for r in RequestResult.objects.all()
        ),
        "vector": local_vector(),
    }


def main() -> None:
    for line in sys.stdin:
        message = json.loads(line)
        try:
            reply = {"ok": handle(message["cmd"], message.get("args", {}))}
        except Exception:
            reply = {"fail": traceback.format_exc()}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
