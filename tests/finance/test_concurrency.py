"""Real processes on PostgreSQL: many workers on a few hot accounts, and a SIGKILL mid-stream."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
from collections import Counter, defaultdict
from typing import Any

import pytest
from django.db import connection

from pyithu.finance.currencies import ensure_currencies
from pyithu.finance.loadgen import Job, database_url, run_jobs
from pyithu.finance.models import AccountKind, LedgerAccount, Transfer
from pyithu.finance.services import ledger
from pyithu.finance.services.checks import ledger_problems

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres") is False,
        reason="real-process concurrency runs on PostgreSQL",
    ),
    # Through the database function and through the Python path (conftest).
    pytest.mark.usefixtures("ledger_path"),
]
ctx = multiprocessing.get_context("spawn")


def hot_accounts(n: int, each: int) -> list[LedgerAccount]:
    ensure_currencies()
    bank = ledger.system_account(AccountKind.SETTLEMENT, "MMK")
    accounts = [ledger.open_account(None, "MMK") for _ in range(n)]
    for i, account in enumerate(accounts):
        ledger.transfer("setup", f"fund-{i}", ledger.TransferRequest(bank.pk, account.pk, each))
    return accounts


def drain(queue: Any, workers: int, answers: dict[str, list[str]]) -> None:
    finished = 0
    while finished < workers:
        item = queue.get(timeout=60)
        if item is None:
            finished += 1
        else:
            answers[item[0]].append(item[1])


def test_workers_moving_money_between_hot_accounts_keep_the_books(reference_data: Any) -> None:
    # Given four hot wallets of 10,000 kyat each
    accounts = hot_accounts(4, 10_000)
    ids = [str(a.pk) for a in accounts]
    rng = random.Random(6)
    streams: list[list[Job]] = []
    for w in range(6):
        jobs = []
        for j in range(50):
            debit, credit = rng.sample(ids, 2)
            jobs.append((f"w{w}-{j}", debit, credit, rng.randint(1, 4_000)))
        streams.append(jobs)
    # Each worker also replays its neighbour's stream with the same keys (a racing retry)
    plans = [streams[w] + streams[(w + 1) % 6] for w in range(6)]
    url = database_url(connection.settings_dict)
    queue = ctx.Queue()
    # When six processes run them at once
    procs = [ctx.Process(target=run_jobs, args=(url, "client", plan, queue)) for plan in plans]
    for p in procs:
        p.start()
    answers: dict[str, list[str]] = defaultdict(list)
    drain(queue, len(procs), answers)
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    # Then the invariants hold, no money appeared or vanished
    assert ledger_problems() == []
    assert sum(LedgerAccount.objects.filter(pk__in=ids).values_list("balance", flat=True)) == 40_000
    # And every key applied at most once, and both answers for a key name the same transfer
    per_key = Counter(
        Transfer.objects.filter(client="client").values_list("idempotency_key", flat=True)
    )
    assert max(per_key.values()) == 1
    applied = {k for k, v in answers.items() if any(not a.startswith("refused") for a in v)}
    assert applied == set(per_key)
    for key, results in answers.items():
        ok = {a for a in results if not a.startswith("refused")}
        assert len(ok) <= 1, key
        if ok:
            assert Transfer.objects.get(
                client="client", idempotency_key=key
            ).pk.hex == ok.pop().replace("-", "")
    assert len(applied) > 30  # the test really moved money


def test_a_killed_worker_loses_and_doubles_nothing(reference_data: Any) -> None:
    # Given a stream of 400 transfers from a funded wallet to three others
    accounts = hot_accounts(4, 10_000_000)
    source, *targets = [str(a.pk) for a in accounts]
    rng = random.Random(7)
    jobs: list[Job] = [
        (f"s-{j}", source, rng.choice(targets), rng.randint(1, 1_000)) for j in range(400)
    ]
    url = database_url(connection.settings_dict)
    queue = ctx.Queue()
    worker = ctx.Process(target=run_jobs, args=(url, "stream", jobs, queue))
    worker.start()
    # When the server process is killed after about 40 answers, mid-stream
    answered: set[str] = set()
    while len(answered) < 40:
        item = queue.get(timeout=60)
        assert item is not None
        answered.add(item[0])
    os.kill(worker.pid, signal.SIGKILL)
    worker.join(10)
    assert worker.exitcode == -signal.SIGKILL
    while not queue.empty():
        item = queue.get_nowait()
        if item is not None:
            answered.add(item[0])
    assert len(answered) < len(jobs)
    # And a restarted process retries every unanswered request with its key
    retry = ctx.Queue()
    again = ctx.Process(
        target=run_jobs, args=(url, "stream", [j for j in jobs if j[0] not in answered], retry)
    )
    again.start()
    results: dict[str, list[str]] = defaultdict(list)
    drain(retry, 1, results)
    again.join(30)
    # Then every transfer applied exactly once and the balances are exactly the sums
    per_key = Counter(
        Transfer.objects.filter(client="stream").values_list("idempotency_key", flat=True)
    )
    assert per_key == Counter(j[0] for j in jobs)
    expected: dict[str, int] = defaultdict(int)
    for _key, debit, credit, amount in jobs:
        expected[debit] -= amount
        expected[credit] += amount
    for account in LedgerAccount.objects.filter(pk__in=[source, *targets]):
        assert account.balance == 10_000_000 + expected[str(account.pk)]
    assert ledger_problems() == []
