from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pyithu.sync.models import Peer, SyncProbe
from pyithu.sync.unlock import forget_identity, site_identity

from .conftest import Remote, probe_payload


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def operator_env(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("PYITHU_NODE_KEY_FILE", str(tmp_path / "node_key.json"))
    monkeypatch.setenv("PYITHU_NODE_PASSPHRASE", "hub operator passphrase 1")
    forget_identity()
    yield tmp_path
    forget_identity()


def test_an_operator_sets_up_the_hub_and_exchanges_bundles(db, operator_env: Path) -> None:
    # Given the hub's operator creates its identity
    out = run("node", "init")
    card = json.loads(run("node", "show"))
    assert f"Node {card['node_id']} created" in out
    # And registers the Lashio node from its card, with the township it serves
    lashio = Remote("Lashio point")
    card_file = operator_env / "lashio.card"
    card_file.write_text(lashio.identity.card.to_json())
    out = run(
        "node", "register", str(card_file), "--name", "Lashio point", "--townships", "MMR015001"
    )
    assert out.strip() == f"Registered node Lashio point ({lashio.node_id})."
    assert Peer.objects.get(node_id=lashio.node_id).scope == {"townships": ["MMR015001"]}
    # When a bundle from Lashio is imported from a USB stick
    bundle = operator_env / "from-lashio.bundle"
    change = lashio.change("sync.syncprobe", probe_payload("answer", "rest"))
    bundle.write_bytes(lashio.bundle(site_identity(), [change]))
    out = run("sync", "import", str(bundle))
    # Then it is applied, and a reply bundle can be written for Lashio
    assert out.startswith("From Lashio point: 1 new of 1 change(s);")
    assert SyncProbe.objects.get().body == "rest"
    reply = operator_env / "to-lashio.bundle"
    out = run("sync", "export", "--to", str(reply), "--for", "Lashio point")
    assert reply.exists() and f"for Lashio point in {reply}" in out


def test_a_revoked_nodes_bundle_is_refused_by_the_command(db, operator_env: Path) -> None:
    run("node", "init")
    lashio = Remote("Lashio point")
    card_file = operator_env / "lashio.card"
    card_file.write_text(lashio.identity.card.to_json())
    run("node", "register", str(card_file), "--name", "Lashio point")
    run("node", "revoke", lashio.node_id)
    bundle = operator_env / "from-lashio.bundle"
    change = lashio.change("sync.syncprobe", probe_payload("answer"))
    bundle.write_bytes(lashio.bundle(site_identity(), [change]))
    with pytest.raises(CommandError, match="the sender Lashio point was revoked on"):
        run("sync", "import", str(bundle))
    assert SyncProbe.objects.count() == 0


def test_wipe_then_nothing_unlocks(db, operator_env: Path) -> None:
    run("node", "init")
    out = run("node", "wipe", "--yes")
    assert out.strip() == f"destroyed {operator_env / 'node_key.json'}"
    forget_identity()
    with pytest.raises(CommandError, match="no node identity"):
        run("sync", "export", "--to", str(operator_env / "x.bundle"))
