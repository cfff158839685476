import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.outbox import services


class Command(BaseCommand):
    help = "Outbox: `send` delivers due messages (once, or --loop); `status` counts by state."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["send", "status"])
        parser.add_argument("--loop", action="store_true", help="keep sending until stopped")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between rounds")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            for state, count in services.state_counts().items():
                self.stdout.write(f"{state:8} {count}")
            return
        if options["interval"] <= 0:
            raise CommandError("--interval must be positive")
        while True:
            report = services.deliver_due()
            self.stdout.write(
                f"sent {report.sent}, retried {report.retried}, "
                f"failed {report.failed}, expired {report.expired}"
            )
            if not options["loop"]:
                return
            time.sleep(options["interval"])
