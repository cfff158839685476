"""Worker processes that drive the ledger over their own database connection.

Used by the concurrency and crash tests and by ``bench/ledger.py``: each worker is a separate
OS process (spawned, so it shares nothing with its parent but the database).
"""

from __future__ import annotations

import os
import uuid
from typing import Any

Job = tuple[str, str, str, int]  # (idempotency key, debit id, credit id, amount)


def database_url(settings_dict: dict[str, Any]) -> str:
    """A DATABASE_URL that reaches the same database as a Django connection."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def _setup(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pyithu.settings")
    import django

    django.setup()


def run_jobs(db_url: str, client: str, jobs: list[Job], answers: Any, batch: int = 1) -> None:
    """Apply each job; put (key, transfer id or "refused:<code>") on ``answers`` after commit."""
    _setup(db_url)
    from pyithu.finance.services import ledger

    def request(job: Job) -> ledger.TransferRequest:
        _key, debit, credit, amount = job
        return ledger.TransferRequest(uuid.UUID(debit), uuid.UUID(credit), amount)

    for start in range(0, len(jobs), batch):
        chunk = jobs[start : start + batch]
        try:
            done = ledger.transfer_batch(client, [(job[0], request(job)) for job in chunk])
            for job, transfer in zip(chunk, done, strict=True):
                answers.put((job[0], str(transfer.pk)))
        except ledger.LedgerError as exc:
            for job in chunk:
                answers.put((job[0], f"refused:{exc.code}"))
    answers.put(None)
