"""Writing administrative units: loading the shipped MIMU data into the database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.db import transaction

from pyithu.core import audit
from pyithu.geo.datafiles import (
    DEFAULT_DATA_DIRECTORY,
    DistrictRow,
    StateRow,
    TownshipRow,
    read_admin_data,
)
from pyithu.geo.models import AdminUnit, District, StateRegion, Township

Unit = TypeVar("Unit", bound=AdminUnit)


@dataclass
class LoadReport:
    """How many units the files hold, and what one load created or renamed."""

    states: int
    districts: int
    townships: int
    new_states: int = 0
    new_districts: int = 0
    new_townships: int = 0
    renamed: int = 0

    @property
    def new(self) -> int:
        return self.new_states + self.new_districts + self.new_townships

    def summary(self) -> str:
        text = (
            f"{self.states} states/regions, {self.districts} districts, "
            f"{self.townships} townships ({self.new} new)"
        )
        return f"{text}, {self.renamed} renamed" if self.renamed else text


def load_admin_units(directory: Path | None = None, *, update_names: bool = False) -> LoadReport:
    """Create the units the data files hold and the database lacks. Idempotent.

    Nothing is ever deleted or retired here, and an existing unit keeps its operator's names,
    place in the hierarchy and status; ``update_names=True`` resets names to the files' ones.
    The files are checked completely first (``AdminDataError``), then written in one
    transaction.
    """
    data = read_admin_data(directory or DEFAULT_DATA_DIRECTORY)
    report = LoadReport(len(data.states), len(data.districts), len(data.townships))
    with transaction.atomic():
        states = _existing(StateRegion)
        report.new_states = _create_states(data.states, states)
        districts = _existing(District)
        report.new_districts = _create_districts(data.districts, districts, states)
        townships = _existing(Township)
        report.new_townships = _create_townships(data.townships, townships, states, districts)
        if update_names:
            report.renamed = (
                _restore_names(data.states, states)
                + _restore_names(data.districts, districts)
                + _restore_names(data.townships, townships)
            )
        if report.new or report.renamed:
            audit.record(None, "geo.load_admin_units", summary=report.summary())
    return report


def set_units_active(units: Iterable[AdminUnit], *, active: bool, actor: Any) -> int:
    """Retire (``active=False``) or reactivate units; never deletes. Returns how many changed."""
    changed = 0
    with transaction.atomic():
        for unit in units:
            if unit.is_active == active:
                continue
            unit.is_active = active
            unit.save(update_fields=["is_active", "updated_at"])
            verb = "reactivate" if active else "retire"
            audit.record(actor, f"geo.{verb}.{unit._meta.model_name}", unit)
            changed += 1
    return changed


def _existing(model: type[Unit]) -> dict[str, Unit]:
    return {unit.pcode: unit for unit in model.objects.all()}


def _create_states(rows: list[StateRow], states: dict[str, StateRegion]) -> int:
    new = [
        StateRegion(
            pcode=row.pcode, name_en=row.name_en, name_my=row.name_my, sort_order=row.sort_order
        )
        for row in rows
        if row.pcode not in states
    ]
    StateRegion.objects.bulk_create(new)
    states.update((unit.pcode, unit) for unit in new)
    return len(new)


def _create_districts(
    rows: list[DistrictRow], districts: dict[str, District], states: dict[str, StateRegion]
) -> int:
    new = [
        District(
            pcode=row.pcode,
            state=states[row.state_pcode],
            raw_state_pcode=row.raw_state_pcode,
            name_en=row.name_en,
            name_my=row.name_my,
        )
        for row in rows
        if row.pcode not in districts
    ]
    District.objects.bulk_create(new)
    districts.update((unit.pcode, unit) for unit in new)
    return len(new)


def _create_townships(
    rows: list[TownshipRow],
    townships: dict[str, Township],
    states: dict[str, StateRegion],
    districts: dict[str, District],
) -> int:
    new = []
    for row in rows:
        if row.pcode in townships:
            continue
        township = Township(
            pcode=row.pcode,
            state=states[row.state_pcode],
            district=districts[row.district_pcode],
            name_en=row.name_en,
            name_my=row.name_my,
            is_sub_township=row.is_sub_township,
            latitude=row.latitude,
            longitude=row.longitude,
        )
        township.refresh_search_text()  # bulk_create skips save()
        new.append(township)
    Township.objects.bulk_create(new)
    townships.update((unit.pcode, unit) for unit in new)
    return len(new)


def _restore_names(
    rows: Sequence[StateRow | DistrictRow | TownshipRow], units: Mapping[str, AdminUnit]
) -> int:
    renamed = 0
    for row in rows:
        unit = units[row.pcode]
        if (unit.name_en, unit.name_my) != (row.name_en, row.name_my):
            unit.name_en, unit.name_my = row.name_en, row.name_my
            unit.save(update_fields=["name_en", "name_my", "updated_at"])
            renamed += 1
    return renamed
