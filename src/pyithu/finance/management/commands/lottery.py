import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.finance import draw


class Command(BaseCommand):
    help = "`lottery verify <file.json | lottery id>` re-runs a published draw from public data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("source", help="the published draw (JSON file) or a lottery id")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["source"]
        if Path(source).exists():
            public = json.loads(Path(source).read_text(encoding="utf-8"))
        else:
            from pyithu.finance.models import Lottery
            from pyithu.finance.services.lottery import public_record

            try:
                public = public_record(Lottery.objects.get(pk=source))
            except (Lottery.DoesNotExist, ValueError) as exc:
                raise CommandError(f"no published draw at {source}") from exc
        if not public.get("seed"):
            raise CommandError("this lottery has not been drawn yet")
        problems = draw.verify(public)
        for line in problems:
            self.stderr.write(line)
        if problems:
            raise CommandError("the draw does NOT verify")
        self.stdout.write(f"draw verified: winners {public['winners']}")
