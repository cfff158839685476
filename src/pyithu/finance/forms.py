"""Finance forms: amounts are text parsed to integer minor units; keys are hidden fields."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pyithu.core.forms import TextField
from pyithu.finance.currencies import CODES, exponent_of
from pyithu.finance.money import AmountError, parse_amount
from pyithu.finance.selectors import citizen_by_handle

KEY_PATTERN = r"^[0-9a-f]{32}$"


def new_key() -> str:
    return uuid.uuid4().hex


class KeyField(forms.RegexField):
    """The idempotency key: made when the form is first shown, so a resubmission pays once."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(KEY_PATTERN, **kwargs)
        self.error_messages["invalid"] = _("This form is out of date. Please start again.")


class TransferForm(forms.Form):
    recipient = TextField(label=_("Recipient's handle"), max_length=40)
    amount = TextField(label=_("Amount"), max_length=32)
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in CODES])
    note = TextField(
        label=_("Note (optional)"),
        max_length=80,
        required=False,
        help_text=_("Shown on both statements. Do not write anything private."),
    )
    key = KeyField()

    def __init__(self, *args: Any, payer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.payer = payer

    def clean_recipient(self) -> Any:
        found = citizen_by_handle(self.cleaned_data["recipient"])
        if found is None:
            raise forms.ValidationError(_("No one has this handle. Check the spelling."))
        if self.payer is not None and found.pk == self.payer.pk:
            raise forms.ValidationError(_("You cannot send money to yourself."))
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "amount" in data and "currency" in data:
            try:
                data["minor"] = parse_amount(data["amount"], exponent_of(data["currency"]))
            except AmountError as exc:
                self.add_error("amount", str(exc.message))
        return data


class PaymentRequestForm(forms.Form):
    request = TextField(
        label=_("Payment code"),
        max_length=600,
        help_text=_("Paste the text of the merchant's QR code."),
    )
    amount = TextField(
        label=_("Amount"),
        max_length=32,
        required=False,
        help_text=_("Only when the merchant did not set the amount."),
    )
    key = KeyField()
