# ruff: noqa: S603, S607  (a benchmark runs createdb/pgbench/python by name)
"""Ledger throughput: transfers/s on PostgreSQL and SQLite, 1 and 8 worker processes, single
and batched (20 per transaction), beside pgbench's TPC-B-like figure on the same server.

    .venv/bin/python bench/ledger.py [--transfers 400] [--pg postgres://postgres@127.0.0.1:5432]

Creates and drops its own scratch databases; ends with `ledger check` on each.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "src"))
ACCOUNTS = 64


def prepare(db_url: str) -> list[str]:
    """Migrate a scratch database (in a child process) and fund the accounts."""
    code = (
        "import django,os,sys;os.environ['DJANGO_SETTINGS_MODULE']='pyithu.settings';"
        "django.setup();from django.core.management import call_command;"
        "call_command('migrate',verbosity=0);"
        "from pyithu.finance.services import ledger;from pyithu.finance.currencies import "
        "ensure_currencies;ensure_currencies();"
        "bank=ledger.system_account('settlement','MMK');"
        f"ids=[ledger.open_account(None,'MMK') for _ in range({ACCOUNTS})];"
        "[ledger.transfer('setup',f'f{i}',ledger.TransferRequest(bank.pk,a.pk,10**12)) "
        "for i,a in enumerate(ids)];print(' '.join(str(a.pk) for a in ids))"
    )
    env = {**os.environ, "DATABASE_URL": db_url, "PYITHU_VAR_DIR": tempfile.mkdtemp()}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True, cwd=ROOT
    )
    return out.stdout.split()


def check(db_url: str) -> str:
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "pyithu.settings"}
    done = subprocess.run(
        [sys.executable, "-m", "django", "ledger", "check"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return "passed" if done.returncode == 0 else "FAILED: " + done.stderr[-300:]


def run(db_url: str, ids: list[str], workers: int, total: int, batch: int) -> float:
    from pyithu.finance.loadgen import run_jobs

    ctx = multiprocessing.get_context("spawn")
    rng = random.Random(workers * 100 + batch)
    tag = uuid.uuid4().hex[:8]
    plans: list[list] = [[] for _ in range(workers)]
    for j in range(total):
        debit, credit = rng.sample(ids, 2)
        plans[j % workers].append((f"{tag}-{j}", debit, credit, rng.randint(1, 1000)))
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=run_jobs, args=(db_url, f"bench{w}", plans[w], queue, batch))
        for w in range(workers)
    ]
    # Django start-up in each process is not part of the measurement: time from first answer.
    for p in procs:
        p.start()
    first = queue.get()
    start, seen, finished = time.perf_counter(), int(first is not None), int(first is None)
    while finished < workers:
        item = queue.get()
        if item is None:
            finished += 1
        else:
            seen += 1
    elapsed = time.perf_counter() - start
    for p in procs:
        p.join()
    return (seen - 1) / elapsed if elapsed > 0 else 0.0


def pgbench(base: str, clients: int, seconds: int) -> float:
    db = f"bench_pgbench_{os.getpid()}"
    host = re.match(r"postgres://(\w+)@([\w.]+):(\d+)", base)
    assert host, "--pg must look like postgres://user@host:port"
    user, h, port = host.groups()
    args = ["-h", h, "-p", port, "-U", user]
    subprocess.run(["createdb", *args, db], check=True)
    try:
        subprocess.run(
            ["pgbench", *args, "-i", "-q", "-s", "1", db], check=True, capture_output=True
        )
        out = subprocess.run(
            [
                "pgbench",
                *args,
                "-c",
                str(clients),
                "-j",
                str(min(clients, 4)),
                "-T",
                str(seconds),
                db,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return float(re.search(r"tps = ([\d.]+)", out.stdout).group(1))
    finally:
        subprocess.run(["dropdb", *args, db], check=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transfers", type=int, default=400)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--seconds", type=int, default=8)
    opts = parser.parse_args()
    rows = []
    scratch = f"bench_ledger_{os.getpid()}"
    pg_args = re.match(r"postgres://(\w+)@([\w.]+):(\d+)", opts.pg).groups()
    subprocess.run(
        ["createdb", "-h", pg_args[1], "-p", pg_args[2], "-U", pg_args[0], scratch], check=True
    )
    sqlite = os.path.join(tempfile.mkdtemp(), "bench.sqlite3")
    targets = [("PostgreSQL", f"{opts.pg}/{scratch}"), ("SQLite", f"sqlite:///{sqlite}")]
    try:
        for name, url in targets:
            ids = prepare(url)
            for workers in (1, 8):
                for batch in (1, 20):
                    rate = run(url, ids, workers, opts.transfers * (2 if batch > 1 else 1), batch)
                    rows.append((name, workers, "batched x20" if batch > 1 else "single", rate))
            rows.append((name, "-", "ledger check", check(url)))
        for clients in (1, 8):
            tps = pgbench(opts.pg, clients, opts.seconds)
            rows.append(("pgbench TPC-B", clients, "single", tps))
    finally:
        subprocess.run(
            [
                "dropdb",
                "-h",
                pg_args[1],
                "-p",
                pg_args[2],
                "-U",
                pg_args[0],
                "--if-exists",
                scratch,
            ],
            check=False,
        )
    print(f"{'database':<14} {'workers':>7}  {'mode':<13} {'transfers/s':>12}")
    for name, workers, mode, rate in rows:
        value = f"{rate:12.0f}" if isinstance(rate, float) else f"{rate:>12}"
        print(f"{name:<14} {workers!s:>7}  {mode:<13} {value}")


if __name__ == "__main__":
    main()
