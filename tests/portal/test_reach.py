"""The reach and shutdown dashboard, the shutdown CSV import, and the reach API."""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from pyithu.accounts.models import Role
from pyithu.core import reach
from pyithu.core.reach import ReachCount
from pyithu.geo.models import Township
from pyithu.portal import demo
from pyithu.portal.models import Shutdown
from pyithu.portal.selectors.reach import shutdowns_by_region
from pyithu.portal.services.shutdowns import import_shutdowns

MYITKYINA, WAINGMAW = "MMR001001", "MMR001002"
GOOD = "township,start,end,source\nMMR001001,2024-02-01,2024-02-09,MIP\n"


def _consultations(date_from: date | None, date_to: date | None) -> Iterable[ReachCount]:
    yield ReachCount(MYITKYINA, date(2024, 1, 1), 40)
    yield ReachCount(MYITKYINA, date(2024, 2, 1), 12)
    yield ReachCount(WAINGMAW, date(2024, 2, 1), 3)
    yield ReachCount("abroad:TH", date(2024, 2, 1), 7)


def _broken(date_from: date | None, date_to: date | None) -> Iterable[ReachCount]:
    raise RuntimeError("database of another app is down")


@pytest.fixture
def providers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reach, "_sources", {})
    reach.register("tele-kyan-mar:consultations", "Consultations", _consultations)
    reach.register("spring-development-bank", "Wallets", _broken)


def test_the_platform_dashboard_shows_people_served_and_shutdowns(
    client_en: Client, providers: None, db: Any
) -> None:
    # given consultations in two Kachin townships and a shutdown in Myitkyina
    Shutdown.objects.create(
        township=Township.objects.get(pcode=MYITKYINA), start=date(2024, 2, 1), source="MIP"
    )
    # when anyone opens the dashboard
    response = client_en.get("/reach/")
    html = response.content.decode()
    # then the table lists places by month, small counts as "<5", and the map rings the shutdown
    assert response.status_code == 200
    assert (
        '<tr><td>Myitkyina</td><td class="num">40</td><td class="num">12</td>'
        '<td class="num">52</td></tr>'
    ) in html
    assert '<tr><td>Waingmaw</td><td class="num"></td><td class="num">&lt;5</td>' in html
    assert "Abroad: Thailand" in html
    assert '<circle class="s4 r"' in html
    assert "<title>Waingmaw: &lt;5</title>" in html
    # and a failing provider is named, not a 500
    assert "Not available right now: Wallets" in html
    assert '<tr><td>Kachin</td><td class="num">1</td><td class="num">1</td></tr>' in html


def test_a_service_dashboard_counts_only_its_providers(
    client_en: Client, providers: None, db: Any
) -> None:
    html = client_en.get("/reach/tele-kyan-mar/").content.decode()
    assert "Myitkyina" in html and "Not available" not in html
    other = client_en.get("/reach/nway-oo-lottery/").content.decode()
    assert "No figures yet." in other


def test_the_dashboard_fits_the_citizen_budget_with_appendix_4(
    client_my: Client, providers: None, db: Any
) -> None:
    demo.load()
    response = client_my.get("/reach/")
    assert response.status_code == 200
    css = b"".join(
        (
            Path(__file__).parents[2] / "src/pyithu" / app / "static" / app / f"{name}.css"
        ).read_bytes()
        for app, name in (("core", "site"), ("portal", "portal"))
    )
    assert len(gzip.compress(response.content + css)) < 14 * 1024


def test_demo_shutdowns_reproduce_appendix_4(db: Any) -> None:
    # given the demo data
    demo.load()
    # when the shutdowns are summed by state/region
    rows = {state.name_en: records for state, records, _townships in shutdowns_by_region()}
    # then they are the seed's appendix 4 figures
    assert rows == {
        "Sagaing": 89,
        "Kachin": 34,
        "Chin": 26,
        "Kayah": 21,
        "Magway": 23,
        "Rakhine": 20,
        "Mon": 10,
        "Kayin": 11,
        "Mandalay": 15,
        "Tanintharyi": 9,
        "Shan": 30,
        "Bago": 13,
        "Yangon": 6,
    }
    assert sum(rows.values()) == 307


