import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.finance.transparency import check_extends, check_receipt, published_log_key


def _load(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from exc


class Command(BaseCommand):
    help = (
        "Offline checks of the crowdfunding log. `transparency verify --receipt r.json` checks a "
        "donor's receipt; add `--old sth1.json --new sth2.json --proof proof.json` to check that "
        "a later signed tree head extends an earlier one. Checks use the log's published key: "
        "`--key HEX`, or this installation's own log key; never a key the receipt carries."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--receipt")
        parser.add_argument("--old")
        parser.add_argument("--new")
        parser.add_argument("--proof", help="JSON list of hex hashes, or {'proof': [...]}")
        parser.add_argument(
            "--key", help="the log's published Ed25519 public key (hex); default: this site's"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        checked = []
        key, source = options["key"], "given with --key"
        if not key:
            key, source = published_log_key(), "this site's published log key"
        if not key:
            raise CommandError("give the log's published key with --key (no key file here)")
        self.stdout.write(f"using {source}: {key}")
        try:
            if options["receipt"]:
                receipt = _load(options["receipt"])
                if receipt.get("public_key") not in (None, key):
                    problems.append("the receipt names another key than the log's")
                problems += check_receipt(receipt, key)
                checked.append("receipt")
            if options["old"] or options["new"]:
                if not (options["old"] and options["new"] and options["proof"]):
                    raise CommandError("--old, --new and --proof go together")
                proof = _load(options["proof"])
                proof = proof["proof"] if isinstance(proof, dict) else proof
                problems += check_extends(_load(options["old"]), _load(options["new"]), proof, key)
                checked.append("consistency")
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CommandError(f"malformed input ({type(exc).__name__}: {exc})") from None
        if not checked:
            raise CommandError("give --receipt and/or --old/--new/--proof")
        for line in problems:
            self.stderr.write(line)
        if problems:
            raise CommandError("verification FAILED")
        self.stdout.write(f"verified: {', '.join(checked)}")
