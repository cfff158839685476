import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.health.services import cases, reminders


class Command(BaseCommand):
    help = (
        "`health tick` (once, or --loop): return unanswered claims to the queue, queue "
        "appointment and follow-up reminders in the outbox, erase contacts no longer needed. "
        "Running it twice queues nothing twice; schedule it every few minutes beside the outbox."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["tick"])
        parser.add_argument("--loop", action="store_true", help="keep going until stopped")
        parser.add_argument("--interval", type=float, default=300.0, help="seconds between rounds")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] <= 0:
            raise CommandError("--interval must be positive")
        while True:
            released = cases.release_stale_claims()
            queued = reminders.run()
            self.stdout.write(
                f"released {released}, reminders {queued.appointments} appointment(s) "
                f"{queued.follow_ups} follow-up(s), contacts erased {queued.forgotten}"
            )
            if not options["loop"]:
                return
            time.sleep(options["interval"])
