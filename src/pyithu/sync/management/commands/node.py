"""`pyithu node init|unlock|serve|show|register|revoke|wipe`: this site's identity, its
passphrase-locked keys (0051, 0056) and its peers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.core import sealing
from pyithu.sync import config, node_keys, services
from pyithu.sync.identity import IdentityError, PublicCard, read_card
from pyithu.sync.unlock import ask_passphrase, forget_identity, unlock_node


class Command(BaseCommand):
    help = "Set up this site's sync identity, register or revoke peers, or wipe the keys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("init", help="create the identity, locked by an operator passphrase")
        sub.add_parser("unlock", help="check that the passphrase opens this site's keys")
        serve = sub.add_parser("serve", help="unlock this site's keys, then serve it")
        serve.add_argument("--bind", default=os.environ.get("PYITHU_BIND", "0.0.0.0:8000"))
        serve.add_argument(
            "--workers", type=int, default=int(os.environ.get("PYITHU_WORKERS", "3"))
        )
        sub.add_parser("show", help="print this site's public card (give it to the other side)")
        register = sub.add_parser("register", help="register a peer from its card file")
        register.add_argument("card", help="file holding the peer's public card")
        register.add_argument("--name", required=True)
        register.add_argument("--role", choices=["hub", "node"], default="node")
        for kind in services.SCOPE_KINDS:
            register.add_argument(f"--{kind}", default="", help="comma-separated codes served")
        revoke = sub.add_parser("revoke", help="refuse every bundle from a peer from now on")
        revoke.add_argument("node_id")
        wipe = sub.add_parser("wipe", help="destroy the identity (and on a node the sealing keys)")
        wipe.add_argument("--yes", action="store_true", help="do it without asking")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"do_{action}")(**options)
        except (IdentityError, ImproperlyConfigured, OSError) as exc:
            raise CommandError(str(exc)) from exc

    def do_init(self, **options: Any) -> None:
        path = config.node_key_file()
        identity = services.init_node(path, ask_passphrase(confirm=True))
        self.stdout.write(f"Node {identity.node_id} created; keys locked in {path}.")
        if config.sync_role() == config.NODE:
            self.stdout.write(
                f"Sealing keys locked by the same passphrase in {node_keys.key_file()}."
            )
        self.stdout.write("Give this card to the other side (`pyithu node show`):")
        self.stdout.write(identity.card.to_json())

    def do_unlock(self, **options: Any) -> None:
        identity = unlock_node()
        self.stdout.write(f"Node {identity.node_id} unlocked: the passphrase opens its keys.")
        if config.sync_role() == config.NODE:
            versions = ", ".join(map(str, sorted(sealing.keyring().keys)))
            self.stdout.write(f"Sealing keys (version {versions}) are locked by it at rest.")

    def do_serve(self, bind: str, workers: int, **options: Any) -> None:
        from pyithu.sync.serving import serve

        identity = unlock_node()
        self.stdout.write(f"Node {identity.node_id} unlocked; serving on http://{bind}/")
        serve(bind, workers)

    def do_show(self, **options: Any) -> None:
        self.stdout.write(read_card(config.node_key_file()).to_json())

    def do_register(self, card: str, name: str, role: str, **options: Any) -> None:
        public = PublicCard.from_json(Path(card).read_text(encoding="utf-8"))
        scope = {k: [v for v in options[k].split(",") if v] for k in services.SCOPE_KINDS}
        peer = services.register_peer(public, name, role=role, scope=scope)
        self.stdout.write(f"Registered {peer.role} {peer.name} ({peer.node_id}).")

    def do_revoke(self, node_id: str, **options: Any) -> None:
        peer = services.revoke_peer(node_id)
        self.stdout.write(f"Revoked {peer.name} ({peer.node_id}): its bundles are refused.")

    def do_wipe(self, yes: bool, **options: Any) -> None:
        if not yes and input("Destroy this site's keys now? Type WIPE: ") != "WIPE":
            raise CommandError("not wiped")
        destroyed = services.wipe_node(include_sealing_keys=config.sync_role() == config.NODE)
        forget_identity()
        for path in destroyed:
            self.stdout.write(f"destroyed {path}")
        if not destroyed:
            self.stdout.write("no keys were found to destroy")
