"""Hub and nodes as separate processes, SQLite files and key rings, exchanging bundle files."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("site_worker.py")


def site_env(base: Path, role: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYITHU_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="pyithu.settings",
        DATABASE_URL=f"sqlite:///{base / 'db.sqlite3'}",
        PYITHU_VAR_DIR=str(base / "var"),
        PYITHU_NODE_KEY_FILE=str(base / "node_key.json"),
        PYITHU_SYNC_ROLE=role,
        PYTHONPATH=str(ROOT / "src"),
    )
    return env


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("template")
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--skip-checks", "-v", "0"],
        env=site_env(base, "hub"),
        check=True,
        cwd=ROOT,
    )
    return base / "db.sqlite3"


class Site:
    def __init__(self, name: str, base: Path, role: str, template: Path) -> None:
        self.name = name
        self.base = base
        base.mkdir()
        shutil.copy(template, base / "db.sqlite3")
        self.role = role
        self.start()
        self.card = self("init")
        self.node_id = self.card["node_id"]

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER)],
            env=site_env(self.base, self.role),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )

    def kill_inside(self, cmd: str, **args: Any) -> None:
        """Start a command that stops itself mid-way (``stall_after``), kill the process there
        (SIGKILL) once it says so, and start a fresh one."""
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps({"cmd": cmd, "args": args}) + "\n")
        self.proc.stdin.flush()
        assert json.loads(self.proc.stdout.readline()) == {"stalled": args["stall_after"]}
        self.proc.kill()
        self.proc.wait(timeout=10)
        self.start()
        self("unlock")

    def __call__(self, cmd: str, **args: Any) -> Any:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps({"cmd": cmd, "args": args}) + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        if "fail" in reply:
            raise AssertionError(f"{self.name}: {reply['fail']}")
        return reply["ok"]

    def register(self, other: Site, role: str) -> None:
        self("register", card=other.card, name=other.name, role=role)

    def send(self, other: Site, **kwargs: Any) -> dict[str, Any]:
        """Export a bundle for ``other`` and import it there (a USB stick carried by hand)."""
        path = self.base / f"to-{other.name}.bundle"
        self("export", to=other.node_id, path=str(path), **kwargs)
        return other("import", path=str(path))

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture
def network(tmp_path: Path, template_db: Path):
    """The hub and two township nodes, each registered with the hub and the hub with each."""
    hub = Site("hub", tmp_path / "hub", "hub", template_db)
    lashio = Site("lashio", tmp_path / "lashio", "node", template_db)
    hakha = Site("hakha", tmp_path / "hakha", "node", template_db)
    for node in (lashio, hakha):
        hub.register(node, "node")
        node.register(hub, "hub")
    yield hub, lashio, hakha
    for site in (hub, lashio, hakha):
        site.close()


@pytest.fixture
def hub_server(network, free_port):
    """The hub's database served over HTTP on loopback (its identity unlocked from the env)."""
    hub, _lashio, _hakha = network
    port = free_port
    env = site_env(hub.base, "hub")
    env["PYITHU_NODE_PASSPHRASE"] = "operator passphrase 1"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "django",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--skip-checks",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


def synced_view(state: dict[str, Any]) -> dict[str, Any]:
    return {k: state[k] for k in ("notes", "probes", "staff")}


@pytest.mark.parametrize("order", ["lashio first", "hakha first"])
def test_three_sites_converge_whatever_the_order(network, order) -> None:
    hub, lashio, hakha = network
    # Given a booking made on Lashio and known everywhere
    note_id = lashio("note", title="booking", body="Ko Aung, cough", status="new")
    lashio.send(hub)
    hub.send(hakha)
    # When both nodes change it offline, and each adds an answer
    lashio("edit", id=note_id, status="cancelled")
    hakha("edit", id=note_id, status="confirmed", body="Ko Aung, cough, seen by Dr Mya")
    lashio("probe", topic="answer", body="rest")
    hakha("probe", topic="answer", body="drink water")
    # And they sync with the hub in the given order, then everyone once more
    first, second = (lashio, hakha) if order == "lashio first" else (hakha, lashio)
    for node in (first, second):
        assert "error" not in node.send(hub)
    for node in (first, second):
        assert "error" not in hub.send(node)
        assert "error" not in node.send(hub)  # acknowledges what it got
    # Then all three sites hold the same records (the later edit: Hakha's)
    states = [site("state") for site in (hub, lashio, hakha)]
    assert synced_view(states[0]) == synced_view(states[1]) == synced_view(states[2])
    assert states[0]["notes"][note_id][:3] == [
        "booking",
        "Ko Aung, cough, seen by Dr Mya",
        "confirmed",
    ]
    assert sorted(p[2] for p in states[0]["probes"]) == ["drink water", "rest"]
    # And every site kept Lashio's losing edit
    for state in states:
        assert [c[:2] for c in state["conflicts"]] == [[note_id, lashio.node_id]]
    # And a sync when nothing changed sends nothing and fits in a kilobyte
    path = hub.base / "again.bundle"
    again = hub("export", to=lashio.node_id, path=str(path))
    assert again["changes"] == 0 and again["bytes"] < 1024


