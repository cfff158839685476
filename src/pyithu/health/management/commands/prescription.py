"""`pyithu prescription verify FILE_OR_TEXT [--public-key KEY]` and `pyithu prescription key`.

With --public-key (from the service's verify page) the check needs no database and no key
file: a pharmacy can run it offline.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.core.signing import read_signed_source
from pyithu.health.signing import PREFIX, InvalidPrescription, public_key_text, verify_text


class Command(BaseCommand):
    help = "Verify a signed prescription offline, or print the service's public key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "key"])
        parser.add_argument("source", nargs="?", default="", help="a file, or the text itself")
        parser.add_argument("--public-key", default="", help="pinned public key (base64)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "key":
            self.stdout.write(public_key_text())
            return
        source = options["source"]
        if not source:
            raise CommandError("Give the prescription text or a file holding it.")
        try:
            text = read_signed_source(source, PREFIX)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            payload = verify_text(text, options["public_key"] or None)
        except InvalidPrescription:
            raise CommandError("NOT VALID: not signed by this service, or altered.") from None
        self.stdout.write(f"VALID prescription {payload['id']}")
        self.stdout.write(f"issued {payload['issued']}, valid until {payload['valid_until']}")
        self.stdout.write(f"clinic {payload['clinic']}, prescriber {payload['prescriber']}")
        for item in payload["items"]:
            self.stdout.write(f"  {item['medicine']} | {item['dose']} | {item['quantity']}")
