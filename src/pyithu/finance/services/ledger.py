"""The only code that moves money. See docs/decisions/0020-ledger-concurrency.md.

Every movement runs in one database transaction that
1. locks the affected account rows with ``SELECT ... FOR UPDATE`` ordered by primary key
   (SQLite: the whole database, taken at BEGIN IMMEDIATE),
2. looks the idempotency key up (same request: return the first result; different: refuse),
3. applies conditional ``UPDATE``s with ``F()`` whose ``WHERE`` clause carries the funds check,
   so a balance is never read, decided on and written back,
4. writes the transfer row and its two immutable entries.
PostgreSQL serialization failures and deadlocks are retried from the top.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pyithu.core.ids import new_id
from pyithu.finance.models import (
    AccountKind,
    Currency,
    Entry,
    LedgerAccount,
    Transfer,
    TransferState,
)
from pyithu.finance.money import validate_minor

T = TypeVar("T")
RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected
MAX_ATTEMPTS = 10
OVERDRAFT_KINDS = {AccountKind.SETTLEMENT, AccountKind.EXCHANGE, AccountKind.INTEREST}


class LedgerError(Exception):
    """A refusal; ``message`` is translated, ``code`` is stable for the API, ``field`` for forms."""

    code = "refused"

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class InsufficientFunds(LedgerError):
    code = "insufficient_funds"


class IdempotencyConflict(LedgerError):
    code = "idempotency_conflict"


class TransferNotPending(LedgerError):
    code = "not_pending"


class AccountClosed(LedgerError):
    code = "account_closed"


class BalanceLimit(LedgerError):
    """A balance or a reserved sum would leave the range the books hold (BALANCE_LIMIT)."""

    code = "balance_limit"


# Every balance and reserved sum stays within ±BALANCE_LIMIT, far inside 64 bits, so no sum of
# them overflows on PostgreSQL (an error) or turns into a REAL on SQLite; the database's CHECK
# constraints hold the same bound.
BALANCE_LIMIT = 2**62


@dataclass(frozen=True)
class TransferRequest:
    debit_id: uuid.UUID
    credit_id: uuid.UUID
    amount: int
    kind: str = "transfer"
    reference: str = ""
    pending: bool = False
    timeout: timedelta | None = None
    reversal_of: uuid.UUID | None = None
    # A person's free-text note, sealed at rest; not part of what makes two requests the same.
    note: str = ""

    def digest(self) -> str:
        """What makes two requests 'the same' for idempotency (the timeout is relative and the
        note is not money)."""
        body = json.dumps(
            [
                str(self.debit_id),
                str(self.credit_id),
                self.amount,
                self.kind,
                self.reference,
                self.pending,
                str(self.reversal_of or ""),
            ]
        )
        return hashlib.sha256(body.encode()).hexdigest()


# --- transactions and retries -----------------------------------------------------------------


def _retryable(exc: BaseException) -> bool:
    cause = exc.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if state in RETRYABLE_SQLSTATES:
        return True
    return "database is locked" in str(exc)


def in_transaction(fn: Callable[[], T]) -> T:
    """Run ``fn`` in one transaction, retried on PostgreSQL conflicts. Inside an outer
    transaction it runs in a savepoint and the outermost caller owns the retries."""
    if transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return fn()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return fn()
        except OperationalError as exc:
            if attempt == MAX_ATTEMPTS or not _retryable(exc):
                raise
            time.sleep(random.uniform(0, 0.002 * 2**attempt))  # noqa: S311 (jitter)
    raise AssertionError("unreachable")


def lock_accounts(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, LedgerAccount]:
    """Lock every account in one statement, in primary-key order (no deadlock cycles)."""
    wanted = sorted(set(ids))
    rows = LedgerAccount.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    return {row.pk: row for row in rows}


# --- accounts ---------------------------------------------------------------------------------


def system_account(
    kind: str, currency: str, label: str = "bank", *, overdraft: bool | None = None
) -> LedgerAccount:
    """The bank's own account of a kind and currency, created on first use. ``overdraft``
    overrides the kind's default (the commission fee account nets an expense, see 0023)."""
    found = LedgerAccount.objects.filter(
        owner=None, kind=kind, currency_id=currency, label=label
    ).first()
    if found:
        return found
    try:
        with transaction.atomic():
            return LedgerAccount.objects.create(
                kind=kind,
                currency_id=currency,
                label=label,
                allow_overdraft=kind in OVERDRAFT_KINDS if overdraft is None else overdraft,
            )
    except IntegrityError:
        return LedgerAccount.objects.get(owner=None, kind=kind, currency_id=currency, label=label)