def test_a_node_carries_another_nodes_bundle_without_reading_it(network) -> None:
    hub, lashio, hakha = network
    # Given a bundle Lashio made for the hub
    lashio("probe", topic="answer", body="fever since Tuesday")
    path = lashio.base / "for-hub.bundle"
    lashio("export", to=hub.node_id, path=str(path))
    # When Hakha's operator tries to open it on the way
    refused = hakha("import", path=str(path))
    # Then Hakha cannot, and nothing readable is in the file
    assert refused["error"].startswith(f"this bundle is meant for node {hub.node_id}")
    assert b"fever" not in path.read_bytes()
    assert hakha("state")["probes"] == []
    # And the hub imports it, and its reply carries Lashio's answer on to Hakha,
    # checked there against Lashio's own signature (Hakha learned Lashio from the hub)
    assert hub("import", path=str(path))["new"] >= 1
    assert "error" not in hub.send(hakha)
    assert [p[2] for p in hakha("state")["probes"]] == ["fever since Tuesday"]


def test_sealed_fields_cross_between_different_key_rings(network) -> None:
    hub, lashio, _hakha = network
    # Given a doctor's account made on the hub with a sealed name
    hub("staff", handle="dr-mya", display_name="Dr Mya Mya")
    # When it syncs to Lashio, whose sealing keys differ from the hub's
    assert "error" not in hub.send(lashio)
    # Then Lashio reads the name, and stores it sealed under its own keys
    assert lashio("state")["staff"] == {"dr-mya": "Dr Mya Mya"}
    raw_hub = hub("sql", query="SELECT display_name FROM accounts_user WHERE handle='dr-mya'")
    raw_node = lashio("sql", query="SELECT display_name FROM accounts_user WHERE handle='dr-mya'")
    assert raw_node[0][0].startswith("sealed:") and "Mya" not in raw_node[0][0]
    assert raw_node != raw_hub


def test_money_requests_run_on_the_hub_and_the_answer_comes_back(network) -> None:
    hub, lashio, _hakha = network
    # Given a cash-in made on the Lashio node while offline
    request_id = lashio("request", kind="test.cash_in", params={"amount": 2000}, key="lashio-1")
    # Then it is pending there and nothing was executed
    assert lashio("state")["pending"] == ["lashio-1"]
    # When the bundle reaches the hub and the reply comes back
    lashio.send(hub)
    lashio.send(hub)  # the same request again changes nothing
    hub.send(lashio)
    # Then the hub executed it once and Lashio shows the result
    assert hub("state")["results"] == [[request_id, "done", '{"balance": 7000}']]
    state = lashio("state")
    assert state["pending"] == []
    assert state["results"] == [[request_id, "done", '{"balance": 7000}']]


def test_http_sync_survives_a_cut_link_and_resumes(network, hub_server) -> None:
    hub, lashio, _hakha = network
    # Given 150 answers on the hub and 150 on Lashio, to move a segment (<= 64) at a time
    hub("probes", topic="answer", prefix="hub", n=150)
    lashio("probes", topic="answer", prefix="lashio", n=150)
    # When the link is cut after two pulls and after two pushes
    cut_pull = lashio("pull", url=hub_server, chunk=8, cut_after=2)
    cut_push = lashio("push", url=hub_server, chunk=8, cut_after=2)
    assert cut_pull["error"] == cut_push["error"] == "the link was cut"
    # Then what arrived before the cut is kept whole
    got = [p[2] for p in lashio("state")["probes"] if p[2].startswith("hub")]
    assert 64 <= len(got) < 150
    # And when the link is back, both resume (not from zero) and finish
    pulled = lashio("pull", url=hub_server, chunk=8)
    pushed = lashio("push", url=hub_server, chunk=8)
    assert "error" not in pulled and "error" not in pushed
    assert pulled["requests"] <= 3  # the rest, not everything again
    # And both sides hold all 300 answers, none doubled
    for site in (hub, lashio):
        bodies = sorted(p[2] for p in site("state")["probes"])
        assert len(bodies) == 300 == len(set(bodies))


def test_an_import_killed_midway_leaves_nothing_and_a_retry_completes(network) -> None:
    hub, lashio, _hakha = network
    # Given a bundle of 3000 answers for Lashio
    hub("probes", topic="answer", prefix="hub", n=3000)
    path = hub.base / "big.bundle"
    hub("export", to=lashio.node_id, path=str(path))
    # When Lashio's importer is killed after applying 1500 of them, inside the transaction
    lashio.kill_inside("import", path=str(path), stall_after=1500)
    # Then nothing of it was applied
    assert lashio("state")["probes"] == []
    # And importing the same bundle again applies all of it, once
    assert lashio("import", path=str(path))["new"] >= 3000
    assert len(lashio("state")["probes"]) == 3000
