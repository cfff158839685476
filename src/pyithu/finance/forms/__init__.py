"""Finance forms: amounts are text parsed to integer minor units; keys are hidden fields."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pyithu.core.forms import TextAreaField, TextField
from pyithu.finance.currencies import CODES, exponent_of
from pyithu.finance.labels import currency_choices
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


class AmountForm(forms.Form):
    """An amount in a currency, parsed to minor units as ``cleaned_data["minor"]``."""

    currency = forms.ChoiceField(label=_("Currency"), choices=currency_choices(CODES))
    amount = TextField(label=_("Amount"), max_length=32)
    key = KeyField()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "amount" in data and "currency" in data:
            try:
                data["minor"] = parse_amount(data["amount"], exponent_of(data["currency"]))
            except AmountError as exc:
                self.add_error("amount", str(exc.message))
        return data


class TransferForm(AmountForm):
    field_order = ["recipient", "amount", "currency", "note", "key"]

    recipient = TextField(label=_("Recipient's handle"), max_length=40)
    note = TextField(
        label=_("Note (optional)"),
        max_length=80,
        required=False,
        help_text=_("Shown on both statements. Do not write anything private."),
    )

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


class CashOutForm(AmountForm):
    """Where the cash is taken: any agent (24 hours), or one township point that works while
    its link is cut (the code works only there, 0026)."""

    where = forms.ChoiceField(label=_("Where"), required=False)
    field_order = ["currency", "amount", "where", "key"]

    def __init__(self, *args: Any, points: list[tuple[str, str]] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["where"].choices = [("", _("Any agent, within 24 hours"))] + [
            (node_id, name) for node_id, name in (points or [])
        ]
        if not points:
            del self.fields["where"]


class ExchangeForm(AmountForm):
    target = forms.ChoiceField(label=_("Into"), choices=currency_choices(CODES))
    field_order = ["currency", "target", "amount", "key"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("currency") and data.get("currency") == data.get("target"):
            self.add_error("target", _("Choose two different currencies."))
        return data


class GoldForm(forms.Form):
    """Buy gold with kyat (amount in kyat) or sell it (amount in milligrams)."""

    side = forms.ChoiceField(
        label=_("I want to"), choices=[("buy", _("buy gold")), ("sell", _("sell gold"))]
    )
    amount = TextField(
        label=_("Amount"),
        max_length=32,
        help_text=_("Kyat to spend when buying; milligrams of gold when selling."),
    )
    key = KeyField()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        side = data.get("side")
        if side and "amount" in data:
            data["source"], data["target"] = ("MMK", "XAU") if side == "buy" else ("XAU", "MMK")
            try:
                data["minor"] = parse_amount(data["amount"], exponent_of(data["source"]))
            except AmountError as exc:
                self.add_error("amount", str(exc.message))
        return data


class DepositForm(AmountForm):
    term = forms.TypedChoiceField(label=_("Term"), coerce=int)

    def __init__(self, *args: Any, terms: dict[int, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = list((terms or {}).items())


class TicketForm(forms.Form):
    lottery = forms.UUIDField(widget=forms.HiddenInput)
    count = forms.IntegerField(label=_("Tickets"), min_value=1, max_value=10, initial=1)
    key = KeyField()


class DonateForm(forms.Form):
    amount = TextField(label=_("Amount"), max_length=32)
    anonymous = forms.BooleanField(
        label=_("Give anonymously"),
        required=False,
        initial=True,
        help_text=_("Untick to be thanked by your handle on this page. The log never names you."),
    )
    key = KeyField()


class ReceiptCheckForm(forms.Form):
    receipt = TextAreaField(
        label=_("Receipt"),
        max_length=20_000,
        help_text=_("Paste the receipt file you downloaded after giving."),
    )


class ReceiptCodeForm(forms.Form):
    code = TextField(
        label=_("Receipt code"),
        max_length=24,
        language="en",
        help_text=_("The code printed on your receipt: a number, a dash and eight characters."),
    )


class MerchantRequestForm(forms.Form):
    amount = TextField(label=_("Amount (kyat, optional)"), max_length=32, required=False)
    reference = TextField(
        label=_("Reference (optional)"),
        max_length=40,
        required=False,
        help_text=_("Printed on the customer's statement, e.g. a table or invoice number."),
    )


class CodeForm(forms.Form):
    code = TextField(label=_("Customer's code"), max_length=20)
    key = KeyField()


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
