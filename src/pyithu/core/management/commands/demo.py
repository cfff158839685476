from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load demo data from every app that has a `demo` module, and say how to sign in."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data never loads in production mode.")
        for app in apps.get_app_configs():
            module_name = f"{app.name}.demo"
            if not app.name.startswith("pyithu.") or find_spec(module_name) is None:
                continue
            with transaction.atomic():
                lines = import_module(module_name).load()
            self.stdout.write(self.style.MIGRATE_HEADING(f"{app.verbose_name}:"))
            for line in lines:
                self.stdout.write(f"  {line}")
