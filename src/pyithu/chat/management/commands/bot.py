import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.chat import bot, services


class Command(BaseCommand):
    help = (
        "Chat bots. `bot telegram`: answer by long polling (and deliver the outbox); "
        "`--webhook URL` registers the webhook instead; `bot prune`: drop finished links."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="channel", required=True)
        telegram = sub.add_parser("telegram", help="the Telegram bot")
        telegram.add_argument("--webhook", metavar="URL", help="register the webhook at URL")
        telegram.add_argument("--delete-webhook", action="store_true")
        telegram.add_argument(
            "--outbox-interval",
            type=float,
            default=5.0,
            help="seconds between outbox rounds while polling (0: leave it to `outbox send`)",
        )
        sub.add_parser("prune", help="drop finished booking links, stale steps, idle chats")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["channel"] == "prune":
            for name, count in services.prune().items():
                self.stdout.write(f"{name:10} {count}")
            return
        if options["outbox_interval"] < 0:
            raise CommandError("--outbox-interval must be 0 or more")
        try:
            if options["webhook"]:
                self.stdout.write(f"webhook set: {bot.set_webhook(options['webhook'])}")
            elif options["delete_webhook"]:
                bot.delete_webhook()
                self.stdout.write("webhook deleted")
            else:
                self._poll(options["outbox_interval"])
        except bot.NotConfigured as exc:
            raise CommandError(str(exc)) from None

    def _poll(self, outbox_every: float) -> None:
        import asyncio

        self.stdout.write("Telegram bot: long polling. Stop with Ctrl-C.")
        stop = threading.Event()
        try:
            asyncio.run(bot.poll(stop, outbox_every=outbox_every))
        except KeyboardInterrupt:
            stop.set()
