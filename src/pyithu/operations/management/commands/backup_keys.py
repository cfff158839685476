from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.operations import backup


class Command(BaseCommand):
    help = (
        "Write the sealing key file, the secret key and the node identity to one encrypted file "
        "for a key-custody recipient (never the data backups' recovery key)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", help="the file to write (must not exist)")
        parser.add_argument("--recipient", required=True, help="the custodian's age1... key")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            parts = backup.backup_keys(Path(opts["output"]), opts["recipient"])
        except FileExistsError:
            raise CommandError(f"{opts['output']} already exists.") from None
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Wrote {opts['output']}: {', '.join(parts)}. Keep it apart from the backups."
        )
