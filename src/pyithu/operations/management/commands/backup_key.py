import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.operations import backup


class Command(BaseCommand):
    help = (
        "Make a recovery key pair: the secret goes to the file you name (keep it offline), the "
        "public key is printed for PYITHU_BACKUP_RECIPIENT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("secret_file", help="where to write the secret key (must not exist)")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["secret_file"])
        secret, public = backup.new_recovery_identity()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(f"{path} already exists; choose another name.") from None
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror}") from exc
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(backup.identity_file_text(secret, public))
        self.stdout.write(f"Wrote the recovery secret key to {path} (mode 600).")
        self.stdout.write("Move it off this server (and print it); without it no backup opens.")
        self.stdout.write(f"Public key, for PYITHU_BACKUP_RECIPIENT:\n{public}")
