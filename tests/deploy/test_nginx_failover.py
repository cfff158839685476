"""The deployment in deploy/, run here (issue 16, decisions 0085 and 0086).

Debian's nginx with the real site file (TLS included, on loopback ports) in front of two app
servers (`pyithu serve`, production mode) sharing one PostgreSQL database and one Redis.
Throttles are probed first: failures from one client address meet one limit whichever server
answers, and another address is not locked out (the address comes through nginx). Then
bookings, exam answers and wallet transfers go through nginx while one app server is killed
with SIGKILL; every client resends what got no answer, as a phone does, with the same form
token or idempotency key. Afterwards nothing acknowledged is missing, nothing is doubled, and
the ledger check passes.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).parents[2]
DEPLOY = ROOT / "deploy" / "nginx"
BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_URL = os.environ.get("PYITHU_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
HOST = "hub.example.org"
PASSPHRASE = "spring rice river 2025"  # the demo's
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
QUESTION = re.compile(r'name="question" value="([^"]+)"')
CHOICE = re.compile(r'name="choice" value="(\d+)"')


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ready() -> str:
    """The PostgreSQL server's URL, or a skip saying what is missing."""
    if not Path(NGINX).exists():
        pytest.skip(
            "deployment test skipped: nginx is not installed (sudo apt-get install nginx; "
            "`make test` installs it when run as root)"
        )
    if not shutil.which("openssl"):
        pytest.skip("deployment test skipped: openssl is not installed (for a test certificate)")
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        pytest.skip(
            "deployment test skipped: it runs on PostgreSQL (set DATABASE_URL=postgres://..., "
            "as the CI's second pass does)"
        )
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"deployment test skipped: no Redis at {REDIS_URL} (PYITHU_TEST_REDIS_URL)")
    return base


# --- the deployment -------------------------------------------------------------------------


@dataclass
class Deployment:
    url_port: int
    env: dict[str, str]
    tmp: Path
    servers: dict[str, subprocess.Popen[bytes]]
    logs: dict[str, Path]
    exam_codes: list[str]

    def django(self, code: str) -> Any:
        """Run Python with Django set up against the deployment's database; its JSON answer."""
        prelude = "import django, json; django.setup()\n"
        done = subprocess.run(
            [sys.executable, "-c", prelude + code],
            env={**self.env, "DJANGO_SETTINGS_MODULE": "pyithu.settings"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def pyithu(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "pyithu"), *args], env=self.env, capture_output=True, text=True
        )

    def kill(self, name: str) -> None:
        os.killpg(self.servers[name].pid, signal.SIGKILL)
        self.servers[name].wait(timeout=30)


def _run(env: dict[str, str], *args: str, log: Any) -> str:
    done = subprocess.run([str(BIN / "pyithu"), *args], env=env, capture_output=True, text=True)
    log.write(done.stdout + done.stderr)
    assert done.returncode == 0, f"pyithu {' '.join(args)}:\n{done.stderr[-3000:]}"
    return done.stdout


def _site_config(tmp: Path, ports: dict[str, int]) -> str:
    """deploy/nginx/pyithu.conf as installed, moved to loopback ports and a test certificate."""
    text = (DEPLOY / "pyithu.conf").read_text()
    changes = {
        "    listen [::]:80;\n": "",
        "    listen [::]:443 ssl http2;\n": "",
        "listen 80;": f"listen 127.0.0.1:{ports['http']};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{ports['https']} ssl http2;",
        f"/etc/letsencrypt/live/{HOST}/fullchain.pem": str(tmp / "cert.pem"),
        f"/etc/letsencrypt/live/{HOST}/privkey.pem": str(tmp / "key.pem"),
        "/srv/pyithu/static/": f"{tmp / 'static'}/",
        "server 127.0.0.1:8001 ": f"server 127.0.0.1:{ports['a']} ",
        "server 127.0.0.1:8002 ": f"server 127.0.0.1:{ports['b']} ",
        "include snippets/pyithu-proxy.conf;": f"include {DEPLOY / 'pyithu-proxy.conf'};",
        "/var/log/nginx/pyithu.log": str(tmp / "nginx-pyithu.log"),
    }
    for old, new in changes.items():
        assert old in text, f"deploy/nginx/pyithu.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


def _nginx_config(tmp: Path) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers read the test's private dir
    temp = " ".join(
        f"{kind}_temp_path {tmp / ('nginx-' + kind)};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\ndaemon off;\npid {tmp / 'nginx.pid'};\n"
        f"error_log {tmp / 'nginx-error.log'} warn;\nevents {{ worker_connections 512; }}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log {tmp / 'nginx-access.log'};\n"
        f" {temp}\n include {tmp / 'site.conf'};\n}}\n"
    )


