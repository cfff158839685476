from typing import Any

from django.core.management.base import BaseCommand

from pyithu.core.translations import compile_catalogues


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po to .mo) without needing GNU gettext."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        for path in compile_catalogues():
            self.stdout.write(f"compiled {path}")
