"""Forms of the agents' and officers' pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pyithu.core.forms import TextField
from pyithu.core.i18n import localized
from pyithu.finance.currencies import CODES, exponent_of
from pyithu.finance.forms import AmountForm, KeyField
from pyithu.finance.labels import currency_choices
from pyithu.finance.models import Campaign, Tier
from pyithu.finance.money import AmountError, parse_amount
from pyithu.finance.selectors import citizen_by_handle

CURRENCY_CHOICES = currency_choices(CODES)


class HandleField(TextField):
    """A person's handle, cleaned to the active user with that handle."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        handle = super().clean(value)
        found = citizen_by_handle(handle)
        if found is None:
            raise forms.ValidationError(_("No one has this handle. Check the spelling."))
        return found


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        raise forms.ValidationError(_("Enter a number such as 4500 or 0.25.")) from None
    if not value.is_finite() or value <= 0 or value >= 10**15:
        raise forms.ValidationError(_("Enter a rate above zero."))
    return value


class CashInForm(AmountForm):
    customer = HandleField(label=_("Customer's handle"))
    field_order = ["customer", "currency", "amount", "key"]


class RateForm(forms.Form):
    base = forms.ChoiceField(label=_("One unit of"), choices=CURRENCY_CHOICES)
    quote = forms.ChoiceField(label=_("Buys this many of"), choices=CURRENCY_CHOICES)
    rate = TextField(label=_("Rate"), max_length=32)
    spread_bps = forms.IntegerField(
        label=_("Spread (basis points, 100 = 1%)"), min_value=0, max_value=4999, initial=100
    )

    def clean_rate(self) -> Decimal:
        return _decimal(self.cleaned_data["rate"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("base") and data.get("base") == data.get("quote"):
            self.add_error("quote", _("Choose two different currencies."))
        return data


class GoldPriceForm(forms.Form):
    per_gram = TextField(label=_("Price of one gram of gold, in kyat"), max_length=32)
    spread_bps = forms.IntegerField(
        label=_("Spread (basis points, 100 = 1%)"), min_value=0, max_value=4999, initial=50
    )

    def clean_per_gram(self) -> Decimal:
        # The ledger keeps gold in milligrams: the rate is kyat per milligram.
        return _decimal(self.cleaned_data["per_gram"]) / 1000


class TierForm(forms.Form):
    customer = HandleField(label=_("Customer's handle"))
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices)


class AgentForm(forms.Form):
    agent = HandleField(label=_("Agent's handle"))
    daily_limit = TextField(label=_("Daily limit (kyat)"), max_length=32)
    commission_bps = forms.IntegerField(
        label=_("Commission (basis points, 100 = 1%)"), min_value=0, max_value=1000, initial=50
    )

    def clean_daily_limit(self) -> int:
        try:
            return parse_amount(self.cleaned_data["daily_limit"], exponent_of("MMK"))
        except AmountError as exc:
            raise forms.ValidationError(str(exc.message)) from None


class FundFloatForm(AmountForm):
    agent = HandleField(label=_("Agent's handle"))
    field_order = ["agent", "currency", "amount", "key"]


class AllotForm(AmountForm):
    """Money set aside for one township point before a shutdown (decision 0026)."""

    point = forms.ChoiceField(label=_("Township point"))
    field_order = ["point", "currency", "amount", "key"]

    def __init__(self, *args: Any, points: list[tuple[str, str]] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["point"].choices = list(points or [])


class LotteryForm(forms.Form):
    name = TextField(label=_("Name"), max_length=80)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, initial="MMK")
    ticket_price = TextField(label=_("Ticket price"), max_length=32)
    prizes = TextField(
        label=_("Prizes"), max_length=400, help_text=_("Amounts in prize order, e.g. 50000, 10000")
    )
    beacon_name = TextField(
        label=_("Public random value"),
        max_length=200,
        help_text=_("Name one that will exist only after sales close, e.g. a drand round."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("currency"):
            return data
        exponent = exponent_of(data["currency"])
        try:
            if "ticket_price" in data:
                data["price_minor"] = parse_amount(data["ticket_price"], exponent)
            if "prizes" in data:
                parts = [p for p in data["prizes"].replace(";", ",").split(",") if p.strip()]
                data["prizes_minor"] = [parse_amount(p.strip(), exponent) for p in parts]
                if not parts:
                    self.add_error("prizes", _("Name at least one prize."))
        except AmountError as exc:
            self.add_error(None, str(exc.message))
        return data


class DrawForm(forms.Form):
    lottery = forms.UUIDField(widget=forms.HiddenInput)
    beacon_value = TextField(label=_("The public random value, as published"), max_length=200)


class RemitForm(AmountForm):
    """An agent abroad sends to an agent in a township (chosen by handle)."""

    to_agent = HandleField(label=_("Receiving agent's handle"))
    field_order = ["to_agent", "currency", "amount", "key"]


class PayOutForm(forms.Form):
    code = TextField(label=_("Recipient's code"), max_length=20)
    key = KeyField()


class CampaignForm(forms.Form):
    slug = forms.SlugField(
        label=_("Short name for the address"),
        max_length=50,
        help_text=_("Latin letters, digits and hyphens, e.g. flood-relief"),
    )
    title_en = TextField(label=_("Title (English)"), max_length=120)
    title_my = TextField(label=_("Title (Burmese)"), max_length=120)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, initial="MMK")
    goal = TextField(label=_("Goal"), max_length=32)

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if Campaign.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("A campaign already uses this short name."))
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("currency") and "goal" in data:
            try:
                data["goal_minor"] = parse_amount(data["goal"], exponent_of(data["currency"]))
            except AmountError as exc:
                self.add_error("goal", str(exc.message))
        return data


class CampaignChoiceField(forms.ModelChoiceField):
    """Campaigns by their title in the reader's language (the short name is what is sent)."""

    def label_from_instance(self, obj: Campaign) -> str:
        return localized(obj, "title")


class DisburseForm(forms.Form):
    campaign = CampaignChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.all(), to_field_name="slug"
    )
    recipient = HandleField(label=_("Paid to (handle)"))
    amount = TextField(label=_("Amount"), max_length=32)
    purpose = TextField(
        label=_("Purpose"),
        max_length=200,
        help_text=_("Published in the public log. Name no private person."),
    )
    key = KeyField()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("campaign") and "amount" in data:
            currency = data["campaign"].account.currency_id
            try:
                data["minor"] = parse_amount(data["amount"], exponent_of(currency))
            except AmountError as exc:
                self.add_error("amount", str(exc.message))
        return data


class MerchantForm(forms.Form):
    merchant = HandleField(label=_("Merchant's handle"))
    name = TextField(label=_("Business name"), max_length=80)