def _wait_for(port: int, path: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited early:\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no answer on {port}:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    base = _ready()
    import psycopg

    tmp = tmp_path_factory.mktemp("deployment")
    parts = urlsplit(base)
    name = f"pyithu_deploy_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    var = tmp / "var"
    env = {
        **os.environ,
        "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")),
        "PYITHU_MODE": "production",
        "PYITHU_VAR_DIR": str(var),
        "PYITHU_SECRET_KEY_FILE": str(var / "secret_key"),
        "PYITHU_KEY_FILE": str(var / "keys.json"),
        "PYITHU_STATIC_ROOT": str(tmp / "static"),
        "PYITHU_MEDIA_ROOT": str(var / "media"),
        "PYITHU_ALLOWED_HOSTS": HOST,
        "PYITHU_BEHIND_PROXY": "1",
        "PYITHU_TRUSTED_PROXIES": "127.0.0.1",
        "PYITHU_REDIS_URL": REDIS_URL,
        "PYITHU_WORKERS": "2",
        "PYITHU_DB_CONN_MAX_AGE": "60",
        "PYITHU_FORM_CLAIM_SECONDS": "8",
        "PYITHU_LOG_LEVEL": "ERROR",
    }
    for unset in ("DJANGO_SETTINGS_MODULE", "PYITHU_KEYS", "PYITHU_SECRET_KEY"):
        env.pop(unset, None)
    ports = {"http": _free_port(), "https": _free_port(), "a": _free_port(), "b": _free_port()}
    servers: dict[str, subprocess.Popen[bytes]] = {}
    logs = {s: tmp / f"server-{s}.log" for s in ("a", "b")}
    nginx = None
    setup_log = (tmp / "setup.log").open("w")
    try:
        # The operator's steps: keys and a first run in development mode for the demo data,
        # then production: static files collected, served by two app servers.
        development = {**env, "PYITHU_MODE": "development"}
        var.mkdir(mode=0o700)
        (var / "secret_key").write_text(secrets.token_urlsafe(50))
        _run(development, "init-keys", log=setup_log)
        _run(development, "setup", log=setup_log)
        demo = _run(development, "demo", log=setup_log)
        codes = re.findall(r"candidate \d+: (\S+)", demo)[:3]
        _run(env, "collectstatic", "--noinput", log=setup_log)
        for server in ("a", "b"):
            servers[server] = subprocess.Popen(
                [str(BIN / "pyithu"), "serve", "--timeout", "6"],
                env={**env, "PYITHU_BIND": f"127.0.0.1:{ports[server]}"},
                stdout=logs[server].open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: SIGKILL reaches every worker
            )
        for server in ("a", "b"):
            _wait_for(ports[server], "/", servers[server], logs[server])
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
                *("-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")),
                *("-subj", f"/CN={HOST}"),
            ],
            check=True,
            capture_output=True,
        )
        (tmp / "site.conf").write_text(_site_config(tmp, ports))
        (tmp / "nginx.conf").write_text(_nginx_config(tmp))
        command = [NGINX, "-e", str(tmp / "nginx-start.log"), "-p", f"{tmp}/"]
        command += ["-c", str(tmp / "nginx.conf")]
        tested = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert tested.returncode == 0, tested.stderr
        nginx = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                status = Client(ports["https"], "127.0.0.9").send("GET", "/", retry=False)[0]
                if status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp / "nginx-error.log").read_text()
            time.sleep(0.2)
        yield Deployment(ports["https"], env, tmp, servers, logs, codes)
    finally:
        setup_log.close()
        if nginx is not None:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=30)
        for process in servers.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- a client through nginx -----------------------------------------------------------------


@dataclass
class Client:
    """One phone: its own address on the loopback network, cookies, and resending (with the
    same form token or key) what got no answer, as a person or the service worker does."""

    port: int
    address: str
    cookies: dict[str, str] = field(default_factory=dict)
    resent: int = 0

    def send(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        retry: bool = True,
    ) -> tuple[int, dict[str, str], str]:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        sent = {"Host": HOST, "Origin": f"https://{HOST}", "Accept-Language": "en"}
        sent.update(headers or {})
        if form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        deadline = time.monotonic() + 90
        while True:
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn = http.client.HTTPSConnection(
                "127.0.0.1",
                self.port,
                timeout=30,
                context=context,
                source_address=(self.address, 0),
            )
            try:
                conn.request(method, path, body=body, headers=sent)
                response = conn.getresponse()
                text = response.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):
                if not retry or time.monotonic() > deadline:
                    raise
                self.resent += 1
                time.sleep(0.3)
                continue
            finally:
                conn.close()
            for raw in response.msg.get_all("Set-Cookie") or []:
                key, _, rest = raw.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
            # 502-504: no app server answered; 409: the first copy is still being done.
            if retry and response.status in (409, 502, 503, 504):
                assert time.monotonic() < deadline, f"{path}: still {response.status}"
                self.resent += 1
                time.sleep(0.5)
                continue
            return response.status, dict(response.getheaders()), text

    def form_page(self, path: str) -> dict[str, str]:
        status, _headers, html = self.send("GET", path)
        assert status == 200, (path, status)
        return dict(HIDDEN.findall(html))


