"""The walk of docs/NODE.md, section 6, as a volunteer does it on one laptop: two folders, the
`pyithu` commands, the hub's demo, a served node with the hub stopped, the agent's pages over
HTTP with no JavaScript, and one USB bundle each way (decision 0026)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyotp
import pytest

from pyithu.accounts.demo import DEMO_PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
PYITHU = [sys.executable, "-c", "import sys; from pyithu.cli import main; sys.exit(main())"]
pytestmark = pytest.mark.skipif(
    "postgres" in os.environ.get("DATABASE_URL", ""), reason="the walk uses the default SQLite"
)


class Folder:
    def __init__(self, base: Path, role: str) -> None:
        base.mkdir()
        self.base = base
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("PYITHU_", "DATABASE_URL"))
        }
        self.env.update(
            PYITHU_VAR_DIR=str(base / "var"),
            PYITHU_SYNC_ROLE=role,
            PYITHU_NODE_PASSPHRASE=f"{role} operator passphrase for the walk",
            PYTHONPATH=str(ROOT / "src"),
        )

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            [*PYITHU, *args], env=self.env, cwd=self.base, capture_output=True, text=True
        )
        assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
        return done.stdout

    def serve(self, port: int) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [*PYITHU, "node", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env=self.env,
            cwd=self.base,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )


class Browser:
    """Plain forms and cookies, as a phone with JavaScript off."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as r:
                return r.status, r.geturl(), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.geturl(), e.read().decode()

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
        _status, _url, page = self.get(path)
        form = page[page.rindex("<form") :] if "<form" in page else page
        data = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))
        data.update(fields)
        request = urllib.request.Request(  # noqa: S310 (http to loopback)
            self.base + path,
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": self.base + path},
        )
        try:
            with self.opener.open(request, timeout=30) as r:
                return r.status, r.geturl(), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.geturl(), e.read().decode()


def wait_up(browser: Browser, proc: subprocess.Popen[str]) -> None:
    for _ in range(120):
        assert proc.poll() is None, "the node stopped"
        try:
            browser.get("/accounts/login/")
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("the node did not start")


def test_a_pay_out_at_the_node_with_the_hub_stopped_reaches_the_hub_in_one_bundle(
    tmp_path: Path, free_port: int
) -> None:
    hub, node = Folder(tmp_path / "hub", "hub"), Folder(tmp_path / "lashio", "node")
    hub("setup")
    (node.base / "var").mkdir()
    (node.base / "var" / "pyithu.sqlite3").write_bytes(
        (hub.base / "var" / "pyithu.sqlite3").read_bytes()
    )
    hub("node", "init")
    (tmp_path / "hub.card").write_text(hub("node", "show"))
    node("node", "init")
    (tmp_path / "lashio.card").write_text(node("node", "show"))
    hub("node", "register", str(tmp_path / "lashio.card"), "--name", "Lashio point")
    node("node", "register", str(tmp_path / "hub.card"), "--name", "Naypyitaw hub", "--role", "hub")
    shown = hub("demo")
    codes = re.search(r"cash-out code (\w+), remittance code (\w+)", shown)
    assert codes, shown[-3000:]
    key = re.search(r"agent-kyaw\s+\S+\s+key (\w+)", shown)
    assert key, shown
    before = hub("shell", "-c", BALANCES)
    hub("sync", "export", "--to", str(tmp_path / "hub.bundle"), "--for", "Lashio point")
    node("sync", "import", str(tmp_path / "hub.bundle"))

    server = node.serve(free_port)  # the hub serves nothing: only bundle files reach it
    try:
        agent = Browser(f"http://127.0.0.1:{free_port}")
        wait_up(agent, server)
        agent.post("/accounts/login/", {"handle": "agent-kyaw", "passphrase": DEMO_PASSPHRASE})
        _s, url, _p = agent.post("/accounts/login/code/", {"code": pyotp.TOTP(key[1]).now()})
        assert "/login/" not in url
        for code in codes.groups():
            status, url, page = agent.post("/finance/point/pay-out/", {"code": code})
            assert (status, url.endswith("/finance/point/")) == (200, True), page
        status, _url, page = agent.post("/finance/point/pay-out/", {"code": codes[1]})
        assert status == 400  # each code once
        status, url, page = agent.post(
            "/finance/point/cash-in/", {"customer": "bob", "currency": "MMK", "amount": "20000"}
        )
        assert (status, url.endswith("/finance/point/")) == (200, True), page
        assert "5,025,000" in page  # the float: 5,000,000 + 30,000 + 15,000 - 20,000
    finally:
        server.terminate()
        server.wait(timeout=30)

    node("sync", "export", "--to", str(tmp_path / "lashio-week.bundle"))
    hub("sync", "import", str(tmp_path / "lashio-week.bundle"))
    alice, bob, _none = (int(n) for n in said(before))
    assert said(hub("shell", "-c", BALANCES)) == [str(alice - 30_000), str(bob + 20_000), "3"]
    assert "ledger check passed" in hub("ledger", "check")
    hub("sync", "export", "--to", str(tmp_path / "reply.bundle"), "--for", "Lashio point")
    node("sync", "import", str(tmp_path / "reply.bundle"))
    assert said(node("shell", "-c", OUTCOMES)) == ["applied"] * 3


def said(output: str) -> list[str]:
    """What a `shell -c` snippet printed after its marker (the shell may print a banner)."""
    return output.rsplit("walk:", 1)[1].split()


BALANCES = """
from pyithu.accounts.models import User
from pyithu.finance.models import IntentOutcome
from pyithu.finance.services.wallets import wallet_for
w = [wallet_for(User.objects.get(handle=h), "MMK").balance for h in ("alice", "bob")]
print("walk:", *w, IntentOutcome.objects.filter(status="applied").count())
"""
OUTCOMES = """
from pyithu.finance.models import NodeIntent
print("walk:", *(i.outcome.status for i in NodeIntent.objects.order_by("seq")))
"""
