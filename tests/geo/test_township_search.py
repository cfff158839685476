from django.utils import translation

from pyithu.geo.models import StateRegion, Township
from pyithu.geo.selectors import find_townships, get_township, townships_by_state
from pyithu.geo.services import LoadReport, set_units_active


def _pcodes(townships: list[Township]) -> list[str]:
    return [township.pcode for township in townships]


def test_english_prefix_finds_the_township(loaded_geography: LoadReport) -> None:
    # When someone types the start of an English name, in any case
    found = find_townships("myitK")

    # Then Myitkyina is the only match
    assert _pcodes(found) == ["MMR001001"]


def test_full_burmese_name_finds_the_township(loaded_geography: LoadReport) -> None:
    # When someone types the Burmese name
    found = find_townships("မြစ်ကြီးနား")

    # Then Myitkyina is the only match
    assert _pcodes(found) == ["MMR001001"]


def test_burmese_prefix_finds_townships_starting_with_it(loaded_geography: LoadReport) -> None:
    # Given ICU splits မြစ်ကြီးနား into the words မြစ် · ကြီး · နား
    # When someone types its first word, or its first two words
    first_word = find_townships("မြစ်")
    two_words = find_townships("မြစ်ကြီး")

    # Then the first word also finds Myittha (မြစ်သား); two words narrow it to Myitkyina
    assert [(t.pcode, t.name_my) for t in first_word] == [
        ("MMR001001", "မြစ်ကြီးနား"),
        ("MMR010015", "မြစ်သား"),
    ]
    assert _pcodes(two_words) == ["MMR001001"]


def test_burmese_partial_syllable_matches_word_starts(loaded_geography: LoadReport) -> None:
    # When someone has typed only part of the first syllable (မြ of မြစ်)
    found = find_townships("မြ", limit=None)

    # Then townships with a word starting with မြ are found, Myitkyina among them
    assert "MMR001001" in _pcodes(found)
    assert all(" မြ" in township.search_text for township in found)


def test_pcode_finds_the_township_in_any_case(loaded_geography: LoadReport) -> None:
    # When someone types a P-code, in upper or lower case, with stray spaces
    # Then exactly that township is found
    assert _pcodes(find_townships("MMR001001")) == ["MMR001001"]
    assert _pcodes(find_townships(" mmr001001 ")) == ["MMR001001"]


def test_words_must_all_match(loaded_geography: LoadReport) -> None:
    # When someone types two words of a multi-word name, or a word that isn't there
    # Then only townships with every word are found, bracketed alternative names included
    assert _pcodes(find_townships("dagon south")) == ["MMR013018"]
    assert _pcodes(find_townships("na wi")) == ["MMR015302"]
    assert find_townships("dagon zzz") == []


def test_state_narrows_the_search_and_accepts_mimu_split_codes(
    loaded_geography: LoadReport,
) -> None:
    # When the Minhla townships are searched in Bago, in West Bago (MMR008) and in Magway
    # Then each state filter finds only its own Minhla
    assert _pcodes(find_townships("minhla")) == ["MMR008009", "MMR009013"]
    assert _pcodes(find_townships("minhla", state="MMR007")) == ["MMR008009"]
    assert _pcodes(find_townships("minhla", state="mmr008")) == ["MMR008009"]
    assert _pcodes(find_townships("minhla", state="MMR009")) == ["MMR009013"]


def test_limit_caps_the_results(loaded_geography: LoadReport) -> None:
    # When every township is asked for, with the default limit and with none
    # Then the default returns 50 and no limit returns all 351
    assert len(find_townships("")) == 50
    assert len(find_townships("", limit=None)) == 351


def test_retired_township_leaves_the_picker_but_stays_findable(
    loaded_geography: LoadReport,
) -> None:
    # Given an operator retired Waingmaw
    waingmaw = Township.objects.get(pcode="MMR001002")
    assert set_units_active([waingmaw], active=False, actor=None) == 1

    # When the picker's list and the searches are read
    kachin = dict(townships_by_state())[StateRegion.objects.get(pcode="MMR001")]

    # Then Waingmaw is gone from the picker and default search, but found on request
    assert "MMR001002" not in _pcodes(kachin)
    assert len(kachin) == 17
    assert find_townships("Waingmaw") == []
    assert _pcodes(find_townships("Waingmaw", include_inactive=True)) == ["MMR001002"]
    assert get_township("MMR001002") == waingmaw


def test_retired_state_takes_its_townships_out_of_the_picker(
    loaded_geography: LoadReport,
) -> None:
    # Given an operator retired Nay Pyi Taw
    set_units_active(StateRegion.objects.filter(pcode="MMR018"), active=False, actor=None)

    # When the picker's list is read
    groups = townships_by_state()

    # Then its 8 townships are gone and 14 states/regions remain
    assert len(groups) == 14
    assert sum(len(townships) for _state, townships in groups) == 343


def test_townships_by_state_lists_every_active_township_in_state_order(
    loaded_geography: LoadReport,
) -> None:
    # When the grouped list is read in English and in Burmese
    with translation.override("en"):
        groups = townships_by_state()
    with translation.override("my"):
        groups_my = townships_by_state()

    # Then the 15 states/regions come in MIMU order with all 351 townships, and names are
    # sorted in the reader's script (Burmese in the order of the Burmese alphabet)
    assert [state.pcode for state, _townships in groups] == [
        "MMR001",
        "MMR002",
        "MMR003",
        "MMR004",
        "MMR005",
        "MMR006",
        "MMR007",
        "MMR009",
        "MMR010",
        "MMR011",
        "MMR012",
        "MMR013",
        "MMR014",
        "MMR017",
        "MMR018",
    ]
    assert sum(len(townships) for _state, townships in groups) == 351
    assert [t.name_en for t in groups[0][1][:3]] == ["Bhamo", "Chipwi", "Hpakant"]
    assert [t.name_my for t in groups_my[0][1][:3]] == ["ခေါင်လန်ဖူး", "ချီဖွေ", "ဆော့လော်"]
