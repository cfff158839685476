from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.operations import backup


class Command(BaseCommand):
    help = (
        "Write one encrypted backup (database and sealed files, not the keys) for the offline "
        "recovery key (PYITHU_BACKUP_RECIPIENT or --recipient)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--recipient", default="", help="the recovery public key (age1...), if not in env"
        )
        parser.add_argument(
            "--dir",
            default="",
            help="where backups go (PYITHU_BACKUP_DIR, default <var dir>/backups)",
        )
        parser.add_argument("--output", default="", help="an exact file name instead of --dir")
        parser.add_argument(
            "--keep", type=int, default=0, help="then delete all but the newest N in --dir"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        recipient = opts["recipient"] or backup.configured_recipient()
        if not recipient:
            raise CommandError(
                "No recovery key: set PYITHU_BACKUP_RECIPIENT to the public key printed by "
                "`pyithu backup-key`, or pass --recipient."
            )
        directory = Path(
            opts["dir"] or settings.PYITHU_BACKUP_DIR or Path(settings.VAR_DIR) / "backups"
        )
        output = Path(opts["output"]) if opts["output"] else directory / backup.backup_name()
        try:
            manifest = backup.create_backup(output, recipient)
        except (backup.BackupError, ImproperlyConfigured) as exc:
            # ImproperlyConfigured: no key file, or a node's keys still locked (docs/NODE.md).
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        files = sum(1 for name in manifest["members"] if name.startswith("files/"))
        self.stdout.write(
            f"Wrote {output}: {len(manifest['tables'])} tables, {rows} rows, {files} files."
        )
        if opts["keep"] and not opts["output"]:
            for path in backup.prune(directory, opts["keep"]):
                self.stdout.write(f"Deleted old backup {path.name}")
