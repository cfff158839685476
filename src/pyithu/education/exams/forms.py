from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pyithu.core.forms import TextAreaField, TextField
from pyithu.education.exams.services.exams import MAX_ANSWER_CHARS, MAX_CANDIDATES_PER_REQUEST
from pyithu.education.models import Question
from pyithu.geo.forms import TownshipChoiceField


class ExamCodeForm(forms.Form):
    code = TextField(
        label=_("Exam code"),
        max_length=40,
        help_text=_("The code printed on your exam slip, in groups of four letters and digits."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class AnswerForm(forms.Form):
    """One question. Options arrive in the candidate's own order; values are the written
    index, so a shuffled page still saves the option the candidate meant."""

    question = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, question: Question, order: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if question.kind == Question.Kind.CHOICE:
            self.fields["choice"] = forms.TypedChoiceField(
                label=_("Your answer"),
                choices=[(i, question.options[i]) for i in order],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one of the answers.")},
            )
        elif question.kind == Question.Kind.FILL:
            self.fields["text"] = TextField(label=_("Your answer"), max_length=200)
        else:
            self.fields["text"] = TextAreaField(label=_("Your answer"), max_length=MAX_ANSWER_CHARS)


class SchoolChoiceField(forms.ModelChoiceField):
    """Schools by their name in the reader's language."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name()


class RegisterCandidatesForm(forms.Form):
    school = SchoolChoiceField(queryset=None, label=_("School"))  # type: ignore[arg-type]
    count = forms.IntegerField(
        label=_("Number of candidates"), min_value=1, max_value=MAX_CANDIDATES_PER_REQUEST
    )
    township = TownshipChoiceField(
        required=False,
        label=_("Township of these candidates (optional)"),
        help_text=_("Only counted in the public reach figures."),
    )

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class MarkForm(forms.Form):
    answer = forms.UUIDField(widget=forms.HiddenInput)
    marks = forms.IntegerField(label=_("Marks"), min_value=0, max_value=100)


class ApplicationForm(forms.Form):
    pseudonym = TextField(
        label=_("A name to use here (not your real name)"),
        max_length=60,
        help_text=_("Pick a name that nobody links to you."),
    )
    school = SchoolChoiceField(queryset=None, label=_("School or university"))  # type: ignore[arg-type]
    programme = TextField(label=_("Programme or grade"), max_length=200)
    voucher = TextField(
        label=_("Recommendation voucher"),
        max_length=40,
        help_text=_("The one-time code your recommender gave you."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    township = TownshipChoiceField(
        required=False,
        label=_("Township (optional)"),
        help_text=_("Only counted in the public reach figures; leave it empty if you prefer."),
    )
    document = forms.FileField(
        label=_("Supporting document (optional)"),
        required=False,
        help_text=_("Sealed, and deleted as soon as the school decides. At most 2 megabytes."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from pyithu.education.models import School

        self.fields["school"].queryset = School.objects.filter(status=School.Status.RECOGNISED)


class ApplicationCodeForm(forms.Form):
    code = TextField(
        label=_("Application code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class VerifyForm(forms.Form):
    text = TextAreaField(
        label=_("Certificate text"),
        max_length=4000,
        help_text=_("Paste or type the signed text shown under the QR code."),
        widget=forms.Textarea(attrs={"rows": 5, "translate": "no", "spellcheck": "false"}),
    )


class ClaimCertificateForm(forms.Form):
    code = TextField(
        label=_("Exam code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    name = TextField(
        label=_("Name to print (optional)"),
        max_length=120,
        required=False,
        help_text=_(
            "Leave empty to show only your pseudonym. "
            "Your name is printed only if you type it here."
        ),
    )
