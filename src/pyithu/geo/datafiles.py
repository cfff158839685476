"""Reading the MIMU administrative-unit CSV files shipped in ``data/myanmar-admin``.

Everything is read and checked before anything is written: a malformed file raises
``AdminDataError`` whose message names the file and line, so an operator can fix it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

DEFAULT_DATA_DIRECTORY = Path(__file__).resolve().parent / "data" / "myanmar-admin"

# MIMU splits Bago (East/West) and Shan (South/North/East); Pyithu keeps the 15 states/regions.
MERGED_STATE_PCODES = {"MMR008": "MMR007", "MMR015": "MMR014", "MMR016": "MMR014"}

STATE_PCODE = re.compile(r"MMR\d{3}")
DISTRICT_PCODE = re.compile(r"MMR\d{3}D\d{3}")
TOWNSHIP_PCODE = re.compile(r"MMR\d{6}")
NAME_MAX_LENGTH = 100
COORDINATE_PLACES = Decimal("0.00001")


class AdminDataError(ValueError):
    """A data file is missing or malformed; the message says which file and line."""


def merged_state_pcode(raw_pcode: str) -> str:
    """The Pyithu state/region for one of MIMU's state codes (MMR015 → MMR014)."""
    return MERGED_STATE_PCODES.get(raw_pcode, raw_pcode)


@dataclass(frozen=True)
class StateRow:
    pcode: str
    name_en: str
    name_my: str
    sort_order: int


@dataclass(frozen=True)
class DistrictRow:
    pcode: str
    state_pcode: str
    raw_state_pcode: str
    name_en: str
    name_my: str


@dataclass(frozen=True)
class TownshipRow:
    pcode: str
    state_pcode: str
    district_pcode: str
    name_en: str
    name_my: str
    is_sub_township: bool
    latitude: Decimal | None
    longitude: Decimal | None


@dataclass(frozen=True)
class AdminData:
    states: list[StateRow]
    districts: list[DistrictRow]
    townships: list[TownshipRow]


class _Line:
    """One data row, with checks whose errors name the file and line."""

    def __init__(self, file: str, number: int, values: dict[str, str]) -> None:
        self.file = file
        self.number = number
        self.values = values

    def error(self, problem: str) -> AdminDataError:
        return AdminDataError(f"{self.file} line {self.number}: {problem}")

    def text(self, column: str, *, required: bool = True) -> str:
        value = self.values[column]
        if required and not value:
            raise self.error(f"{column} is empty")
        if len(value) > NAME_MAX_LENGTH:
            raise self.error(f"{column} is longer than {NAME_MAX_LENGTH} characters")
        return value

    def code(self, column: str, pattern: re.Pattern[str], example: str) -> str:
        value = self.values[column]
        if not pattern.fullmatch(value):
            raise self.error(f"{column} {value!r} is not a P-code like {example}")
        return value

    def flag(self, column: str) -> bool:
        value = self.values[column]
        if value not in {"0", "1"}:
            raise self.error(f"{column} {value!r} must be 0 or 1")
        return value == "1"

    def coordinate(self, column: str, bound: int) -> Decimal | None:
        value = self.values[column]
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise self.error(f"{column} {value!r} is not a number") from None
        if not number.is_finite() or abs(number) > bound:
            raise self.error(f"{column} {value!r} is outside -{bound}..{bound}")
        return number.quantize(COORDINATE_PLACES)


def _read_lines(path: Path, columns: tuple[str, ...]) -> list[_Line]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [column for column in columns if column not in header]
            if missing:
                raise AdminDataError(f"{path.name} line 1: missing column(s) {', '.join(missing)}")
            lines = []
            for values in reader:
                line = _Line(path.name, reader.line_num, values)
                found = (
                    len(header)
                    + len(values.get(None) or [])
                    - sum(value is None for value in values.values())
                )
                if found != len(header):
                    raise line.error(f"expected {len(header)} values, found {found}")
                line.values = {key: (value or "").strip() for key, value in values.items() if key}
                lines.append(line)
            return lines
    except FileNotFoundError:
        raise AdminDataError(f"{path.name}: no such file in {path.parent}") from None
    except UnicodeDecodeError:
        raise AdminDataError(f"{path.name}: not UTF-8 text") from None
    except csv.Error as exc:
        raise AdminDataError(f"{path.name}: {exc}") from None


