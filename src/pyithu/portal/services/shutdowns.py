"""Recording internet shutdowns, one by one or from a CSV file.

CSV columns (a header row first): ``township`` (MIMU P-code), ``start`` and ``end``
(YYYY-MM-DD; ``end`` empty while ongoing), ``source``. A malformed row is reported by its line
number; the operator chooses whether the valid rows are saved anyway or nothing is.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pyithu.core import audit, changes
from pyithu.core.text import normalise_text
from pyithu.geo.models import Township
from pyithu.portal.models import Shutdown
from pyithu.portal.services.errors import Refusal

COLUMNS = ("township", "start", "end", "source")
MAX_ROWS = 20_000
MAX_SOURCE = 200


@dataclass
class ImportReport:
    created: int = 0
    already_recorded: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)
    saved: bool = False  # False when errors stopped an all-or-nothing import


@transaction.atomic
def record_shutdown(
    township: Township, start: date, end: date | None, source: str, by: Any
) -> Shutdown:
    source = normalise_text(source)
    if not source:
        raise Refusal(_("Say where this report comes from."), field="source")
    if end is not None and end < start:
        raise Refusal(_("The end is before the start."), field="end")
    shutdown, _created = Shutdown.objects.get_or_create(
        township=township, start=start, source=source[:MAX_SOURCE], defaults={"end": end}
    )
    audit.record(by, "portal.shutdown_record", shutdown, summary=township.pcode)
    return shutdown


def import_shutdowns(text: str, *, all_or_nothing: bool, by: Any = None) -> ImportReport:
    """Check every row, then save the valid ones, or none when ``all_or_nothing`` and any fail."""
    report = ImportReport()
    rows = _parse(text, report)
    if report.errors and all_or_nothing:
        return report
    with transaction.atomic():
        existing = set(
            Shutdown.objects.filter(township__in=[r.township for r in rows]).values_list(
                "township_id", "start", "source"
            )
        )
        fresh = []
        for row in rows:
            key = (row.township_id, row.start, row.source)
            if key in existing:
                report.already_recorded += 1
                continue
            existing.add(key)
            fresh.append(row)
        Shutdown.objects.bulk_create(fresh)
        changes.changed(Shutdown, [row.pk for row in fresh])
        report.created = len(fresh)
        report.saved = True
        audit.record(
            by,
            "portal.shutdown_import",
            summary=f"{report.created} new, {len(report.errors)} rows refused",
        )
    return report


def _parse(text: str, report: ImportReport) -> list[Shutdown]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [normalise_text(cell).lower() for cell in next(reader)]
    except (StopIteration, csv.Error):
        report.errors.append((1, _("The file is empty.")))
        return []
    if tuple(header) != COLUMNS:
        report.errors.append(
            (1, _("The first line must be: %(columns)s") % {"columns": ",".join(COLUMNS)})
        )
        return []
    townships = {t.pcode.upper(): t for t in Township.objects.all()}
    rows: list[Shutdown] = []
    try:
        for cells in reader:
            line = reader.line_num
            if line > MAX_ROWS + 1:
                report.errors.append((line, _("Too many rows: split the file.")))
                break
            if not any(cell.strip() for cell in cells):
                continue
            row = _row(cells, townships)
            if isinstance(row, str):
                report.errors.append((line, row))
            else:
                rows.append(row)
    except csv.Error:
        report.errors.append((reader.line_num, _("This line is not valid CSV.")))
    return rows


def _row(cells: list[str], townships: dict[str, Township]) -> Shutdown | str:
    """A checked, unsaved shutdown, or what is wrong with the row."""
    if len(cells) != len(COLUMNS):
        return _("Expected %(n)d columns, found %(found)d.") % {
            "n": len(COLUMNS),
            "found": len(cells),
        }
    pcode, start_text, end_text, source = (normalise_text(cell) for cell in cells)
    township = townships.get(pcode.upper())
    if township is None:
        return _("Unknown township P-code “%(pcode)s”.") % {"pcode": pcode[:20]}
    try:
        start = date.fromisoformat(start_text)
        end = date.fromisoformat(end_text) if end_text else None
    except ValueError:
        return _("Dates must be written YYYY-MM-DD.")
    if end is not None and end < start:
        return _("The end is before the start.")
    if not source:
        return _("The source is missing.")
    if len(source) > MAX_SOURCE:
        return _("The source is longer than %(max)d characters.") % {"max": MAX_SOURCE}
    return Shutdown(township=township, start=start, end=end, source=source)
