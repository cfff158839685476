"""Tell whoever listens that rows were written without ``save()``.

``QuerySet.update()`` and ``bulk_create()`` send no ``post_save``, so a listener that follows
saves (the sync change log, decision 0050) never hears of them. A service that writes records in
bulk calls ``changed(Model, pks)`` right after the write, inside the same transaction::

    Candidate.objects.bulk_create(rows)
    changed(Candidate, [row.pk for row in rows])

Core knows nothing of the listeners: sync connects to ``records_changed`` in its ``ready()``,
so service apps never import sync. With no listener, ``changed`` costs one function call.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.dispatch import Signal

# Sent with sender=<model class>, pks=<list of primary keys>, using=<database alias>.
records_changed = Signal()


def changed(model: type[models.Model], pks: Iterable[Any], *, using: str = "default") -> None:
    """Rows of ``model`` with these primary keys were inserted or updated in bulk."""
    keys = [pk for pk in pks if pk is not None]
    if keys:
        records_changed.send(sender=model, pks=keys, using=using)


# Sent by sync after it has merged records that came from another site, inside the import's
# transaction: sender=<model class>, pks=<list of primary keys>, using=<database alias>. A service
# that must act on what arrived (the hub applying a township node's money operations, 0026)
# connects to it; a listener's failure refuses the whole bundle, so it refuses only for faults.
records_arrived = Signal()
