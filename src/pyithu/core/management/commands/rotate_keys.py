from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.core import audit
from pyithu.core.rotation import rotate_keys


class Command(BaseCommand):
    help = "Add a new sealing key, re-seal all sealed data under it, optionally drop old keys."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--drop-old", action="store_true", help="remove old keys once all data is re-sealed"
        )

    def handle(self, *args: Any, drop_old: bool, **options: Any) -> None:
        try:
            report = rotate_keys(drop_old=drop_old)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        audit.record(None, "keys.rotate", summary=f"new key version {report.new_version}")
        self.stdout.write(f"Sealing key version {report.new_version} is now current.")
        for column, count in sorted(report.rows_resealed.items()):
            self.stdout.write(f"  re-sealed {count} value(s) in {column}")
        self.stdout.write(f"  re-sealed {report.files_resealed} file(s)")
        if report.dropped_versions:
            dropped = ", ".join(map(str, report.dropped_versions))
            self.stdout.write(f"  dropped old key version(s): {dropped}")
