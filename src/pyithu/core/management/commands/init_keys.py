from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pyithu.core import sealing


class Command(BaseCommand):
    help = "Create the sealing key file (PYITHU_KEY_FILE) if it does not exist."

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(settings.PYITHU_KEY_FILE)
        if path.exists():
            raise CommandError(f"{path} already exists; use rotate-keys to add a key.")
        ring = sealing.KeyRing({1: sealing.new_key()}, 1, sealing.new_key())
        sealing.write_keyring(ring, path)
        self.stdout.write(
            f"Wrote {path} (mode 600). Back it up offline: without it sealed data is lost."
        )
