import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.finance.transparency import check_extends, check_receipt


def _load(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from exc


class Command(BaseCommand):
    help = (
        "Offline checks of the crowdfunding log. `transparency verify --receipt r.json` checks a "
        "donor's receipt; add `--old sth1.json --new sth2.json --proof proof.json` to check that "
        "a later signed tree head extends an earlier one. `--key` pins the log's public key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--receipt")
        parser.add_argument("--old")
        parser.add_argument("--new")
        parser.add_argument("--proof", help="JSON list of hex hashes, or {'proof': [...]}")
        parser.add_argument("--key", help="the log's Ed25519 public key (hex), pinned")

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        checked = []
        key = options["key"]
        if options["receipt"]:
            receipt = _load(options["receipt"])
            key = key or receipt.get("public_key")
            problems += check_receipt(receipt, key)
            checked.append("receipt")
        if options["old"] or options["new"]:
            if not (options["old"] and options["new"] and options["proof"] and key):
                raise CommandError("--old, --new, --proof and --key go together")
            proof = _load(options["proof"])
            proof = proof["proof"] if isinstance(proof, dict) else proof
            problems += check_extends(_load(options["old"]), _load(options["new"]), proof, key)
            checked.append("consistency")
        if not checked:
            raise CommandError("give --receipt and/or --old/--new/--proof")
        for line in problems:
            self.stderr.write(line)
        if problems:
            raise CommandError("verification FAILED")
        self.stdout.write(f"verified: {', '.join(checked)}")
