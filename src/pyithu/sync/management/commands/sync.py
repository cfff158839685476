"""`pyithu sync export|import|push|pull|track-existing`: move changes by USB stick or HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyithu.sync import transport
from pyithu.sync.bundles import BundleError
from pyithu.sync.exchange import export_bundle, import_bundle
from pyithu.sync.identity import IdentityError
from pyithu.sync.models import Peer
from pyithu.sync.tracking import record_existing
from pyithu.sync.unlock import site_identity


class Command(BaseCommand):
    help = "Export a bundle for a peer, import a bundle, or sync with the hub over HTTP."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write what a peer lacks to a bundle file")
        export.add_argument("--to", required=True, dest="path", help="bundle file to write")
        export.add_argument("--for", dest="peer", help="node id or name (default: the hub)")
        export.add_argument("--max-bytes", type=int, help="most urgent kinds first, up to this")
        imp = sub.add_parser("import", help="verify and apply a bundle file")
        imp.add_argument("path", nargs="?", help="default: every bundle in the drop folder")
        for name in ("push", "pull"):
            http = sub.add_parser(name, help=f"{name} changes over HTTP with the hub")
            http.add_argument("url", help="the hub's address, e.g. https://hub.example")
            http.add_argument("--max-bytes", type=int)
        sub.add_parser("track-existing", help="log a change for synced rows made before sync")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"do_{action.replace('-', '_')}")(**options)
        except (BundleError, IdentityError, transport.TransportError, OSError) as exc:
            raise CommandError(str(exc)) from exc

    def do_export(self, path: str, peer: str | None, max_bytes: int | None, **_: Any) -> None:
        identity = site_identity()
        target = _peer(peer)
        blob, count = export_bundle(identity, target, byte_cap=max_bytes)
        Path(path).write_bytes(blob)
        self.stdout.write(f"{count} change(s) for {target.name} in {path} ({len(blob)} bytes).")

    def do_import(self, path: str | None, **_: Any) -> None:
        if path is None:
            self.import_drop_folder()
            return
        report = import_bundle(Path(path).read_bytes(), site_identity())
        self.stdout.write(
            f"From {report.sender}: {report.new} new of {report.received} change(s); "
            f"{report.requests_executed} request(s) executed; "
            f"{report.revoked_skipped} from revoked nodes skipped."
        )

    def import_drop_folder(self) -> None:
        from pyithu.sync import config, inbox

        results = inbox.import_waiting(site_identity())
        if not results:
            self.stdout.write(f"No bundles waiting in {config.bundle_dir()}.")
        for result in results:
            state = "imported" if result.imported else "REFUSED"
            self.stdout.write(f"{result.name}: {state}, {result.message}")

    def do_push(self, url: str, max_bytes: int | None, **_: Any) -> None:
        sent = transport.push(url, site_identity(), _peer(None), byte_cap=max_bytes)
        self.stdout.write(f"Pushed {sent} change(s).")

    def do_pull(self, url: str, max_bytes: int | None, **_: Any) -> None:
        received = transport.pull(url, site_identity(), _peer(None), byte_cap=max_bytes)
        self.stdout.write(f"Pulled {received} new change(s).")

    def do_track_existing(self, **_: Any) -> None:
        for label, count in sorted(record_existing().items()):
            self.stdout.write(f"  {label}: {count}")


def _peer(name: str | None) -> Peer:
    peers = Peer.objects.filter(revoked_at__isnull=True)
    if name is None:
        found = list(peers.filter(role=Peer.Role.HUB))
    else:
        found = list(peers.filter(node_id=name)) or list(peers.filter(name=name))
    if len(found) != 1:
        raise CommandError(f"no single active peer {name or 'hub'} is registered")
    return found[0]
