from typing import Any

import pyotp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.accounts.models import User


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo staff account (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("handle")

    def handle(self, *args: Any, handle: str, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("totp-code is for demos; in production use an authenticator app.")
        user = User.objects.filter(handle=handle.lower(), is_staff=True).first()
        if user is None or not user.totp_secret:
            raise CommandError(f"No staff account {handle!r} with two-factor set up.")
        self.stdout.write(pyotp.TOTP(user.totp_secret).now())
