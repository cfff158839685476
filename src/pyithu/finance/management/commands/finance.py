from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.finance.services.daily import run_daily


class Command(BaseCommand):
    help = (
        "`finance daily [--date YYYY-MM-DD]`: book fixed-deposit interest up to the day, pay "
        "matured deposits and void timed-out pending transfers. Running it twice books nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["daily"])
        parser.add_argument("--date", help="the day to book up to (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
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
