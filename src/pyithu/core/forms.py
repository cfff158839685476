"""Form fields for free text. Every form uses these instead of ``forms.CharField``.

They pass input through :func:`pyithu.core.text.normalise_text` before Django's length
validators run, so a limit counts the characters that will be stored: a CRLF is one character,
trailing spaces and invisible characters count for nothing, and Zawgyi is measured as Unicode.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from pyithu.core.text import TextTooLong, normalise_text, tidy_text


class TextField(forms.CharField):
    """A single-line text field whose value is normalised (and Zawgyi converted) on input.

    ``language`` is the language the text is written in; ``None`` means the active UI
    language, which is right for most forms and protects Shan, Mon and S'gaw Karen from the
    Zawgyi converter.
    """

    default_max_length: int | None = 200
    default_multiline = False

    def __init__(
        self, *, language: str | None = None, multiline: bool | None = None, **kwargs: Any
    ) -> None:
        self.language = language
        self.multiline = self.default_multiline if multiline is None else multiline
        # An unbounded field is a way to fill the database; ask for max_length=None explicitly.
        kwargs.setdefault("max_length", self.default_max_length)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str | None:
        """Normalise before validation, so length checks and "required" see the stored text."""
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            normal = normalise_text(
                value, language=self.language, multiline=self.multiline, max_length=self.max_length
            )
        except TextTooLong as exc:
            raise ValidationError(
                MaxLengthValidator.message,
                code="max_length",
                params={"limit_value": exc.limit, "show_value": exc.length},
            ) from None
        if self.max_length is not None and len(normal) > self.max_length:
            typed = len(tidy_text(value, multiline=self.multiline))
            if typed <= self.max_length:
                # Only the Zawgyi conversion made it too long: say so rather than surprise.
                raise ValidationError(
                    _(
                        "Converted from the Zawgyi font to standard Burmese, this text has "
                        "%(length)d characters; the limit is %(limit)d. Please shorten it."
                    ),
                    code="max_length",
                    params={"length": len(normal), "limit": self.max_length},
                )
        value = normal
        # Text that normalises away (spaces, invisible characters) counts as empty.
        return value if value else self.empty_value


class TextAreaField(TextField):
    """A multi-line text field: line breaks kept as ``\\n``, default limit 4000 characters."""

    widget = forms.Textarea(attrs={"rows": 5})
    default_max_length = 4000
    default_multiline = True
