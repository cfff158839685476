from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pyithu.portal.services import CatalogueError, load_catalogue


class Command(BaseCommand):
    help = (
        "Load the NUG ministries and their services from the shipped catalogue. "
        "Safe to run again: it only adds missing entries and keeps operators' edits."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--file", type=Path, help="A catalogue JSON file to load instead.")
        parser.add_argument(
            "--update",
            action="store_true",
            help="Reset existing entries to the file's names, texts and order.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            written = load_catalogue(options["file"], update=options["update"])
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            self.stdout.write(f"Catalogue loaded: {written} entries created or changed.")
