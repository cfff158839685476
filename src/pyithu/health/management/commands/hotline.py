"""`pyithu hotline alert`: tell the coordinator (through the outbox) about call-back requests
nobody has answered within the set minutes. Run it every minute or two (cron, a systemd timer);
each request is alerted once, so overlapping runs send one message."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.health.services import hotline


class Command(BaseCommand):
    help = "Hotline: `alert` tells the coordinator about requests waiting too long."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["alert"])

    def handle(self, *args: Any, **options: Any) -> None:
        if not hotline.settings_row().coordinator_contact:
            raise CommandError(
                "No coordinator contact is set: add hotline settings in the admin first."
            )
        count = hotline.alert_unanswered()
        self.stdout.write(f"alerted about {count} request(s)")