def test_a_malformed_csv_imports_nothing_when_asked(db: Any) -> None:
    # given a file with a good row and three bad ones
    text = (
        GOOD + "MMR999999,2024-02-01,,MIP\n"
        "MMR001002,01/02/2024,,MIP\n"
        "MMR001002,2024-03-05,2024-03-01,MIP\n"
    )
    # when imported all-or-nothing
    report = import_shutdowns(text, all_or_nothing=True)
    # then every bad row is reported by its line number and nothing is saved
    assert report.saved is False
    assert report.errors == [
        (3, "Unknown township P-code “MMR999999”."),
        (4, "Dates must be written YYYY-MM-DD."),
        (5, "The end is before the start."),
    ]
    assert Shutdown.objects.count() == 0


def test_the_valid_rows_are_imported_when_asked(db: Any) -> None:
    text = GOOD + "MMR001002,2024-02-01,,MIP,extra\n" + GOOD.splitlines()[1] + "\n"
    report = import_shutdowns(text, all_or_nothing=False)
    assert report.saved is True
    assert report.created == 1 and report.already_recorded == 1
    assert report.errors == [(3, "Expected 4 columns, found 5.")]
    assert Shutdown.objects.get().township.pcode == MYITKYINA


def test_a_file_without_the_header_is_refused(db: Any) -> None:
    report = import_shutdowns("MMR001001,2024-02-01,,MIP\n", all_or_nothing=False)
    assert report.errors == [(1, "The first line must be: township,start,end,source")]
    assert Shutdown.objects.count() == 0


def test_the_management_command_imports_and_refuses(tmp_path: Path, db: Any) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "MMR001001,yesterday,,MIP\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 rows are wrong; nothing was imported"):
        call_command("import_shutdowns", str(bad), stderr=StringIO())
    assert Shutdown.objects.count() == 0
    out = StringIO()
    call_command("import_shutdowns", str(bad), "--valid-rows", stdout=out, stderr=StringIO())
    assert "1 shutdowns imported, 0 already recorded, 1 rows refused." in out.getvalue()


def test_an_operator_uploads_a_csv(make_staff: Any, client_en: Client) -> None:
    client_en.force_login(make_staff("operator-mya", Role.OPERATOR, "communications"))
    upload = SimpleUploadedFile("s.csv", (GOOD + "MMR001001,,,MIP\n").encode(), "text/csv")
    response = client_en.post("/staff/shutdowns/import/", {"file": upload, "mode": "all"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported." in html
    assert "<td>3</td><td>Dates must be written YYYY-MM-DD.</td>" in html
    assert Shutdown.objects.count() == 0
    upload = SimpleUploadedFile("s.csv", b"\xff\xfe\x00bad", "text/csv")
    refused = client_en.post("/staff/shutdowns/import/", {"file": upload, "mode": "valid"})
    assert refused.status_code == 400
    assert "Save the file as UTF-8 CSV." in refused.content.decode()


def test_only_operators_upload(make_staff: Any, client: Client) -> None:
    client.force_login(make_staff("doctor-zaw", Role.DOCTOR, "health"))
    upload = SimpleUploadedFile("s.csv", GOOD.encode(), "text/csv")
    assert (
        client.post("/staff/shutdowns/import/", {"file": upload, "mode": "all"}).status_code == 403
    )
    assert Shutdown.objects.count() == 0


def test_the_reach_api_gives_figures_and_shutdowns(
    client_en: Client, providers: None, db: Any
) -> None:
    client = client_en
    demo.load()
    data = client.get("/api/portal/reach?service=tele-kyan-mar").json()
    assert data["months"] == ["2024-01-01", "2024-02-01"]
    assert data["rows"][0] == {
        "place": MYITKYINA,
        "name": "Myitkyina",
        "months": ["40", "12"],
        "total": "52",
    }
    assert {"place": WAINGMAW, "name": "Waingmaw", "months": ["", "<5"], "total": "<5"} in data[
        "rows"
    ]
    assert data["total"] == "62"
    assert {r["state"]: r["shutdowns"] for r in data["regions"]}["Sagaing"] == 89


def test_the_dashboard_reads_in_burmese_digits_and_names(
    client_my: Client, providers: None, db: Any
) -> None:
    # when a Burmese reader opens the dashboard
    html = client_my.get("/reach/").content.decode()
    # then counts are in Burmese digits, the country abroad is named in Burmese
    assert '<td class="num">၅၂</td>' in html
    assert "နိုင်ငံရပ်ခြား- ထိုင်း" in html
    assert "<title>ဝိုင်းမော်: &lt;၅</title>" in html
