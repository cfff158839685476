import re

from django import forms
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


def test_picker_renders_optgroups_with_tight_options(loaded_geography: LoadReport) -> None:
    # When the picker is rendered in English with Myitkyina chosen
    with translation.override("en"):
        html = str(HomeTownshipForm(initial={"township": "MMR001001"})["township"])

    # Then options sit in 15 state/region groups, carry only the P-code and the name,
    # and the chosen one is selected
    assert html.count("<optgroup ") == 15
    assert html.count("<option ") == 352
    assert '<option value="">Choose a township' in html
    assert '<optgroup label="Kachin"><option value="MMR001010">Bhamo<option ' in html
    assert '<option value="MMR001001" selected>Myitkyina<option ' in html
    assert re.findall(r"<option [^>]*>", html)[1:] == [
        f'<option value="{pcode}"{" selected" if pcode == "MMR001001" else ""}>'
        for pcode in re.findall(r'<option value="(MMR\d{6})"', html)
    ]


def test_picker_labels_follow_the_script_of_the_ui_language(
    loaded_geography: LoadReport,
) -> None:
    # When the picker is rendered in Burmese, Shan and Hakha Chin
    field = HomeTownshipForm()["township"]
    rendered = {}
    for language in ("my", "shn", "cnh"):
        with translation.override(language):
            rendered[language] = str(field)

    # Then Myanmar-script languages see Burmese names and Latin-script ones English names
    assert '<optgroup label="ကချင်ပြည်နယ်">' in rendered["my"]
    assert '<option value="MMR001001">မြစ်ကြီးနား<option ' in rendered["my"]
    assert '<option value="MMR001001">မြစ်ကြီးနား<option ' in rendered["shn"]
    assert '<optgroup label="Kachin">' in rendered["cnh"]
    assert '<option value="MMR001001">Myitkyina<option ' in rendered["cnh"]


def test_picker_leaves_out_retired_townships(loaded_geography: LoadReport) -> None:
    # Given Waingmaw has been retired
    set_units_active(Township.objects.filter(pcode="MMR001002"), active=False, actor=None)

    # When the picker is rendered
    html = str(HomeTownshipForm()["township"])

    # Then Waingmaw is not offered
    assert 'value="MMR001002"' not in html
    assert html.count("<option ") == 351
