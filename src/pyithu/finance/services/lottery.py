"""The e-lottery: committed seed, frozen ticket list, beacon value, verifiable draw."""

from __future__ import annotations

import secrets
from typing import Any

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.core import audit
from pyithu.finance import draw
from pyithu.finance.models import AccountKind, LedgerAccount, Lottery, LotteryState, Ticket
from pyithu.finance.services import ledger
from pyithu.finance.services.ledger import LedgerError, TransferRequest
from pyithu.finance.services.wallets import client_of, limit_check, wallet_for

MAX_TICKETS = 10


def _officer(user: Any) -> None:
    if not has_role(user, Role.BANK_OFFICER, "finance"):
        raise LedgerError(_("Only a bank officer can do this."))


def create_lottery(
    by: Any, name: str, currency: str, ticket_price: int, prizes: list[int], beacon_name: str
) -> Lottery:
    """Publishes SHA-256(seed) and the name of the future public random value before sales."""
    _officer(by)
    seed = secrets.token_bytes(32)
    pool = LedgerAccount.objects.create(currency_id=currency, kind=AccountKind.LOTTERY)
    lottery = Lottery.objects.create(
        name=name,
        currency_id=currency,
        ticket_price=ticket_price,
        prizes=prizes,
        pool=pool,
        commitment=draw.commitment(seed),
        seed=seed.hex(),
        beacon_name=beacon_name,
    )
    audit.record(by, "finance.lottery_create", lottery, summary=lottery.commitment)
    return lottery


def buy_ticket(user: Any, lottery: Lottery, key: str) -> Ticket:
    wallet = wallet_for(user, lottery.currency_id)

    def run() -> Ticket:
        ledger.lock_accounts([wallet.pk, lottery.pool_id])
        done = Lottery.objects.filter(pk=lottery.pk, state=LotteryState.OPEN).update(
            tickets_sold=F("tickets_sold") + 1
        )
        request = TransferRequest(wallet.pk, lottery.pool_id, lottery.ticket_price, "lottery")
        existing = ledger.Transfer.objects.filter(
            client=client_of(user), idempotency_key=key
        ).first()
        if existing is not None:
            raise _Replay(existing)
        if not done:
            raise LedgerError(_("Ticket sales for this lottery are closed."))
        transfer = ledger.transfer(client_of(user), key, request, limit_check(user))
        number = Lottery.objects.get(pk=lottery.pk).tickets_sold
        return Ticket.objects.create(
            lottery=lottery, number=number, wallet=wallet, transfer=transfer
        )

    try:
        return ledger.in_transaction(run)
    except _Replay as replay:
        return Ticket.objects.get(transfer=replay.transfer)


def buy_tickets(user: Any, lottery: Lottery, count: int, key: str) -> list[Ticket]:
    """Several tickets in one transaction, all or none; ticket i is keyed ``<key>:<i>``."""
    if not 1 <= count <= MAX_TICKETS:
        raise LedgerError(
            _("Buy between 1 and %(n)d tickets at a time.") % {"n": MAX_TICKETS}, field="count"
        )
    return ledger.in_transaction(
        lambda: [buy_ticket(user, lottery, f"{key}:{i}") for i in range(count)]
    )


class _Replay(Exception):
    def __init__(self, transfer: Any) -> None:
        self.transfer = transfer


def close_sales(by: Any, lottery: Lottery) -> Lottery:
    """Freeze the ticket list and publish its hash."""
    _officer(by)

    def run() -> Lottery:
        fresh = Lottery.objects.select_for_update().get(pk=lottery.pk)
        if fresh.state != LotteryState.OPEN:
            return fresh
        tickets = list(fresh.tickets.values_list("number", "id"))
        fresh.tickets_hash = draw.tickets_hash([(n, str(i)) for n, i in tickets])
        fresh.state = LotteryState.CLOSED
        fresh.save(update_fields=["tickets_hash", "state", "updated_at"])
        return fresh

    fresh = ledger.in_transaction(run)
    audit.record(by, "finance.lottery_close", fresh, summary=fresh.tickets_hash)
    return fresh


def run_draw(by: Any, lottery: Lottery, beacon_value: str) -> Lottery:
    """Enter the public random value, reveal the seed, pick the winners and pay them."""
    _officer(by)
    beacon_value = beacon_value.strip()
    if not beacon_value:
        raise LedgerError(_("Enter the public random value."), field="beacon_value")

    def run() -> Lottery:
        fresh = Lottery.objects.select_for_update().get(pk=lottery.pk)
        if fresh.state != LotteryState.CLOSED:
            raise LedgerError(_("Close ticket sales before the draw."))
        seed = bytes.fromhex(fresh.seed)
        tickets = [(n, str(i)) for n, i in fresh.tickets.values_list("number", "id")]
        numbers = draw.winners(seed, tickets, beacon_value, len(fresh.prizes))
        by_number = {t.number: t for t in fresh.tickets.all()}
        legs = [
            (
                f"lottery:{fresh.pk}:prize:{i}",
                TransferRequest(fresh.pool_id, by_number[n].wallet_id, fresh.prizes[i], "prize"),
            )
            for i, n in enumerate(numbers)
        ]
        ledger.transfer_batch("system:lottery", legs)
        fresh.beacon_value, fresh.revealed_seed = beacon_value, seed.hex()
        fresh.winners, fresh.state = numbers, LotteryState.DRAWN
        fresh.save(
            update_fields=["beacon_value", "revealed_seed", "winners", "state", "updated_at"]
        )
        return fresh

    fresh = ledger.in_transaction(run)
    audit.record(by, "finance.lottery_draw", fresh, summary=",".join(map(str, fresh.winners)))
    return fresh


def public_record(lottery: Lottery) -> dict[str, Any]:
    """Everything anyone needs to re-run the draw (no ticket holders)."""
    return {
        "id": str(lottery.pk),
        "name": lottery.name,
        "state": lottery.state,
        "commitment": lottery.commitment,
        "beacon_name": lottery.beacon_name,
        "beacon_value": lottery.beacon_value,
        "tickets_hash": lottery.tickets_hash,
        "seed": lottery.revealed_seed,
        "prizes": lottery.prizes,
        "winners": lottery.winners,
        "tickets": [
            {"number": n, "id": str(i)} for n, i in lottery.tickets.values_list("number", "id")
        ]
        if lottery.state != LotteryState.OPEN
        else [],
    }
