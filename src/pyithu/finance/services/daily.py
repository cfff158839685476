"""`pyithu finance daily`: the bank's end-of-day work, safe to run any number of times a day.

Books each open fixed deposit's interest up to the day, pays deposits that have matured and
voids pending transfers (cash-out codes, remittances) whose time ran out. Every booking has a
key derived from the deposit and the day (0022), so a second run the same day books nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from pyithu.finance.models import DepositState, FixedDeposit, Transfer
from pyithu.finance.services import deposits, ledger

DEPOSITS_CLIENT = "system:deposits"


@dataclass(frozen=True)
class DailyRun:
    day: date
    deposits: int  # open deposits looked at
    bookings: int  # interest and maturity transfers booked by this run
    matured: int
    expired: int


def run_daily(today: date | None = None, now: datetime | None = None) -> DailyRun:
    today = today or timezone.localdate()
    before = Transfer.objects.filter(client=DEPOSITS_CLIENT).count()
    open_ids = list(
        FixedDeposit.objects.filter(state=DepositState.OPEN).values_list("pk", flat=True)
    )
    matured = 0
    for pk in open_ids:
        fd = deposits.accrue(pk, today)
        if fd.state == DepositState.OPEN and fd.matures_on <= today:
            deposits.mature(pk, today)
            matured += 1
    bookings = Transfer.objects.filter(client=DEPOSITS_CLIENT).count() - before
    expired = ledger.expire_pending(now)
    return DailyRun(today, len(open_ids), bookings, matured, expired)
