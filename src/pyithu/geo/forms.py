"""The township picker: a text field for a name or P-code, and a short list when several match.

Sending all 351 townships in a ``<select>`` made every form that asks for a township weigh
20 KB. Instead a person types the township's name (Burmese or English, or the first letters of
a word) or its P-code. One match is taken; several are offered back as radio buttons under a
form error; a state/region chosen (or typed) instead lists that state's townships the same way.
No JavaScript is needed, and the first page carries only the fifteen states/regions.

Every control carries the field's own name, so the form posts one field as before: the picked
radio (or chosen state) comes after the text box in the page, and the last non-empty value sent
wins. The cleaned value is a :class:`~pyithu.geo.models.Township`, as before.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pyithu.core.text import normalise_text, search_filter
from pyithu.geo.models import StateRegion, Township
from pyithu.geo.selectors import group_by_state

# Shan, the largest state, has 55 townships: a state's list always fits.
MAX_MATCHES = 60
MAX_NAME = 100  # longer than any township's name or P-code in either language
_PCODE = re.compile(r"MMR\d{3,}", re.IGNORECASE)
_BURMESE_DIGITS = str.maketrans("၀၁၂၃၄၅၆၇၈၉", "0123456789")


class TownshipInput(forms.Widget):
    """A text box, the states/regions to browse by, and the matches of the last attempt."""

    template_name = "geo/widgets/township_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.matches: list[Township] = []

    def __deepcopy__(self, memo: dict[int, Any]) -> TownshipInput:
        copy = super().__deepcopy__(memo)
        copy.matches = []
        return copy

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str | None:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        sent = [value for value in values if value not in (None, "")]
        return sent[-1] if sent else (values[-1] if values else None)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data

    def format_value(self, value: Any) -> str:
        if isinstance(value, Township):
            return value.display_name()
        if value and _PCODE.fullmatch(str(value)):
            township = Township.objects.filter(pcode__iexact=value).first()
            return township.display_name() if township else str(value)
        return "" if value is None else str(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        groups = group_by_state(self.matches)
        context["widget"].update(
            {
                "groups": [(state.display_name(), towns) for state, towns in groups],
                "show_state": len(groups) > 1,
                "states": [
                    (state.pcode, state.display_name())
                    for state in StateRegion.objects.filter(is_active=True)
                ],
            }
        )
        return context


class TownshipChoiceField(forms.ModelChoiceField):
    """Pick an active township by name or P-code; the cleaned value is the model."""

    widget = TownshipInput
    default_error_messages = {
        "invalid_choice": _("Unknown township code. Pick a township from the list."),
        "no_match": _("No township has that name. Check the spelling, or choose a state first."),
        "several": _("Several townships match. Pick yours below."),
        "in_state": _("Pick your township below."),
    }

    def __init__(self, queryset: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "pcode")
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("label", _("Township"))
        if queryset is None:
            queryset = Township.objects.active()
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj: Township) -> str:
        return obj.display_name()

    def prepare_value(self, value: Any) -> Any:
        return value

    def to_python(self, value: Any) -> Township | None:
        if isinstance(value, Township):
            return value
        raw = str(value or "")
        if len(raw) > 2 * MAX_NAME:
            # No township is named like this; refused before any work (or any LIKE pattern).
            raise ValidationError(self.error_messages["no_match"], code="no_match")
        text = normalise_text(raw).translate(_BURMESE_DIGITS)
        if not text:
            return None
        if len(text) > MAX_NAME:
            raise ValidationError(self.error_messages["no_match"], code="no_match")
        townships = self.queryset.select_related("state")
        code = _PCODE.search(text)
        if code:
            return self._by_pcode(townships, code.group().upper())
        exact = list(townships.filter(Q(name_en__iexact=text) | Q(name_my=text))[:2])
        if len(exact) == 1:
            return exact[0]
        found = list(townships.filter(search_filter("search_text", text))[: MAX_MATCHES + 1])
        if len(found) == 1:
            return found[0]
        if found:
            self._offer(found[:MAX_MATCHES], "several")
        states = StateRegion.objects.filter(is_active=True).filter(
            Q(name_en__iexact=text) | Q(name_my=text)
        )
        if states:
            self._offer(list(townships.filter(state__in=states)), "in_state")
        raise ValidationError(self.error_messages["no_match"], code="no_match")

    def _by_pcode(self, townships: Any, pcode: str) -> Township:
        township = townships.filter(pcode=pcode).first()
        if township is not None:
            return township
        if StateRegion.objects.filter(pcode=pcode, is_active=True).exists():
            self._offer(list(townships.filter(state__pcode=pcode)), "in_state")
        raise ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": pcode},
        )

    def _offer(self, matches: list[Township], code: str) -> None:
        self.widget.matches = matches
        raise ValidationError(self.error_messages[code], code=code)

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        initial_code = initial.pcode if isinstance(initial, Township) else str(initial or "")
        return initial_code != str(data or "")


class TownshipSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Township name or P-code"),
        max_length=100,
        required=False,
        widget=forms.SearchInput,
    )
