import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pyithu.geo.models import District, Township
from pyithu.geo.services import LoadReport


def test_township_names_follow_the_ui_language(loaded_geography: LoadReport) -> None:
    # Given Myitkyina
    myitkyina = Township.objects.get(pcode="MMR001001")

    # Then its label follows the active language, and __str__ is always English with P-code
    with translation.override("kac"):
        assert myitkyina.label == "Myitkyina"
    with translation.override("mnw"):
        assert myitkyina.label == "မြစ်ကြီးနား"
    assert myitkyina.display_name("en") == "Myitkyina"
    assert str(myitkyina) == "Myitkyina (MMR001001)"


def test_township_without_burmese_name_shows_english(loaded_geography: LoadReport) -> None:
    # Given a township whose Burmese name an operator has not entered yet
    township = Township.objects.get(pcode="MMR001002")
    township.name_my = ""

    # Then Burmese readers see the English name rather than nothing
    assert township.display_name("my") == "Waingmaw"


def test_saving_a_rename_refreshes_the_search_words(loaded_geography: LoadReport) -> None:
    # Given an operator renames Waingmaw, saving only the name
    township = Township.objects.get(pcode="MMR001002")
    township.name_en = "Waing Maw"
    township.save(update_fields=["name_en"])

    # Then the stored search words follow the new name
    township.refresh_from_db()
    assert township.search_text == " waing maw ဝိုင်း မော် mmr001002 "


def test_township_district_must_be_in_its_state(loaded_geography: LoadReport) -> None:
    # Given Myitkyina (Kachin) moved to a Yangon district by mistake
    township = Township.objects.get(pcode="MMR001001")
    township.district = District.objects.filter(state__pcode="MMR013").first()

    # When it is validated (as the admin form does)
    with pytest.raises(ValidationError) as refused:
        township.full_clean()

    # Then the district is refused
    assert refused.value.message_dict == {
        "district": ["This district belongs to another state or region."]
    }
