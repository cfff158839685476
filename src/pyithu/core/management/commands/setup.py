from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Everything a fresh install needs: translations, database tables, reference data."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("compile_translations", stdout=self.stdout)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database is up to date.")
        call_command("load_geography", stdout=self.stdout)
        call_command("load_catalogue", stdout=self.stdout)
