"""The township picker: a plain ``<select>`` grouped by state/region, no JavaScript needed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from pyithu.geo.models import Township
from pyithu.geo.selectors import group_by_state

GroupedChoice = tuple[str, str] | tuple[str, list[tuple[str, str]]]


class TownshipSelect(forms.Select):
    """A ``<select>`` whose options carry only the P-code and the name: it is sent 351 times."""

    template_name = "geo/widgets/township_select.html"


class TownshipGroupIterator(BaseChoiceIterator):
    """Choices grouped by state/region, labelled in the language active when rendered."""

    def __init__(self, field: TownshipChoiceField) -> None:
        self.field = field

    def __iter__(self) -> Iterator[GroupedChoice]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        townships = self.field.queryset.select_related("state")
        for state, group in group_by_state(list(townships)):
            yield (
                state.display_name(),
                [(township.pcode, township.display_name()) for township in group],
            )

    def __len__(self) -> int:
        return self.field.queryset.count() + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or self.field.queryset.exists()


class TownshipChoiceField(forms.ModelChoiceField):
    """Pick an active township; the submitted value is its P-code, the cleaned value the model."""

    widget = TownshipSelect
    iterator = TownshipGroupIterator
    default_error_messages = {
        "invalid_choice": _("Unknown township code. Pick a township from the list."),
    }

    def __init__(self, queryset: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "pcode")
        kwargs.setdefault("empty_label", _("Choose a township"))
        kwargs.setdefault("label", _("Township"))
        if queryset is None:
            queryset = Township.objects.active()
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj: Township) -> str:
        return obj.display_name()


class TownshipSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Township name or P-code"),
        max_length=100,
        required=False,
        widget=forms.SearchInput,
    )
