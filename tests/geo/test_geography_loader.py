import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pyithu.core.models import AuditEntry
from pyithu.geo.datafiles import DEFAULT_DATA_DIRECTORY, AdminDataError
from pyithu.geo.models import District, StateRegion, Township
from pyithu.geo.services import LoadReport, load_admin_units


def _counts() -> tuple[int, int, int]:
    return StateRegion.objects.count(), District.objects.count(), Township.objects.count()


def _data_copy(tmp_path: Path) -> Path:
    directory = tmp_path / "myanmar-admin"
    shutil.copytree(DEFAULT_DATA_DIRECTORY, directory)
    for path in directory.iterdir():
        path.chmod(0o644)
    return directory


def _replace_line(path: Path, number: int, new_line: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[number - 1] = new_line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_first_load_creates_every_unit_in_the_files(empty_geography: None) -> None:
    # Given an empty database
    # When the shipped data is loaded
    report = load_admin_units()

    # Then every state/region, district and township exists, and the report says so
    assert report == LoadReport(
        states=15,
        districts=79,
        townships=351,
        new_states=15,
        new_districts=79,
        new_townships=351,
        renamed=0,
    )
    assert _counts() == (15, 79, 351)
    assert Township.objects.filter(is_sub_township=True).count() == 23
    assert Township.objects.filter(is_active=False).count() == 0
    assert report.summary() == "15 states/regions, 79 districts, 351 townships (445 new)"


def test_first_load_is_recorded_in_the_audit_log(empty_geography: None) -> None:
    # Given an empty database and the audit log as it stands
    logged = set(AuditEntry.objects.values_list("pk", flat=True))

    # When the data is loaded
    load_admin_units()

    # Then one new audit entry names the load and its counts
    entry = AuditEntry.objects.exclude(pk__in=logged).get()
    assert entry.action == "geo.load_admin_units"
    assert entry.summary == "15 states/regions, 79 districts, 351 townships (445 new)"
    assert entry.actor is None


def test_split_bago_and_shan_join_their_merged_state_but_keep_the_mimu_code(
    loaded_geography: LoadReport,
) -> None:
    # Given the loaded data (MIMU splits Shan into MMR014/015/016 and Bago into MMR007/008)
    # Then North Shan's district sits in Shan (MMR014) and remembers MIMU's MMR015
    north_shan = District.objects.get(pcode="MMR015D331")
    assert (north_shan.state.pcode, north_shan.raw_state_pcode) == ("MMR014", "MMR015")
    # And West Bago's Minhla township sits in Bago, in a West Bago district
    minhla = Township.objects.get(pcode="MMR008009")
    assert (minhla.state.pcode, minhla.district.raw_state_pcode) == ("MMR007", "MMR008")
    assert StateRegion.objects.filter(pcode__in=["MMR008", "MMR015", "MMR016"]).count() == 0
    shan = StateRegion.objects.get(pcode="MMR014")
    assert (shan.districts.count(), shan.townships.count()) == (16, 77)


def test_townships_keep_burmese_name_coordinates_and_search_words(
    loaded_geography: LoadReport,
) -> None:
    # Given the loaded data
    # When Myitkyina is read back
    myitkyina = Township.objects.get(pcode="MMR001001")

    # Then its names, place in the hierarchy, coordinates and search words are stored
    assert (myitkyina.name_en, myitkyina.name_my) == ("Myitkyina", "မြစ်ကြီးနား")
    assert (myitkyina.state.pcode, myitkyina.district.pcode) == ("MMR001", "MMR001D001")
    assert (str(myitkyina.latitude), str(myitkyina.longitude)) == ("25.38749", "97.39036")
    assert myitkyina.search_text == " myitkyina မြစ် ကြီး နား mmr001001 "
    assert myitkyina.is_sub_township is False


def test_second_load_creates_nothing(loaded_geography: LoadReport) -> None:
    # Given the data already loaded
    logged = AuditEntry.objects.count()

    # When it is loaded again
    report = load_admin_units()

    # Then nothing new is created and nothing is logged
    assert (report.new, report.renamed) == (0, 0)
    assert report.summary() == "15 states/regions, 79 districts, 351 townships (0 new)"
    assert _counts() == (15, 79, 351)
    assert AuditEntry.objects.count() == logged


def test_operator_rename_and_retirement_survive_a_reload(loaded_geography: LoadReport) -> None:
    # Given an operator renamed Myitkyina and retired Waingmaw
    myitkyina = Township.objects.get(pcode="MMR001001")
    myitkyina.name_en = "Myitkyina Town"
    myitkyina.save()
    Township.objects.filter(pcode="MMR001002").update(is_active=False)

    # When the data is loaded again
    load_admin_units()

    # Then the operator's name and retirement are kept
    myitkyina.refresh_from_db()
    assert myitkyina.name_en == "Myitkyina Town"
    assert myitkyina.search_text == " myitkyina town မြစ် ကြီး နား mmr001001 "
    assert Township.objects.get(pcode="MMR001002").is_active is False


def test_update_names_restores_the_shipped_names_only(loaded_geography: LoadReport) -> None:
    # Given an operator renamed a township and a state, and retired a district
    Township.objects.filter(pcode="MMR001001").update(name_en="Myitkyina Town", name_my="")
    StateRegion.objects.filter(pcode="MMR013").update(name_en="Rangoon")
    District.objects.filter(pcode="MMR001D002").update(is_active=False)

    # When the data is loaded with update_names
    report = load_admin_units(update_names=True)

    # Then both names are back, the search words follow, and the retirement stays
    assert (report.new, report.renamed) == (0, 2)
    myitkyina = Township.objects.get(pcode="MMR001001")
    assert (myitkyina.name_en, myitkyina.name_my) == ("Myitkyina", "မြစ်ကြီးနား")
    assert myitkyina.search_text == " myitkyina မြစ် ကြီး နား mmr001001 "
    assert StateRegion.objects.get(pcode="MMR013").name_en == "Yangon"
    assert District.objects.get(pcode="MMR001D002").is_active is False


def test_reload_adds_a_unit_the_database_lacks(loaded_geography: LoadReport) -> None:
    # Given a township missing from the database (say, deleted by a raw SQL mistake)
    Township.objects.filter(pcode="MMR001002").delete()

    # When the data is loaded again
    report = load_admin_units()

    # Then only that township is created
    assert (report.new_states, report.new_districts, report.new_townships) == (0, 0, 1)
    assert Township.objects.get(pcode="MMR001002").name_en == "Waingmaw"


def test_malformed_row_is_refused_with_its_line_number_and_nothing_changes(
    loaded_geography: LoadReport, tmp_path: Path
) -> None:
    # Given an operator rename, and a data copy with a new township and a bad latitude
    Township.objects.filter(pcode="MMR001001").update(name_en="Myitkyina Town")
    directory = _data_copy(tmp_path)
    townships = directory / "townships.csv"
    with townships.open("a", encoding="utf-8") as handle:
        handle.write("MMR001099,MMR001,MMR001,MMR001D001,Newtown,မြို့သစ်,0,25.1,97.1\n")
    _replace_line(
        townships,
        12,
        "MMR001011,MMR001,MMR001,MMR001D003,Shwegu,ရွှေကူ,0,north,96.80606",
    )

    # When that copy is loaded with update_names
    with pytest.raises(AdminDataError) as refused:
        load_admin_units(directory, update_names=True)

    # Then the error names the file, the line and the problem, and nothing was written
    assert str(refused.value) == "townships.csv line 12: latitude 'north' is not a number"
    assert _counts() == (15, 79, 351)
    assert not Township.objects.filter(pcode="MMR001099").exists()
    assert Township.objects.get(pcode="MMR001001").name_en == "Myitkyina Town"


@pytest.mark.parametrize(
    ("file", "line", "content", "message"),
    [
        (
            "townships.csv",
            3,
            "MMR001002,MMR001,MMR001,MMR001D001,Waingmaw,ဝိုင်းမော်,0,25.35099",
            "townships.csv line 3: expected 9 values, found 8",
        ),
        (
            "townships.csv",
            4,
            "MMR001003,MMR001,MMR001,MMR001D099,Injangyang,အင်ဂျန်းယန်,0,25.82991,97.72671",
            "townships.csv line 4: district MMR001D099 is not in districts.csv",
        ),
        (
            "townships.csv",
            5,
            "MMR001004,MMR002,MMR002,MMR001D001,Tanai,တနိုင်း,0,26.35797,96.71655",
            "townships.csv line 5: district MMR001D001 is not in state/region MMR002",
        ),
        (
            "townships.csv",
            6,
            "MMR001001,MMR001,MMR001,MMR001D001,Myitkyina,မြစ်ကြီးနား,0,25.38749,97.39036",
            "townships.csv line 6: P-code MMR001001 appears twice",
        ),
        (
            "townships.csv",
            7,
            "MMR001006,MMR001,MMR001,MMR001D001,Tsawlaw,ဆော့လော်,yes,26.15419,98.27049",
            "townships.csv line 7: is_sub_township 'yes' must be 0 or 1",
        ),
        (
            "districts.csv",
            2,
            "MMR001D001,MMR099,Myitkyina,မြစ်ကြီးနားခရိုင်",
            "districts.csv line 2: state/region MMR099 is not in states_regions.csv",
        ),
        (
            "states_regions.csv",
            3,
            "MMR2,Kayah,ကယားပြည်နယ်",
            "states_regions.csv line 3: sr_pcode 'MMR2' is not a P-code like MMR001",
        ),
        (
            "states_regions.csv",
            1,
            "sr_pcode,name,name_my",
            "states_regions.csv line 1: missing column(s) name_en",
        ),
    ],
)
def test_each_kind_of_malformed_row_is_named(
    empty_geography: None, tmp_path: Path, file: str, line: int, content: str, message: str
) -> None:
    # Given a data copy with one bad line
    directory = _data_copy(tmp_path)
    _replace_line(directory / file, line, content)

    # When it is loaded into an empty database
    with pytest.raises(AdminDataError) as refused:
        load_admin_units(directory)

    # Then the message names the line and the problem, and nothing was created
    assert str(refused.value) == message
    assert _counts() == (0, 0, 0)


def test_missing_file_is_named(empty_geography: None, tmp_path: Path) -> None:
    # Given a folder without the township file
    directory = _data_copy(tmp_path)
    (directory / "townships.csv").unlink()

    # When it is loaded
    with pytest.raises(AdminDataError) as refused:
        load_admin_units(directory)

    # Then the error names the file, and nothing was created
    assert str(refused.value) == f"townships.csv: no such file in {directory}"
    assert _counts() == (0, 0, 0)


def test_command_prints_counts(empty_geography: None, capsys: pytest.CaptureFixture[str]) -> None:
    # When the command runs twice
    call_command("load_geography")
    call_command("load_geography")

    # Then it reports the counts, with everything new the first time only
    assert capsys.readouterr().out.splitlines() == [
        "15 states/regions, 79 districts, 351 townships (445 new)",
        "15 states/regions, 79 districts, 351 townships (0 new)",
    ]


def test_command_refuses_a_malformed_file(empty_geography: None, tmp_path: Path) -> None:
    # Given a data copy whose second township has an unreadable longitude
    directory = _data_copy(tmp_path)
    _replace_line(
        directory / "townships.csv",
        3,
        "MMR001002,MMR001,MMR001,MMR001D001,Waingmaw,ဝိုင်းမော်,0,25.35099,east",
    )

    # When the command loads it
    with pytest.raises(CommandError) as refused:
        call_command("load_geography", directory=directory)

    # Then it fails with the line's problem and loads nothing
    assert str(refused.value) == "townships.csv line 3: longitude 'east' is not a number"
    assert _counts() == (0, 0, 0)
