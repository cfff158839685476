"""`pyithu prescription verify FILE_OR_TEXT [--public-key KEY]` and `pyithu prescription key`.

With --public-key (from the service's verify page) the check needs no database and no key
file: a pharmacy can run it offline.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.health.signing import InvalidPrescription, public_key_text, verify_text


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
        text = source
        if not source.startswith("PYRX"):
            try:
                text = Path(source).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"cannot read {source}: {exc}") from exc
        try:
            payload = verify_text(text, options["public_key"] or None)
        except InvalidPrescription:
            raise CommandError("NOT VALID: not signed by this service, or altered.") from None
        self.stdout.write(f"VALID prescription {payload['id']}")
        self.stdout.write(f"issued {payload['issued']}, valid until {payload['valid_until']}")
        self.stdout.write(f"clinic {payload['clinic']}, prescriber {payload['prescriber']}")
        for item in payload["items"]:
            self.stdout.write(f"  {item['medicine']} | {item['dose']} | {item['quantity']}")
