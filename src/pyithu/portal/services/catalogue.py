"""Writing the catalogue: loading the shipped list of ministries and services.

The catalogue is reference data, loaded on every installation including production. Operators
then edit it in the admin; a reload keeps their edits unless asked to overwrite them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction

from pyithu.core import audit
from pyithu.portal.models import CatalogueEntry, Ministry, Service

CATALOGUE_PATH = Path(__file__).resolve().parent.parent / "data" / "catalogue.json"

MINISTRY_FIELDS = ("name_en", "name_my")
SERVICE_FIELDS = (
    "name_en",
    "name_my",
    "summary_en",
    "summary_my",
    "mode",
    "areas_en",
    "areas_my",
    "how_online_en",
    "how_online_my",
    "how_offline_en",
    "how_offline_my",
)
# Fields a catalogue file may leave out; every other field above is required.
OPTIONAL_SERVICE_FIELDS = ("internal_url",)
# Rows are numbered in steps of ten so an operator can slot a new one in between.
SORT_STEP = 10

Entry = TypeVar("Entry", bound=CatalogueEntry)


class CatalogueError(Exception):
    """The catalogue file is missing, is not valid JSON, or does not describe a catalogue."""


def load_catalogue(path: Path | str | None = None, *, update: bool = False) -> int:
    """Create the ministries and services of the catalogue file that the database lacks.

    Rows are matched by slug, and their order is the order of the file. An existing row keeps
    its operator's edits (names, texts, order, ``is_active``) unless ``update=True``, which
    resets the file's fields to the file's values; ``is_active`` is never touched, and nothing
    is deleted. The file is checked completely first (``CatalogueError``), then written in one
    transaction. Returns how many rows were created or changed: 0 when nothing was to do.
    """
    ministries = read_catalogue(path or CATALOGUE_PATH)
    written = 0
    with transaction.atomic():
        for m_index, m_data in enumerate(ministries, start=1):
            m_values = {field: m_data[field] for field in MINISTRY_FIELDS}
            m_values["sort_order"] = m_index * SORT_STEP
            ministry, wrote = _upsert(Ministry, m_data["slug"], m_values, update=update)
            written += wrote
            for s_index, s_data in enumerate(m_data["services"], start=1):
                s_values = {field: s_data[field] for field in SERVICE_FIELDS}
                for field in OPTIONAL_SERVICE_FIELDS:
                    s_values[field] = s_data.get(field, "")
                s_values["ministry"] = ministry
                s_values["sort_order"] = s_index * SORT_STEP
                service, wrote = _upsert(Service, s_data["slug"], s_values, update=update)
                written += wrote or _link_to_platform(service, s_values["internal_url"])
        if written:
            audit.record(None, "portal.load_catalogue", summary=f"{written} rows written")
    return written


def _link_to_platform(service: Service, internal_url: str) -> bool:
    """Point a service the platform now runs at its pages, unless an operator already has:
    a new module should reach people on sites whose catalogue was loaded before it existed."""
    if not internal_url or service.internal_url:
        return False
    service.internal_url = internal_url
    service.save(update_fields=["internal_url"])
    return True


def read_catalogue(path: Path | str) -> list[dict[str, Any]]:
    """The ministries of a catalogue file, each with its ``services``; checked, not yet saved."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogueError(f"Cannot read the catalogue {path}: {exc}") from exc
    ministries = data.get("ministries") if isinstance(data, dict) else None
    if not isinstance(ministries, list) or not ministries:
        raise CatalogueError(f"{path}: expected an object with a non-empty 'ministries' list.")
    slugs: set[str] = set()
    for ministry in ministries:
        _check_entry(ministry, ("slug", *MINISTRY_FIELDS), "ministry", slugs)
        services = ministry.get("services")
        if not isinstance(services, list):
            raise CatalogueError(f"Ministry {ministry['slug']!r}: 'services' must be a list.")
        for service in services:
            _check_entry(service, ("slug", *SERVICE_FIELDS), "service", slugs)
            if service["mode"] not in Service.Mode.values:
                raise CatalogueError(
                    f"Service {service['slug']!r}: mode must be one of {Service.Mode.values}."
                )
    return ministries


def _check_entry(entry: Any, required: tuple[str, ...], kind: str, slugs: set[str]) -> None:
    if not isinstance(entry, dict):
        raise CatalogueError(f"Each {kind} must be an object, not {entry!r}.")
    missing = [field for field in required if not isinstance(entry.get(field), str)]
    if missing:
        raise CatalogueError(f"A {kind} ({entry.get('slug')!r}) lacks text for {missing}.")
    key = f"{kind}:{entry['slug']}"
    if key in slugs:
        raise CatalogueError(f"The {kind} slug {entry['slug']!r} appears twice.")
    slugs.add(key)


def _upsert(
    model: type[Entry], slug: str, values: dict[str, Any], *, update: bool
) -> tuple[Entry, bool]:
    """The row with ``slug``, created from ``values`` if missing, or reset to them on update."""
    entry = model.objects.filter(slug=slug).first()
    if entry is None:
        entry = model(slug=slug, **values)
    elif not update or all(getattr(entry, field) == value for field, value in values.items()):
        return entry, False
    else:
        for field, value in values.items():
            setattr(entry, field, value)
    try:
        entry.full_clean()
    except ValidationError as exc:
        raise CatalogueError(f"{model._meta.verbose_name} {slug!r}: {exc.messages}") from exc
    entry.save()
    return entry, True