def _unique(line: _Line, pcode: str, seen: set[str]) -> str:
    if pcode in seen:
        raise line.error(f"P-code {pcode} appears twice")
    seen.add(pcode)
    return pcode


def _read_states(path: Path) -> list[StateRow]:
    seen: set[str] = set()
    rows = []
    for order, line in enumerate(_read_lines(path, ("sr_pcode", "name_en", "name_my")), 1):
        pcode = _unique(line, line.code("sr_pcode", STATE_PCODE, "MMR001"), seen)
        rows.append(
            StateRow(pcode, line.text("name_en"), line.text("name_my", required=False), order)
        )
    return rows


def _read_districts(path: Path, state_pcodes: set[str]) -> list[DistrictRow]:
    seen: set[str] = set()
    rows = []
    for line in _read_lines(path, ("district_pcode", "sr_pcode_raw", "name_en", "name_my")):
        pcode = _unique(line, line.code("district_pcode", DISTRICT_PCODE, "MMR001D001"), seen)
        raw_state = line.code("sr_pcode_raw", STATE_PCODE, "MMR001")
        state = merged_state_pcode(raw_state)
        if state not in state_pcodes:
            raise line.error(f"state/region {state} is not in states_regions.csv")
        name_en, name_my = line.text("name_en"), line.text("name_my", required=False)
        rows.append(DistrictRow(pcode, state, raw_state, name_en, name_my))
    return rows


TOWNSHIP_COLUMNS = (
    "tsp_pcode",
    "sr_pcode",
    "sr_pcode_raw",
    "district_pcode",
    "name_en",
    "main_town_my",
    "is_sub_township",
    "latitude",
    "longitude",
)


def _read_townships(path: Path, district_states: dict[str, str]) -> list[TownshipRow]:
    seen: set[str] = set()
    rows = []
    for line in _read_lines(path, TOWNSHIP_COLUMNS):
        pcode = _unique(line, line.code("tsp_pcode", TOWNSHIP_PCODE, "MMR001001"), seen)
        state = line.code("sr_pcode", STATE_PCODE, "MMR001")
        if merged_state_pcode(line.code("sr_pcode_raw", STATE_PCODE, "MMR001")) != state:
            raise line.error(f"sr_pcode_raw {line.values['sr_pcode_raw']} is not part of {state}")
        district = line.code("district_pcode", DISTRICT_PCODE, "MMR001D001")
        if district not in district_states:
            raise line.error(f"district {district} is not in districts.csv")
        if district_states[district] != state:
            raise line.error(f"district {district} is not in state/region {state}")
        rows.append(
            TownshipRow(
                pcode=pcode,
                state_pcode=state,
                district_pcode=district,
                name_en=line.text("name_en"),
                name_my=line.text("main_town_my", required=False),
                is_sub_township=line.flag("is_sub_township"),
                latitude=line.coordinate("latitude", 90),
                longitude=line.coordinate("longitude", 180),
            )
        )
    return rows


def read_admin_data(directory: Path = DEFAULT_DATA_DIRECTORY) -> AdminData:
    """Read and cross-check the three files; raise ``AdminDataError`` on the first problem."""
    states = _read_states(directory / "states_regions.csv")
    districts = _read_districts(directory / "districts.csv", {row.pcode for row in states})
    townships = _read_townships(
        directory / "townships.csv", {row.pcode: row.state_pcode for row in districts}
    )
    return AdminData(states, districts, townships)
