from datetime import date
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.accounts.models import User
from pyithu.finance.currencies import exponent_of
from pyithu.finance.money import AmountError, parse_amount
from pyithu.finance.services import nodes
from pyithu.finance.services.daily import run_daily
from pyithu.finance.services.ledger import LedgerError


class Command(BaseCommand):
    help = (
        "`finance daily [--date YYYY-MM-DD]`: book fixed-deposit interest up to the day, pay "
        "matured deposits and void timed-out pending transfers; on a township node, report codes "
        "that expired unpaid so the hub frees their money. Running it twice books nothing. "
        "`finance allot NODE_ID CURRENCY AMOUNT --by OFFICER --key KEY`: set money aside for a "
        "township node before a shutdown (decision 0026). `finance retire-node NODE_ID --by "
        "OFFICER`: a wiped or lost node gets no more money; its open codes are settled as paid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["daily", "allot", "retire-node"])
        parser.add_argument("items", nargs="*")
        parser.add_argument("--date", help="the day to book up to (default: today)")
        parser.add_argument("--by", help="the bank officer's handle")
        parser.add_argument("--key", help="a request key: the same key allots once")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] != "daily":
            return self._nodes(options)
        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"not a date: {options['date']}") from exc
        done = run_daily(day)
        self.stdout.write(
            f"{done.day}: {done.deposits} open deposit(s), {done.bookings} booking(s), "
            f"{done.matured} matured, {done.expired} expired pending transfer(s)"
        )
        released = nodes.release_expired()  # on a township node only (decision 0026)
        if released:
            self.stdout.write(f"{released} expired code(s) reported to the hub for release")
        return None

    def _nodes(self, options: dict[str, Any]) -> None:
        officer = User.objects.filter(handle=(options["by"] or "").strip().lower()).first()
        if officer is None:
            raise CommandError("give --by the handle of a bank officer")
        items = options["items"]
        try:
            if options["action"] == "retire-node":
                if len(items) != 1:
                    raise CommandError("give the node id")
                settled = nodes.retire_node(officer, items[0])
                self.stdout.write(f"retired {items[0]}: {settled} open code(s) settled as paid")
                return
            if len(items) != 3 or not options["key"]:
                raise CommandError("give NODE_ID CURRENCY AMOUNT and --key")
            node_id, currency, amount = items
            minor = parse_amount(amount, exponent_of(currency.upper()))
            done = nodes.allot_float(officer, node_id, currency.upper(), minor, options["key"])
            self.stdout.write(f"allotted {done.amount} {done.currency} (minor units) to {node_id}")
        except (LedgerError, AmountError) as exc:
            raise CommandError(str(exc.message)) from exc
        except ObjectDoesNotExist as exc:
            raise CommandError(f"unknown currency {items[1]}") from exc