def _log_in(client: Client, handle: str, passphrase: str) -> tuple[int, str]:
    form = client.form_page("/accounts/login/")
    form.update(handle=handle, passphrase=passphrase)
    status, _headers, html = client.send("POST", "/accounts/login/", form)
    return status, html


# --- throttles across both servers ----------------------------------------------------------


def _lines(log: Path, needle: str) -> int:
    return sum(needle in line for line in log.read_text(errors="replace").splitlines())


def test_throttles_count_across_both_servers_by_the_clients_own_address(
    deployment: Deployment,
) -> None:
    handle = f"probe{uuid.uuid4().hex[:8]}"
    guesser = Client(deployment.url_port, "127.0.0.2")
    # Given eight wrong passphrases from one address, one after another through nginx (one
    # form, sent again: a refused form keeps its token), which takes turns between the servers
    form = guesser.form_page("/accounts/login/")
    form.update(handle=handle, passphrase="wrong wrong wrong")
    outcomes = []
    for _ in range(8):
        status, _headers, html = guesser.send("POST", "/accounts/login/", form)
        assert status == 400
        outcomes.append("throttled" if "Too many failed attempts" in html else "checked")
    # Then five were checked and three refused, whichever server each one reached
    assert outcomes == ["checked"] * 5 + ["throttled"] * 3
    # (each server's request log names the route, never the path: 0081)
    served = [_lines(log, "POST accounts:login ") for log in deployment.logs.values()]
    assert min(served) >= 3, served
    # And someone at another address is not locked out: the address came through nginx
    status, html = _log_in(Client(deployment.url_port, "127.0.0.3"), handle, "wrong again 1")
    assert status == 400 and "Too many failed attempts" not in html
    # And the money API's limit (30 a minute per person) is one limit over both servers
    token = deployment.pyithu("staff", "token", "agent-kyaw", f"probe-{uuid.uuid4().hex[:6]}")
    raw = next(word for word in token.stdout.split() if word.startswith("pyt_"))
    payload = json.dumps({"to": str(uuid.uuid4()), "currency": "MMK", "amount": "1"}).encode()

    def pay(n: int) -> int:
        headers = {
            "Authorization": f"Bearer {raw}",
            "Content-Type": "application/json",
            "Idempotency-Key": f"probe-{n}",
        }
        client = Client(deployment.url_port, "127.0.0.5")
        return client.send("POST", "/api/finance/transfers", headers=headers, body=payload)[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(pay, range(45)))
    assert set(statuses) <= {400, 429}
    assert statuses.count(429) >= 15, statuses
    assert all(_lines(log, "create_transfer") for log in deployment.logs.values())
    # Counted in Redis, not in the database
    assert (
        deployment.django(
            "from pyithu.accounts.models import LoginFailure\n"
            "print(json.dumps(LoginFailure.objects.count()))"
        )
        == 0
    )
    import redis

    assert redis.Redis.from_url(REDIS_URL).keys("pyithu:throttle:*")


# --- bookings, exam answers and transfers through a SIGKILL ---------------------------------


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    acknowledged: int = 0
    bookings: int = 0
    transfers: list[str] = field(default_factory=list)
    answers: dict[str, dict[str, int]] = field(default_factory=dict)

    def done(self) -> None:
        with self.lock:
            self.acknowledged += 1


def book(client: Client, tally: Tally, count: int) -> None:
    for _ in range(count):
        form = client.form_page("/health/book/")
        form.update(
            symptoms="ခေါင်းကိုက်တာ သုံးရက်ရှိပြီ",
            urgency="0",
            age_band="18-39",
            sex="female",
            language="my",
            abroad_country="TH",
            contact_channel="",
            contact="",
        )
        status, _headers, html = client.send("POST", "/health/book/", form)
        # The code, or (the first copy was done before its answer was lost) "already received"
        assert status == 200 and ('class="codes"' in html or "Already received" in html), html
        with tally.lock:
            tally.bookings += 1
        tally.done()


