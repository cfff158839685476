"""Saving synced records from several processes at once: no site-wide lock, no lost change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from pyithu.sync.exchange import claim_origin, number_own
from pyithu.sync.identity import Identity
from pyithu.sync.models import ChangeLog, SyncNote

ROOT = Path(__file__).resolve().parents[2]
WRITER = """
import django, sys
django.setup()
from django.db import transaction
from pyithu.sync.models import SyncNote
for i in range(40):
    with transaction.atomic():
        note = SyncNote.objects.create(title=f"{sys.argv[1]} {i}")
        note.status = "seen"
        note.save()
"""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real processes on PostgreSQL")
def test_concurrent_writers_get_every_change_numbered_once(transactional_db) -> None:
    # Given the hub with an identity
    hub = Identity.generate()
    claim_origin(hub)
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    env.setdefault("DJANGO_SETTINGS_MODULE", "pyithu.settings")
    # When four processes create and edit notes at the same time
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, f"clerk{n}"], env=env) for n in range(4)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    # Then every note's latest state was logged once (the edit replaced the create, which never
    # left), and numbering gives counters 1..N once each, in log order
    assert SyncNote.objects.count() == 160
    number_own(hub)
    logged = ChangeLog.objects.filter(model="sync.syncnote").order_by("id")
    counters = list(logged.values_list("counter", flat=True))
    assert len(counters) == 160
    assert counters == sorted(counters) and len(set(counters)) == 160
    assert {row.object_id for row in logged} == {
        str(pk) for pk in SyncNote.objects.values_list("pk", flat=True)
    }
    assert all('"seen"' in row.payload for row in logged)
