import re

from django import forms
from django.http import QueryDict
from django.utils import translation

from pyithu.geo.forms import TownshipChoiceField
from pyithu.geo.models import Township
from pyithu.geo.services import LoadReport, set_units_active


class HomeTownshipForm(forms.Form):
    township = TownshipChoiceField()


def test_picker_accepts_a_pcode_and_returns_the_township(loaded_geography: LoadReport) -> None:
    # When a citizen submits Myitkyina's P-code
    form = HomeTownshipForm(data={"township": "MMR001001"})

    # Then the form is valid and cleans to the township
    assert form.is_valid(), form.errors
    assert form.cleaned_data["township"] == Township.objects.get(pcode="MMR001001")


def test_picker_refuses_an_unknown_pcode_with_a_clear_message(
    loaded_geography: LoadReport,
) -> None:
    # When someone submits a P-code that does not exist
    with translation.override("en"):
        form = HomeTownshipForm(data={"township": "MMR999999"})

        # Then the form is invalid with the picker's own message
        assert not form.is_valid()
        assert form.errors == {
            "township": ["Unknown township code. Pick a township from the list."]
        }


def test_picker_refuses_a_retired_township(loaded_geography: LoadReport) -> None:
    # Given Waingmaw has been retired
    set_units_active(Township.objects.filter(pcode="MMR001002"), active=False, actor=None)

    # When someone submits its P-code (a stale page, or a hand-made request)
    with translation.override("en"):
        form = HomeTownshipForm(data={"township": "MMR001002"})

        # Then it is refused like an unknown code
        assert form.errors == {
            "township": ["Unknown township code. Pick a township from the list."]
        }


def _matches(html: str) -> list[str]:
    return re.findall(r'<input type="radio" name="township" value="(MMR\d+)">', html)


def test_the_first_page_carries_a_text_box_and_the_states_not_every_township(
    loaded_geography: LoadReport,
) -> None:
    # When the picker is rendered in English
    with translation.override("en"):
        html = str(HomeTownshipForm()["township"])

    # Then there is a text box and a list of the 15 states/regions to start from, nothing more
    assert '<input type="text" name="township"' in html
    assert html.count("<option ") == 16
    assert '<option value="MMR001">Kachin</option>' in html
    assert "Myitkyina" not in html
    assert len(html.encode()) < 2000


def test_picker_accepts_a_name_in_either_script(loaded_geography: LoadReport) -> None:
    # When a citizen types Myitkyina's name in English (any case) or Burmese
    for typed in ("myitkyina", "မြစ်ကြီးနား", " Myitkyina "):
        form = HomeTownshipForm(data={"township": typed})

        # Then the form cleans to the township
        assert form.is_valid(), form.errors
        assert form.cleaned_data["township"].pcode == "MMR001001"


def test_picker_accepts_a_pcode_in_burmese_digits_and_in_any_case(
    loaded_geography: LoadReport,
) -> None:
    for typed in ("mmr001001", "MMR၀၀၁၀၀၁", "Myitkyina (MMR001001)"):
        form = HomeTownshipForm(data={"township": typed})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["township"].pcode == "MMR001001"


def test_several_matches_are_offered_back_as_a_short_list(loaded_geography: LoadReport) -> None:
    # When a citizen types the first word that Myitkyina and Myittha share
    with translation.override("my"):
        form = HomeTownshipForm(data={"township": "မြစ်"})

        # Then the form asks them to pick, and lists just those two as radio buttons
        assert not form.is_valid()
        assert form.errors["township"][0].startswith("မြို့နယ်")
        html = str(form["township"])
    assert sorted(_matches(html)) == ["MMR001001", "MMR010015"]
    assert 'value="မြစ်"' in html

    # And when they pick one, the radio (sent after the text box) wins
    data = QueryDict(mutable=True)
    data.setlist("township", ["မြစ်", "MMR010015", ""])
    form = HomeTownshipForm(data=data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["township"].pcode == "MMR010015"


def test_choosing_a_state_lists_its_townships(loaded_geography: LoadReport) -> None:
    # When a citizen leaves the box empty and chooses Kachin State (or types its name)
    for sent in (["", "MMR001"], ["Kachin", ""], ["ကချင်ပြည်နယ်", ""]):
        data = QueryDict(mutable=True)
        data.setlist("township", sent)
        form = HomeTownshipForm(data=data)

        # Then they are asked to pick among Kachin's townships
        assert not form.is_valid()
        picks = _matches(str(form["township"]))
        assert "MMR001001" in picks
        assert len(picks) == Township.objects.active().filter(state__pcode="MMR001").count()


def test_an_unknown_name_is_refused_with_a_way_forward(loaded_geography: LoadReport) -> None:
    with translation.override("en"):
        form = HomeTownshipForm(data={"township": "Atlantis"})
        assert form.errors == {
            "township": ["No township has that name. Check the spelling, or choose a state first."]
        }


def test_an_empty_answer_is_required_or_none(loaded_geography: LoadReport) -> None:
    class Optional(forms.Form):
        township = TownshipChoiceField(required=False)

    assert not HomeTownshipForm(data={"township": ""}).is_valid()
    form = Optional(data={"township": ""})
    assert form.is_valid() and form.cleaned_data["township"] is None


def test_initial_township_is_shown_by_name_in_the_ui_language(
    loaded_geography: LoadReport,
) -> None:
    # When the picker is rendered in Burmese, Shan and Hakha Chin with Myitkyina chosen
    field = HomeTownshipForm(initial={"township": "MMR001001"})["township"]
    rendered = {}
    for language in ("my", "shn", "cnh"):
        with translation.override(language):
            rendered[language] = str(field)

    # Then Myanmar-script languages see Burmese names and Latin-script ones English names
    assert 'value="မြစ်ကြီးနား"' in rendered["my"]
    assert '<option value="MMR001">ကချင်ပြည်နယ်</option>' in rendered["my"]
    assert 'value="မြစ်ကြီးနား"' in rendered["shn"]
    assert 'value="Myitkyina"' in rendered["cnh"]
    assert '<option value="MMR001">Kachin</option>' in rendered["cnh"]


def test_picker_leaves_out_retired_townships(loaded_geography: LoadReport) -> None:
    # Given Waingmaw has been retired
    set_units_active(Township.objects.filter(pcode="MMR001002"), active=False, actor=None)

    # When a citizen browses Kachin State
    form = HomeTownshipForm(data={"township": "MMR001"})
    form.is_valid()

    # Then Waingmaw is not offered, and typing its name finds nothing
    assert "MMR001002" not in _matches(str(form["township"]))
    assert not HomeTownshipForm(data={"township": "Waingmaw"}).is_valid()
