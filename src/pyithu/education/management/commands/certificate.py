"""`pyithu certificate verify TEXT_OR_FILE [--public-key KEY]` and `pyithu certificate key`.

With --public-key (published on the verify page) the check needs no database and no key file,
so an employer or a university abroad can run it offline. Revocation needs the online page.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.core.signing import read_signed_source
from pyithu.education.certificates.signing import (
    PREFIX,
    InvalidCertificate,
    public_key_text,
    verify_text,
)


class Command(BaseCommand):
    help = "Verify a signed certificate offline, or print the service's public key."

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
            raise CommandError("Give the certificate text or a file holding it.")
        try:
            text = read_signed_source(source, PREFIX)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            payload = verify_text(text, options["public_key"] or None)
        except InvalidCertificate:
            raise CommandError("NOT VALID: not signed by this service, or altered.") from None
        holder = (
            f"{payload['name']} ({payload['holder']})" if payload["name"] else payload["holder"]
        )
        self.stdout.write(f"VALID certificate {payload['id']}")
        self.stdout.write(f"holder {holder}")
        self.stdout.write(f"{payload['title']} {payload['school']}".strip())
        self.stdout.write(f"result {payload['result']}, issued {payload['date']}")
        for code, title, credits, grade, term in payload.get("courses", []):
            self.stdout.write(f"  {code} {title} ({term}): {credits} credits, grade {grade}")
        self.stdout.write("(revocation is checked only on the online verify page)")
