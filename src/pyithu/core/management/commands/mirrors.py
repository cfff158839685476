import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.core.mirrors import MirrorListError, public_key, publish, verify_list


class Command(BaseCommand):
    help = (
        "`mirrors sign [--seq N] ADDRESS...` signs the hub's address list, keeps it (it travels "
        "to every node) and prints it; `mirrors key` prints the public key to publish; "
        "`mirrors verify FILE --key KEY` checks a list offline and refuses a "
        "tampered one or one not newer than the last trusted (kept in VAR_DIR/mirrors_seen.json)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["sign", "key", "verify"])
        parser.add_argument("items", nargs="*")
        parser.add_argument("--seq", type=int, default=0)
        parser.add_argument("--key", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        action, items = options["action"], options["items"]
        try:
            if action == "key":
                self.stdout.write(public_key())
            elif action == "sign":
                published = publish(items, options["seq"] or None)
                self.stdout.write(published.text)
            else:
                if len(items) != 1:
                    raise CommandError("give the list's file")
                seen = Path(settings.VAR_DIR) / "mirrors_seen.json"
                last = json.loads(seen.read_text())["seq"] if seen.exists() else 0
                text = Path(items[0]).read_text(encoding="utf-8")
                payload = verify_list(text, options["key"], newer_than=last)
                seen.parent.mkdir(parents=True, exist_ok=True)
                seen.write_text(json.dumps({"seq": payload["seq"]}))
                self.stdout.write(f"list {payload['seq']} of {payload['issued']}: good")
                for address in payload["addresses"]:
                    self.stdout.write(address)
        except (MirrorListError, OSError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
