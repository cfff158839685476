from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pyithu.geo.datafiles import AdminDataError
from pyithu.geo.services import load_admin_units


class Command(BaseCommand):
    help = (
        "Load Myanmar's states/regions, districts and townships from the shipped MIMU data. "
        "Safe to run again: it only adds missing units and keeps operators' renames."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            help="Folder holding states_regions.csv, districts.csv and townships.csv.",
        )
        parser.add_argument(
            "--update-names",
            action="store_true",
            help="Reset the names of existing units to the ones in the files.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_admin_units(options["directory"], update_names=options["update_names"])
        except AdminDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.summary())