def sit(client: Client, tally: Tally, code: str) -> None:
    form = client.form_page("/education/exam/")
    form["code"] = code
    status, headers, _html = client.send("POST", "/education/exam/", form)
    assert status == 302 and "/exam/q/1/" in headers["Location"], (status, headers)
    answers: dict[str, int] = {}
    n = 1
    while True:
        status, _headers, page = client.send("GET", f"/education/exam/q/{n}/")
        found = QUESTION.search(page)
        if status != 200 or not found:
            break
        options = CHOICE.findall(page)
        form = dict(HIDDEN.findall(page))
        choice = random.choice(options) if options else None
        if choice is None:
            form["text"] = "ဧရာဝတီ"
        else:
            form["choice"] = choice
        status, headers, _html = client.send("POST", f"/education/exam/q/{n}/", form)
        assert status in (302, 303), (status, page[-500:])
        if choice is not None:
            answers[found.group(1)] = int(choice)
        tally.done()
        if not headers["Location"].endswith(f"/q/{n + 1}/"):
            break
        n += 1
    with tally.lock:
        tally.answers[code] = answers


def pay(client: Client, tally: Tally, count: int) -> None:
    status, _html = _log_in(client, "alice", PASSPHRASE)
    assert status == 302
    for _ in range(count):
        form = client.form_page("/finance/send/")
        form.update(recipient="bob", amount="1000", currency="MMK", note="", confirm="1")
        status, headers, _html = client.send("POST", "/finance/send/", form)
        assert status in (302, 303) and headers["Location"].endswith("/finance/send/done/")
        with tally.lock:
            tally.transfers.append(form["key"])
        tally.done()


COUNTS = """
from pyithu.health.models import Consultation
from pyithu.finance.models import Transfer
print(json.dumps({"cases": Consultation.objects.count(),
                  "p2p": Transfer.objects.filter(kind="p2p").count()}))
"""


def test_nothing_is_lost_or_doubled_when_an_app_server_is_killed(
    deployment: Deployment,
) -> None:
    before = deployment.django(COUNTS)
    tally = Tally()
    port = deployment.url_port
    work: list[tuple[Any, tuple[Any, ...]]] = [
        (book, (Client(port, "127.0.1.1"), tally, 14)),
        (book, (Client(port, "127.0.1.2"), tally, 14)),
        (pay, (Client(port, "127.0.1.3"), tally, 16)),
    ]
    work += [
        (sit, (Client(port, f"127.0.2.{n}"), tally, code))
        for n, code in enumerate(deployment.exam_codes, start=1)
    ]
    failures: list[BaseException] = []

    def guarded(target: Any, args: tuple[Any, ...]) -> None:
        try:
            target(*args)
        except BaseException as exc:
            failures.append(exc)

    jobs = [threading.Thread(target=guarded, args=item) for item in work]
    for job in jobs:
        job.start()
    # When a third of the work is acknowledged, one app server dies at once
    deadline = time.monotonic() + 120
    while tally.acknowledged < 12 and time.monotonic() < deadline and not failures:
        time.sleep(0.05)
    deployment.kill("a")
    for job in jobs:
        job.join(timeout=300)
    assert not failures, failures
    assert deployment.servers["a"].poll() is not None
    # Then every booking made is there once
    after = deployment.django(COUNTS)
    assert after["cases"] - before["cases"] == tally.bookings == 28
    # And every acknowledged transfer happened once, and nothing else moved
    assert len(tally.transfers) == 16
    keys = json.dumps(tally.transfers)
    moved = deployment.django(
        "from pyithu.finance.models import Transfer\n"
        f"keys = {keys}\n"
        "rows = Transfer.objects.filter(idempotency_key__in=keys)\n"
        "print(json.dumps(sorted(rows.values_list('idempotency_key', flat=True))))"
    )
    assert moved == sorted(tally.transfers)
    assert after["p2p"] - before["p2p"] == 16
    check = deployment.pyithu("ledger", "check")
    assert check.returncode == 0, check.stderr
    # And every acknowledged answer is stored as given, once
    assert len(tally.answers) == len(deployment.exam_codes) == 3
    expected = json.dumps(tally.answers)
    stored = deployment.django(
        "from django.db.models import Count\n"
        "from pyithu.education.models import Answer\n"
        "from pyithu.education.exams.services.exams import code_digest\n"
        f"expected = {expected}\n"
        "out = {}\n"
        "for code in expected:\n"
        "    rows = Answer.objects.filter(attempt__candidate__code_digest=code_digest(code))\n"
        "    out[code] = {str(q): c for q, c in rows.values_list('question_id', 'choice')"
        " if c is not None}\n"
        "dupes = Answer.objects.values('attempt_id', 'question_id').annotate(n=Count('id'))"
        ".filter(n__gt=1).count()\n"
        "print(json.dumps({'answers': out, 'duplicated': dupes}))"
    )
    assert stored["duplicated"] == 0
    assert stored["answers"] == tally.answers
    # And both servers did work before one died, the survivor the rest
    assert _lines(deployment.logs["a"], "POST ") > 0 and _lines(deployment.logs["b"], "POST ") > 0
    print(f"resent after no answer: {sum(c.resent for c, *_ in (a for _f, a in work))}")