def open_account(owner: Any, currency: str, kind: str = AccountKind.CUSTOMER) -> LedgerAccount:
    if not Currency.objects.filter(code=currency).exists():
        raise LedgerError(_("Unknown currency."), field="currency")
    return LedgerAccount.objects.create(owner=owner, currency_id=currency, kind=kind)


# --- moving money -----------------------------------------------------------------------------


def _same(found: Transfer, request: TransferRequest) -> Transfer:
    """A retried request: the first transfer if the request is the same, else a refusal."""
    if found.request_digest != request.digest():
        raise _refusal("idempotency_conflict")
    return found


def _existing(client: str, key: str, request: TransferRequest) -> Transfer | None:
    found = Transfer.objects.filter(client=client, idempotency_key=key).first()
    return None if found is None else _same(found, request)


def _within_limits(debit: LedgerAccount, credit: LedgerAccount, amount: int, pending: bool) -> None:
    """Refuse what would take a locked balance or reserved sum past BALANCE_LIMIT."""
    if pending:
        over = (
            debit.pending_debits + amount > BALANCE_LIMIT
            or credit.pending_credits + amount > BALANCE_LIMIT
        )
    else:
        over = credit.balance + amount > BALANCE_LIMIT or debit.balance - amount < -BALANCE_LIMIT
    if over:
        raise _refusal("balance_limit")


def _move(debit: LedgerAccount, credit: LedgerAccount, amount: int, *, pending: bool) -> None:
    """Both sides in one conditional UPDATE; the debit's funds check is in the WHERE clause
    (the credit row always qualifies), so 2 rows changed means the money moved."""
    _within_limits(debit, credit, amount, pending)
    if pending:
        side = When(pk=debit.pk, then=Value(amount))
        changes = {
            "pending_debits": F("pending_debits") + Case(side, default=Value(0)),
            "pending_credits": F("pending_credits")
            + Case(When(pk=credit.pk, then=Value(amount)), default=Value(0)),
        }
    else:
        changes = {
            "balance": F("balance")
            + Case(When(pk=debit.pk, then=Value(-amount)), default=Value(amount))
        }
    funds = Q(pk=credit.pk) | Q(allow_overdraft=True) | Q(balance__gte=F("pending_debits") + amount)
    done = (
        LedgerAccount.objects.filter(pk__in=[debit.pk, credit.pk], is_open=True)
        .filter(funds)
        .update(version=F("version") + 1, **changes)
    )
    if done != 2:
        # Both rows are locked and were checked open, so only the funds check can fail.
        raise _refusal("insufficient_funds")
    if pending:
        debit.pending_debits += amount
        credit.pending_credits += amount
    else:
        debit.balance -= amount
        credit.balance += amount


def _entries(transfer: Transfer, debit: LedgerAccount, credit: LedgerAccount) -> list[Entry]:
    return [
        Entry(
            transfer=transfer, account=debit, amount=-transfer.amount, balance_after=debit.balance
        ),
        Entry(
            transfer=transfer, account=credit, amount=transfer.amount, balance_after=credit.balance
        ),
    ]


def _write_entries(transfer: Transfer, debit: LedgerAccount, credit: LedgerAccount) -> None:
    Entry.objects.bulk_create(_entries(transfer, debit, credit))


Check = Callable[[LedgerAccount, LedgerAccount, TransferRequest], None]


@dataclass
class _Batch:
    """What one transaction has seen and still has to write."""

    client: str
    accounts: dict[uuid.UUID, LedgerAccount]
    known: dict[str, Transfer]  # transfers under this client's keys (found or just made)
    entries: list[Entry]


def _usable(batch: _Batch, request: TransferRequest) -> tuple[LedgerAccount, LedgerAccount]:
    """The two locked accounts, or the refusal (the database function refuses in this order)."""
    debit, credit = batch.accounts.get(request.debit_id), batch.accounts.get(request.credit_id)
    if debit is None or credit is None:
        raise _refusal("unknown_account")
    if debit.pk == credit.pk:
        raise _refusal("same_account")
    if debit.currency_id != credit.currency_id:
        raise _refusal("currency")
    if not (debit.is_open and credit.is_open):
        raise _refusal("closed")
    validate_minor(request.amount)
    return debit, credit


