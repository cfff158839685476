# ruff: noqa: S603, S607  (a benchmark runs createdb/pgbench/python by name)
"""Ledger throughput: transfers/s on PostgreSQL and SQLite, 1 and 8 worker processes, single
and batched (20 per transaction), beside pgbench's TPC-B-like figure on the same server.

    .venv/bin/python bench/ledger.py [--transfers 400] [--pg postgres://postgres@127.0.0.1:5432]

On PostgreSQL it measures both ways a transfer is applied: the database function (one
statement per transfer, the default there) and the Python path (PYITHU_LEDGER_PATH=python).
pgbench runs between the ledger runs, so all share the same moment's machine; the table ends
with the ratio of 8 single-transfer workers to pgbench TPC-B with 8 clients (goal >= 50%).
Creates and drops its own scratch databases; `ledger check` runs after every run.
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
    parser.add_argument("--rounds", type=int, default=3, help="rounds of pgbench, then ledger")
    parser.add_argument(
        "--round-transfers", type=int, default=1600, help="transfers in each round's run"
    )
    opts = parser.parse_args()
    rows = []
    scratch = f"bench_ledger_{os.getpid()}"
    pg_args = re.match(r"postgres://(\w+)@([\w.]+):(\d+)", opts.pg).groups()
    subprocess.run(
        ["createdb", "-h", pg_args[1], "-p", pg_args[2], "-U", pg_args[0], scratch], check=True
    )
    sqlite = os.path.join(tempfile.mkdtemp(), "bench.sqlite3")
    pg_url = f"{opts.pg}/{scratch}"
    ratios: list[tuple[float, float]] = []

    def measure(
        name: str, url: str, ids: list[str], path: str, workers: int, batch: int, total: int = 0
    ) -> float:
        os.environ["PYITHU_LEDGER_PATH"] = path  # reaches the spawned workers
        total = total or opts.transfers * (2 if batch > 1 else 1)
        rate = run(url, ids, workers, total, batch)
        mode = "batched x20" if batch > 1 else "single"
        rows.append((name, workers, mode, rate, check(url)))
        return rate

    try:
        ids = prepare(pg_url)
        for workers in (1, 8):
            for batch in (1, 20):
                measure("PG function", pg_url, ids, "function", workers, batch)
                measure("PG Python", pg_url, ids, "python", workers, batch)
        # The figure that matters, several times, each beside pgbench measured just before.
        for _round in range(opts.rounds):
            tps = pgbench(opts.pg, 8, opts.seconds)
            rows.append(("pgbench TPC-B", 8, "single", tps, "-"))
            rate = measure("PG function", pg_url, ids, "function", 8, 1, opts.round_transfers)
            ratios.append((rate, tps))
        rows.append(("pgbench TPC-B", 1, "single", pgbench(opts.pg, 1, opts.seconds), "-"))
        ids = prepare(f"sqlite:///{sqlite}")
        for workers in (1, 8):
            for batch in (1, 20):
                measure("SQLite", f"sqlite:///{sqlite}", ids, "python", workers, batch)
    finally:
        os.environ.pop("PYITHU_LEDGER_PATH", None)
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
    print(f"{'database':<14} {'workers':>7}  {'mode':<13} {'transfers/s':>12}  ledger check")
    for name, workers, mode, rate, verdict in rows:
        print(f"{name:<14} {workers!s:>7}  {mode:<13} {rate:12.0f}  {verdict}")
    print()
    for rate, tps in ratios:
        print(
            f"PostgreSQL function, 8 workers, single transfers: {rate:.0f}/s = "
            f"{100 * rate / tps:.0f}% of pgbench TPC-B with 8 clients ({tps:.0f} tps) just before"
        )
    shares = sorted(rate / tps for rate, tps in ratios)
    middle = shares[len(shares) // 2] if shares else 0.0
    print(
        f"goal: >= 50% of pgbench TPC-B; median of {len(shares)} rounds {100 * middle:.0f}% "
        "(the machine is shared: each round's pgbench ran just before its ledger run)"
    )


if __name__ == "__main__":
    main()
