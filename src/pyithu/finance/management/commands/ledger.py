from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.finance.services.checks import ledger_problems
from pyithu.finance.services.ledger import expire_pending


class Command(BaseCommand):
    help = "Ledger tools: `check` proves the invariants; `expire` voids timed-out pendings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check", "expire"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "expire":
            self.stdout.write(f"voided {expire_pending()} expired pending transfers")
            return
        problems = ledger_problems()
        for line in problems:
            self.stderr.write(line)
        if problems:
            raise CommandError(f"ledger check failed: {len(problems)} problem(s)")
        self.stdout.write(
            "ledger check passed: every currency sums to zero, no forbidden "
            "negative balance, every balance equals the sum of its entries"
        )