def _refusal(code: str) -> LedgerError:
    """A refusal by its stable code: the Python path and the database function share these."""
    if code == "unknown_account":
        return LedgerError(_("Unknown account."), field="to")
    if code == "same_account":
        return LedgerError(_("Choose a different account to pay."), field="to")
    if code == "currency":
        return LedgerError(_("Both accounts must hold the same currency."), field="to")
    if code == "closed":
        return LedgerError(_("This account is closed."), field="to")
    if code == "idempotency_conflict":
        return IdempotencyConflict(
            _("This request key was already used for a different transfer."), field="key"
        )
    if code == "balance_limit":
        return BalanceLimit(_("This amount is more than the account can hold."), field="amount")
    if code == "insufficient_funds":
        return InsufficientFunds(_("Not enough money in this account."), field="amount")
    return LedgerError(_("This transfer was refused."))


def _apply(batch: _Batch, key: str, request: TransferRequest, check: Check | None) -> Transfer:
    found = batch.known.get(key)
    if found is not None:
        return _same(found, request)
    debit, credit = _usable(batch, request)
    if check is not None:
        check(debit, credit, request)
    now = timezone.now()
    transfer = Transfer.objects.create(
        client=batch.client,
        idempotency_key=key,
        request_digest=request.digest(),
        debit_account=debit,
        credit_account=credit,
        currency_id=debit.currency_id,
        amount=request.amount,
        kind=request.kind,
        reference=request.reference,
        note=request.note,
        state=TransferState.PENDING if request.pending else TransferState.POSTED,
        timeout_at=(now + request.timeout)
        if request.pending and request.timeout is not None
        else None,
        finished_at=None if request.pending else now,
        reversal_of_id=request.reversal_of,
    )
    batch.known[key] = transfer
    _move(debit, credit, request.amount, pending=request.pending)
    if not request.pending:
        # Written once for the whole batch; nothing in a check reads entries.
        batch.entries.extend(_entries(transfer, debit, credit))
    return transfer


def transfer(
    client: str, key: str, request: TransferRequest, check: Check | None = None
) -> Transfer:
    """Move money once per (client, key). A retry with the same request returns the first
    transfer; a different request under the same key is refused. ``check`` runs with the
    accounts locked (limits, ownership) and may raise ``LedgerError``."""
    return transfer_batch(client, [(key, request)], check)[0]


def transfer_batch(
    client: str,
    items: Sequence[tuple[str, TransferRequest]],
    check: Check | None = None,
) -> list[Transfer]:
    """Several transfers in one transaction: all apply or none (a refusal rolls back all)."""
    if not items:
        return []
    if not client or any(not key or len(key) > 128 for key, _r in items):
        raise LedgerError(_("Every transfer needs a request key."), field="key")

    if _by_function(items):
        return _transfer_batch_in_database(client, items, check)

    def run() -> list[Transfer]:
        ids = [i for _k, r in items for i in (r.debit_id, r.credit_id)]
        accounts = lock_accounts(ids)
        # One look-up for every key, after the locks (see 0020).
        keys = {key for key, _r in items}
        known = {
            t.idempotency_key: t
            for t in Transfer.objects.filter(client=client, idempotency_key__in=keys)
        }
        batch = _Batch(client, accounts, known, [])
        done = [_apply(batch, key, request, check) for key, request in items]
        if batch.entries:
            Entry.objects.bulk_create(batch.entries)
        return done

    try:
        return in_transaction(run)
    except IntegrityError:
        # A concurrent request with the same key committed first: answer with its result.
        found = [_existing(client, key, request) for key, request in items]
        if all(found):
            return found  # type: ignore[return-value]
        raise


# --- PostgreSQL: one database function per transfer (decision 0034) ---------------------------

