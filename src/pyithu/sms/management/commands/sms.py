from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.sms import services
from pyithu.sms.fake_gateway import FakeGateway, Received


class Command(BaseCommand):
    help = (
        "SMS: `fake-gateway` runs a local gateway that prints what it is sent (point "
        "PYITHU_SMS_GATEWAY_URL at it); `receive <number> <text>` answers a text as if the "
        "gateway had posted it (the reply waits in the outbox)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["fake-gateway", "receive"])
        parser.add_argument("words", nargs="*", help="receive: the number, then the text")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--token", default="gateway-secret")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "receive":
            if len(options["words"]) < 1:
                raise CommandError("give the sender's number, then the text")
            number, text = options["words"][0], " ".join(options["words"][1:])
            try:
                received = services.receive(number, text)
            except services.InboundError as exc:
                raise CommandError(str(exc.message)) from None
            self.stdout.write(f"{received.command}: {received.outcome}")
            return
        if not 0 < options["port"] < 65536:
            raise CommandError("--port must be between 1 and 65535")

        def show(text: Received) -> None:
            self.stdout.write(f"[gateway] to {text.to}: {text.message}")
            self.stdout.flush()

        try:
            gateway = FakeGateway(options["token"], port=options["port"], on_receive=show)
        except OSError as exc:
            raise CommandError(f"cannot listen on port {options['port']}: {exc}") from None
        self.stdout.write(f"fake SMS gateway at {gateway.url} (token {options['token']})")
        try:
            gateway.serve_forever()
        except KeyboardInterrupt:
            gateway.stop()
