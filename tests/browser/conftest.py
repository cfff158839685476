"""The real-browser suite: Debian's Chromium driven by Playwright, as a person on a cheap phone
meets the site: JavaScript off, a 360×740 screen, Burmese, the browser's own Accept-Encoding.

One server for the whole session, started the way an operator starts it (`pyithu setup`,
`pyithu demo`, `pyithu serve`) on a free port, with its own database and `var/` directory, so
these tests see exactly what gunicorn sends. Every page a test visits is weighed (headers and
bodies as transferred, its stylesheet included) and measured (no sideways scrolling at 360 px).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

CHROMIUM = os.environ.get("PYITHU_CHROMIUM", "/usr/bin/chromium")
HOW_TO_GET_IT = (
    "browser tests skipped: Chromium or Playwright is missing; run `sudo apt-get install "
    "chromium` (make test installs it when run as root) and `make setup`"
)

# The helpers live beside this file (tests run with --import-mode=importlib).
sys.path.insert(0, str(Path(__file__).parent))
try:
    from phone import BIN, Phone, Site, open_phone
    from playwright.sync_api import Browser, sync_playwright
except ImportError:  # pragma: no cover - the skip below says how to get it
    sync_playwright = None


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    # The browser tests run last: Playwright's synchronous API keeps an event loop running in
    # the main thread until the session ends, which other tests' asyncio.run() cannot share.
    items.sort(key=lambda item: "tests/browser" in str(item.path))
    if sync_playwright is not None and Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=HOW_TO_GET_IT)
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(tmp: Path) -> tuple[str, Any]:
    """A database of the suite's own: SQLite in its var/, or a fresh PostgreSQL database."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp / 'pyithu.sqlite3'}", lambda: None
    import psycopg

    parts = urlsplit(base)
    name = f"pyithu_browser_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("browser-site")
    database_url, drop_database = _database_url(tmp)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PYITHU_VAR_DIR": str(tmp),
        "PYITHU_BIND": f"127.0.0.1:{port}",
        "PYITHU_WORKERS": "2",
        "PYITHU_MODE": "development",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("PYITHU_KEY_FILE", None)
    log = (tmp / "server.log").open("w")
    try:
        for command in (["setup"], ["demo"]):
            subprocess.run(
                [str(BIN / "pyithu"), *command], env=env, check=True, stdout=log, stderr=log
            )
        server = subprocess.Popen([str(BIN / "pyithu"), "serve"], env=env, stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=5):  # noqa: S310 (our server)
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "the server did not start:\n" + (tmp / "server.log").read_text()
                    ) from None
                time.sleep(0.3)
        yield Site(url=url, env=env)
        server.terminate()
        server.wait(timeout=20)
    finally:
        log.close()
        drop_database()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser: Browser, site: Site) -> Iterator[Phone]:
    phone = open_phone(browser, site)
    yield phone
    phone.page.context.close()