TRANSFER_FUNCTION = (
    "SELECT transfer_id, created, currency FROM pyithu_ledger_transfer("
    "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
FUNCTION_REFUSAL = "pyithu-ledger:"
# PYITHU_LEDGER_PATH=python keeps the Python path on PostgreSQL too: the tests run the same
# ledger tests through both paths, and an operator can fall back without a release.
USE_FUNCTION = os.environ.get("PYITHU_LEDGER_PATH", "function") != "python"


def _by_function(items: Sequence[tuple[str, TransferRequest]]) -> bool:
    """PostgreSQL applies each transfer in ``pyithu_ledger_transfer`` (migration 0005). An
    amount that is not a valid number of minor units takes the Python path, which refuses it
    in the same order as always."""
    if not USE_FUNCTION or transaction.get_connection().vendor != "postgresql":
        return False
    try:
        for _key, request in items:
            validate_minor(request.amount)
    except ValueError:
        return False
    return True


def _transfer_batch_in_database(
    client: str, items: Sequence[tuple[str, TransferRequest]], check: Check | None
) -> list[Transfer]:
    """The same rules as the Python path, one function call per transfer. A single transfer
    with no service check outside a transaction is one statement, committed on its own
    (autocommit); otherwise the calls share one transaction, all or none. A ``check`` runs with
    both accounts locked, after the key look-up, exactly as on the Python path."""

    def run() -> list[Transfer]:
        known: dict[str, Transfer] = {}
        batch: _Batch | None = None
        if check is not None or len(items) > 1:
            # Every account of the batch locked first, in one ordered statement: each call
            # locking only its own two would take a batch's locks out of global order (0020).
            ids = [i for _k, r in items for i in (r.debit_id, r.credit_id)]
            batch = _Batch(client, lock_accounts(ids), {}, [])
        if check is not None:
            keys = {key for key, _r in items}
            known = {
                t.idempotency_key: t
                for t in Transfer.objects.filter(client=client, idempotency_key__in=keys)
            }
        done = []
        for key, request in items:
            if key in known:
                done.append(_same(known[key], request))
                continue
            if batch is not None and check is not None:
                debit, credit = _usable(batch, request)
                check(debit, credit, request)
            known[key] = _call_transfer_function(client, key, request)
            done.append(known[key])
        return done

    connection = transaction.get_connection()
    try:
        if len(items) == 1 and check is None and not connection.in_atomic_block:
            return [_autocommit_with_retries(lambda: _call_transfer_function(client, *items[0]))]
        return in_transaction(run)
    except IntegrityError:
        # A concurrent request with the same key committed first: answer with its result.
        found = [_existing(client, key, request) for key, request in items]
        if all(found):
            return found  # type: ignore[return-value]
        raise


def _autocommit_with_retries(fn: Callable[[], T]) -> T:
    """One statement in autocommit, retried like ``in_transaction`` on PostgreSQL conflicts."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return fn()
        except OperationalError as exc:
            if attempt == MAX_ATTEMPTS or not _retryable(exc):
                raise
            time.sleep(random.uniform(0, 0.002 * 2**attempt))  # noqa: S311 (jitter)
    raise AssertionError("unreachable")


def _call_transfer_function(client: str, key: str, request: TransferRequest) -> Transfer:
    connection = transaction.get_connection()
    now = timezone.now()
    pending = request.pending
    timeout_at = now + request.timeout if pending and request.timeout is not None else None
    new = new_id()
    digest = request.digest()
    note = Transfer._meta.get_field("note").get_db_prep_save(request.note, connection)
    params = [
        new,
        client,
        key,
        digest,
        request.debit_id,
        request.credit_id,
        request.amount,
        request.kind,
        request.reference,
        note,
        pending,
        timeout_at,
        request.reversal_of,
        now,
        BALANCE_LIMIT,
    ]
    try:
        with connection.cursor() as cursor:
            cursor.execute(TRANSFER_FUNCTION, params)
            transfer_id, created, currency = cursor.fetchone()
    except DatabaseError as exc:
        message = str(getattr(exc.__cause__, "diag", None) and exc.__cause__.diag.message_primary)
        if message.startswith(FUNCTION_REFUSAL):
            raise _refusal(message.removeprefix(FUNCTION_REFUSAL)) from None
        raise
    if not created:
        return _same(Transfer.objects.get(pk=transfer_id), request)
    found = Transfer(
        id=transfer_id,
        created_at=now,
        updated_at=now,
        client=client,
        idempotency_key=key,
        request_digest=digest,
        debit_account_id=request.debit_id,
        credit_account_id=request.credit_id,
        currency_id=currency,
        amount=request.amount,
        kind=request.kind,
        reference=request.reference,
        note=request.note,
        state=TransferState.PENDING if pending else TransferState.POSTED,
        timeout_at=timeout_at,
        finished_at=None if pending else now,
        reversal_of_id=request.reversal_of,
    )
    found._state.adding = False
    found._state.db = connection.alias
    return found


def _finish(transfer_id: uuid.UUID, post: bool, now: datetime | None = None) -> Transfer:
    now = now or timezone.now()

    def run() -> Transfer:
        head = Transfer.objects.filter(pk=transfer_id).values(
            "debit_account_id", "credit_account_id"
        )
        if not head:
            raise TransferNotPending(_("No such transfer."))
        accounts = lock_accounts(head[0].values())
        transfer = Transfer.objects.select_for_update().get(pk=transfer_id)
        wanted = TransferState.POSTED if post else TransferState.VOIDED
        if transfer.state == wanted:
            return transfer  # finishing twice is a retry, not an error
        if transfer.state != TransferState.PENDING:
            raise TransferNotPending(_("This transfer is already finished."))
        if post and transfer.timeout_at and transfer.timeout_at <= now:
            raise TransferNotPending(_("This transfer has expired."))
        debit = accounts[transfer.debit_account_id]
        credit = accounts[transfer.credit_account_id]
        amount = transfer.amount
        if post and not (debit.is_open and credit.is_open):
            # Closed while the money was reserved: it can only be voided back.
            raise AccountClosed(_("This account is closed."))
        if post:
            _within_limits(debit, credit, amount, pending=False)
        release = {"pending_debits": F("pending_debits") - amount, "version": F("version") + 1}
        if post:
            release["balance"] = F("balance") - amount
        done = LedgerAccount.objects.filter(pk=debit.pk, pending_debits__gte=amount).update(
            **release
        )
        arrive = {"pending_credits": F("pending_credits") - amount, "version": F("version") + 1}
        if post:
            arrive["balance"] = F("balance") + amount
        done += LedgerAccount.objects.filter(pk=credit.pk, pending_credits__gte=amount).update(
            **arrive
        )
        if done != 2:
            raise AssertionError("reserved amounts disagree with a pending transfer")
        Transfer.objects.filter(pk=transfer.pk, state=TransferState.PENDING).update(
            state=wanted, finished_at=now
        )
        transfer.state, transfer.finished_at = wanted, now
        if post:
            debit.balance -= amount
            credit.balance += amount
            _write_entries(transfer, debit, credit)
        return transfer

    return in_transaction(run)


def post_pending(transfer_id: uuid.UUID) -> Transfer:
    """Complete a pending transfer: the reserved money moves."""
    return _finish(transfer_id, post=True)


def void_pending(transfer_id: uuid.UUID) -> Transfer:
    """Cancel a pending transfer: the reservation is released, nothing moves."""
    return _finish(transfer_id, post=False)


def expire_pending(now: datetime | None = None) -> int:
    """Void every pending transfer whose timeout has passed; returns how many."""
    now = now or timezone.now()
    ids = Transfer.objects.filter(
        state=TransferState.PENDING, timeout_at__isnull=False, timeout_at__lte=now
    ).values_list("pk", flat=True)
    count = 0
    for transfer_id in list(ids):
        try:
            _finish(transfer_id, post=False, now=now)
        except TransferNotPending:
            continue  # posted or voided meanwhile
        count += 1
    return count


def reverse(original: Transfer, client: str, key: str) -> Transfer:
    """Correct a posted transfer by moving the same amount back (entries are never edited)."""
    if original.state != TransferState.POSTED:
        raise TransferNotPending(_("Only a posted transfer can be reversed."))
    if original.reversal_of_id is not None:
        raise LedgerError(_("A reversal cannot itself be reversed."))
    request = TransferRequest(
        debit_id=original.credit_account_id,
        credit_id=original.debit_account_id,
        amount=original.amount,
        kind="reversal",
        reference=original.reference[:80],
        reversal_of=original.pk,
    )
    try:
        return transfer(client, key, request)
    except IntegrityError:
        raise LedgerError(_("This transfer was already reversed.")) from None
