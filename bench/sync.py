"""Sync benchmark: export and import 10,000 mixed records between two databases.

    .venv/bin/python bench/sync.py                       # SQLite (two temporary files)
    .venv/bin/python bench/sync.py --pg postgres://postgres@127.0.0.1:5432/h_sync_bench
                                                         # PostgreSQL (<url>_hub and <url>_node)

Prints a table: bundle bytes against zstd (same level as bundles) of the same records as plain
JSON (target: at most 1.2x), import records/s, time over a 64 kbit/s link, and the bytes of a
second sync when nothing changed (target: under 1 KB). Records: bookings (field-owner, in a
township), messages (replies to bookings), answers and attendance (append-only).
Both "sites" share one process and one sealing key ring
here; the tests cover separate key rings.

    .venv/bin/python bench/sync.py --week [--pg URL]     # a township week (issue 15)

A township week: the hub and a node as two processes with their own databases and key rings
(``tests/sync/township.py``, the scenario of ``tests/sync/test_township_week.py``, busier: 150
bookings a day, a class of 40 with daily attendance and hand-ins); one bundle hub -> node before,
one node -> hub after, one back. For each: records and files, bundle bytes against zstd of
their content (records as plain JSON plus the files' bytes), import records/s (goal on SQLite:
at least 2,000/s for the week's bundle).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def configure(pg: str | None) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    os.environ["PYITHU_VAR_DIR"] = str(tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pyithu.settings")
    os.environ["DATABASE_URL"] = f"{pg}_hub" if pg else f"sqlite:///{tmp / 'hub.sqlite3'}"
    import dj_database_url
    from django.conf import settings

    node_url = f"{pg}_node" if pg else f"sqlite:///{tmp / 'node.sqlite3'}"
    settings.DATABASES["node"] = dj_database_url.parse(node_url)
    if not pg:
        settings.DATABASES["node"]["OPTIONS"] = settings.DATABASES["default"].get("OPTIONS", {})
    import django

    django.setup()
    from django.core.management import call_command

    for alias in ("default", "node"):
        if pg:
            _recreate(settings.DATABASES[alias])
        call_command("migrate", database=alias, verbosity=0, skip_checks=True)
    from pyithu.geo.services import load_admin_units

    load_admin_units()
    _copy_geography()


def _copy_geography() -> None:
    """The node loads the same reference data, with its own ids (as a real site would)."""
    from pyithu.core.ids import new_id
    from pyithu.geo.models import District, StateRegion, Township

    for model in (StateRegion, District, Township):
        rows = []
        for row in model.objects.all():
            row.id = new_id()
            rows.append(row)
        for row in rows:
            for fk in ("state", "district"):
                if hasattr(row, f"{fk}_id"):
                    related = getattr(row, fk)
                    target = type(related).objects.using("node").get(pcode=related.pcode)
                    setattr(row, f"{fk}_id", target.pk)
        model.objects.using("node").bulk_create(rows)


def _recreate(db: dict) -> None:
    import psycopg

    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}"')
        conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def make_records(n: int) -> None:
    from django.db import transaction

    from pyithu.geo.models import Township
    from pyithu.sync.models import SyncCase, SyncProbe, SyncReply

    message = "ဆေးခန်းကို မနက်ဖြန် ၉ နာရီ လာပါ။ Please bring the clinic card."
    towns = list(Township.objects.order_by("pcode")[:20])
    case = None
    with transaction.atomic():
        for i in range(n):
            kind = i % 4
            if kind == 0:
                case = SyncCase.objects.create(
                    township=towns[i % len(towns)],
                    text=f"patient {i:05d}, cough 3 days",
                    status="new",
                )
            elif kind == 1:
                SyncReply.objects.create(case=case, body=f"{message} #{i}")
            elif kind == 2:
                SyncProbe.objects.create(topic="answer", body=f"q{i % 40}: {'abcd'[i % 4]}")
            else:
                SyncProbe.objects.create(topic="attendance", body=f"student {i:05d} present")


def plain_json() -> bytes:
    from pyithu.sync import canonical
    from pyithu.sync.models import SyncCase, SyncProbe, SyncReply

    rows = []
    for model in (SyncCase, SyncReply, SyncProbe):
        rows += [canonical.record_fields(r) for r in model.objects.all()]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="PostgreSQL URL prefix; _hub and _node databases are made")
    parser.add_argument("-n", type=int, default=10_000)
    args = parser.parse_args()
    configure(args.pg)

    from pyithu.sync.exchange import claim_origin, export_bundle, import_bundle
    from pyithu.sync.identity import Identity
    from pyithu.sync.models import ChangeLog, Peer

    hub, node = Identity.generate(), Identity.generate()
    claim_origin(hub)
    claim_origin(node, using="node")
    from pyithu.geo.models import Township

    towns = list(Township.objects.order_by("pcode").values_list("pcode", flat=True)[:20])
    for alias, other, role in (("default", node, "node"), ("node", hub, "hub")):
        card = other.card
        Peer.objects.using(alias).create(
            node_id=card.node_id,
            name="peer",
            role=role,
            scope={"townships": towns} if role == "node" else {},
            verify_key=card.verify_key,
            box_key=card.box_key,
        )

    t0 = time.perf_counter()
    make_records(args.n)
    t_create = time.perf_counter() - t0
    changes = ChangeLog.objects.filter(model__startswith="sync.sync").count()

    peer_node = Peer.objects.get(node_id=node.node_id)
    t0 = time.perf_counter()
    blob, count = export_bundle(hub, peer_node)
    t_export = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = import_bundle(blob, node, using="node")
    t_import = time.perf_counter() - t0

    # The node acknowledges (its bundle carries its vector), then the hub syncs again.
    ack, _ = export_bundle(node, Peer.objects.using("node").get(node_id=hub.node_id), "node")
    import_bundle(ack, hub)
    peer_node.refresh_from_db()
    again, again_count = export_bundle(hub, peer_node)

    import zstandard

    from pyithu.sync.bundles import ZSTD_LEVEL

    plain = plain_json()
    z = len(zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(plain))
    engine = "PostgreSQL" if args.pg else "SQLite"
    rows = [
        ("database", engine),
        ("records (changes in bundle)", f"{changes} ({count})"),
        ("create + track, records/s", f"{changes / t_create:,.0f}"),
        ("export time", f"{t_export:.2f} s"),
        ("bundle bytes", f"{len(blob):,}"),
        ("plain JSON bytes", f"{len(plain):,}"),
        (f"zstd -{ZSTD_LEVEL} of plain JSON", f"{z:,}  (bundle = {len(blob) / z:.2f}x)"),
        ("import, records/s", f"{report.new / t_import:,.0f}  ({t_import:.2f} s)"),
        ("bundle over 64 kbit/s", f"{len(blob) * 8 / 64_000 / 60:.1f} min"),
        ("second sync, nothing changed", f"{len(again)} bytes, {again_count} changes"),
        ("ack bundle node -> hub", f"{len(ack)} bytes"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


def week(pg: str | None) -> None:
    """The township week, in two site processes (see the module docstring)."""
    import shutil

    sys.path.insert(0, str(ROOT))
    if pg:
        os.environ["DATABASE_URL"] = pg
    else:
        os.environ.pop("DATABASE_URL", None)
    from tests.sync.township import federation

    base = Path(tempfile.mkdtemp(prefix="sync-week-"))
    hub, node, usb = federation(base)
    try:
        prepared = hub("prepare_hub", students=40)
        hub("export", path=str(usb / "1.bundle"), to="Lashio point")
        first = node("import", path=str(usb / "1.bundle"))
        node("week_at_node", **prepared, bookings_per_day=150, busy=True)
        node("export", path=str(usb / "2.bundle"), to="Naypyitaw hub")
        up = hub("import", path=str(usb / "2.bundle"))
        hub("export", path=str(usb / "3.bundle"), to="Lashio point")
        back = node("import", path=str(usb / "3.bundle"))
    finally:
        hub.drop()
        node.drop()
        shutil.rmtree(base, ignore_errors=True)
    engine = "PostgreSQL" if pg else "SQLite"
    print(f"township week, {engine}")
    head = ("bundle", "records", "files", "bytes", "zstd of content", "ratio", "import rec/s")
    print("  ".join(f"{h:>15}" for h in head) + "  (per CPU second of the importer)")
    for label, r in (("hub -> node", first), ("node -> hub", up), ("ack + replies", back)):
        rate = r["new"] / r["seconds"] if r["seconds"] else 0
        cpu = r["new"] / r["cpu_seconds"] if r["cpu_seconds"] else 0
        ratio = f"{r['bytes'] / r['zstd_floor']:.2f}x" if r["records"] else "-"
        cells = (
            label,
            f"{r['records']:,}",
            f"{r['file_count']}",
            f"{r['bytes']:,}",
            f"{r['zstd_floor']:,}",
            ratio,
            f"{rate:,.0f}",
        )
        print("  ".join(f"{c:>15}" for c in cells) + f"  ({cpu:,.0f})")
    # The goal is for a lightly loaded machine: the CPU-second figure is given beside the wall
    # clock one because a shared machine slows the wall clock alone.
    wall, cpu = up["new"] / up["seconds"], up["new"] / max(up["cpu_seconds"], 1e-9)
    print(
        f"week import against the goal of 2,000 records/s: {wall / 2000:.2f}x wall clock, "
        f"{cpu / 2000:.2f}x per CPU second of the importer"
    )


if __name__ == "__main__":
    if "--week" in sys.argv:
        sys.argv.remove("--week")
        parsed = argparse.ArgumentParser()
        parsed.add_argument("--pg")
        week(parsed.parse_args().pg)
    else:
        main()
