from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pyithu.portal.services.shutdowns import import_shutdowns


class Command(BaseCommand):
    help = (
        "Import internet shutdowns from a CSV file with the columns township (P-code), start, "
        "end (YYYY-MM-DD, empty while ongoing), source. Nothing is imported if any row is "
        "wrong, unless --valid-rows is given."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--valid-rows",
            action="store_true",
            help="Import the valid rows even when some are wrong (they are listed).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = options["file"].read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from exc
        report = import_shutdowns(text, all_or_nothing=not options["valid_rows"])
        for line, problem in report.errors:
            self.stderr.write(f"line {line}: {problem}")
        if report.errors and not report.saved:
            raise CommandError(f"{len(report.errors)} rows are wrong; nothing was imported.")
        self.stdout.write(
            f"{report.created} shutdowns imported, {report.already_recorded} already recorded, "
            f"{len(report.errors)} rows refused."
        )
