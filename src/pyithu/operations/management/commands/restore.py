from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.operations import backup


class Command(BaseCommand):
    help = (
        "Restore a backup into an empty database (or replace everything with --force), then "
        "check row counts, sealed values and files, and the ledger."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file (pyithu-...age)")
        parser.add_argument(
            "--identity", required=True, help="the recovery secret key file (from backup-key)"
        )
        parser.add_argument(
            "--force", action="store_true", help="replace a database that is not empty"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            report = backup.restore_backup(
                Path(opts["file"]), Path(opts["identity"]), force=opts["force"]
            )
        except (backup.BackupError, ImproperlyConfigured) as exc:
            # ImproperlyConfigured: no key file, or a node's keys still locked (docs/NODE.md).
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {report.tables} tables ({report.rows} rows, counts as in the manifest) "
            f"and {report.files} files; opened {report.sealed_values_opened} sealed values "
            f"and {report.sealed_files_opened} sealed files."
        )
        if report.pending_migrations:
            self.stdout.write(
                f"The backup is from an older release ({len(report.pending_migrations)} "
                "migrations to apply): run `pyithu migrate`, then `pyithu ledger check`."
            )
        else:
            self.stdout.write(report.ledger)
