from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pyithu.accounts.models import handle_validator
from pyithu.core.forms import TextAreaField, TextField


class PassphraseField(forms.CharField):
    """Passphrases are secrets, not text: never normalised, trimmed or echoed back."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("strip", False)
        kwargs.setdefault("widget", forms.PasswordInput(attrs={"autocomplete": "current-password"}))
        super().__init__(**kwargs)


class HandleField(TextField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("language", "en")
        kwargs.setdefault("validators", [handle_validator])
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return super().to_python(value).lower()


class SignupForm(forms.Form):
    handle = HandleField(
        label=_("Handle"),
        help_text=_(
            "A made-up name, not your real one: 3 to 32 small English letters, digits, - or _, "
            "starting with a letter or digit. Others never see it."
        ),
    )
    passphrase = PassphraseField(
        label=_("Passphrase"),
        help_text=_("At least 10 characters. A few words you remember work well."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    passphrase_again = PassphraseField(
        label=_("Passphrase again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    contact = TextAreaField(
        label=_("How to reach you (optional)"),
        required=False,
        max_length=300,
        help_text=_("Only if you want replies outside this site. It is stored encrypted."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("passphrase") and data.get("passphrase") != data.get("passphrase_again"):
            self.add_error("passphrase_again", _("The two passphrases are not the same."))
        return data


class LoginForm(forms.Form):
    handle = HandleField(label=_("Handle"), validators=[])
    passphrase = PassphraseField(label=_("Passphrase"))


class TotpForm(forms.Form):
    code = TextField(
        label=_("Six-digit code from your authenticator app"),
        max_length=12,
        language="en",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class RecoverForm(forms.Form):
    handle = HandleField(label=_("Handle"), validators=[])
    code = TextField(label=_("One recovery code"), max_length=20, language="en")
    passphrase = PassphraseField(
        label=_("New passphrase"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ContactForm(forms.Form):
    contact = TextAreaField(label=_("How to reach you"), required=False, max_length=300)


class PassphraseChangeForm(forms.Form):
    old_passphrase = PassphraseField(label=_("Current passphrase"))
    passphrase = PassphraseField(
        label=_("New passphrase"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ConfirmPassphraseForm(forms.Form):
    passphrase = PassphraseField(label=_("Your passphrase"))
