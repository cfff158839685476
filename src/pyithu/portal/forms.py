"""Forms of the portal: answering a survey, feedback, staff replies, the shutdown import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pyithu.core.forms import TextAreaField, TextField
from pyithu.geo.forms import TownshipChoiceField
from pyithu.portal.models import Feedback, Question, Survey
from pyithu.portal.services.feedback import MAX_MESSAGE
from pyithu.portal.services.surveys import MAX_CODES_AT_ONCE, MAX_TEXT_ANSWER, AnswerValue


class LikertSelect(forms.RadioSelect):
    """Radio buttons laid out in a row (class ``likert`` in portal.css)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"class": "likert", **(attrs or {})})


class SurveyAnswerForm(forms.Form):
    """One field per question, named by its key; a code field when the survey asks for one."""

    def __init__(self, survey: Survey, questions: list[Question], *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.survey = survey
        self.questions = questions
        for question in questions:
            self.fields[question.key] = self._field(question)
        if survey.guard == Survey.Guard.CODE:
            self.fields["code"] = TextField(
                label=_("Your answer code"),
                max_length=20,
                help_text=_("The one-time code on the slip you were given, e.g. K7QM-2XWD-9PRT."),
                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off"}),
            )

    def _field(self, question: Question) -> forms.Field:
        common: dict[str, Any] = {
            "label": question.text,
            "help_text": question.help,
            "required": question.required,
        }
        # Short values (1, 2, 3 in the options' order) keep the page light; published
        # surveys cannot be edited, so the numbering is stable between showing and posting.
        choices = [(str(i), o.text) for i, o in enumerate(question.options.all(), start=1)]
        if question.kind == Question.Kind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        if question.kind in (Question.Kind.SINGLE, Question.Kind.LIKERT):
            widget = LikertSelect if question.kind == Question.Kind.LIKERT else forms.RadioSelect
            return forms.ChoiceField(choices=choices, widget=widget, **common)
        if question.kind == Question.Kind.TOWNSHIP:
            return TownshipChoiceField(**common)
        return TextAreaField(max_length=MAX_TEXT_ANSWER, **common)

    def answers(self) -> dict[str, AnswerValue]:
        """The cleaned answers as the service takes them (options, townships, text)."""
        out: dict[str, AnswerValue] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.key)
            options = {str(i): o for i, o in enumerate(question.options.all(), start=1)}
            if question.kind == Question.Kind.MULTIPLE:
                out[question.key] = [options[v] for v in value or []]
            elif question.has_options:
                out[question.key] = options.get(value) if value else None
            else:
                out[question.key] = value or None
        return out


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=Feedback.Kind.choices,
        widget=forms.RadioSelect,
        initial=Feedback.Kind.SUGGESTION,
    )
    body = TextAreaField(
        label=_("Your message"),
        max_length=MAX_MESSAGE,
        help_text=_("Do not write names, phone numbers or addresses unless they are needed."),
    )


class FollowUpForm(forms.Form):
    code = TextField(
        label=_("Follow-up code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off"}),
    )


class ReplyForm(FollowUpForm):
    body = TextAreaField(label=_("Add a message"), max_length=MAX_MESSAGE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget = forms.HiddenInput()


class StaffReplyForm(forms.Form):
    body = TextAreaField(label=_("Answer"), max_length=MAX_MESSAGE)


class IssueCodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many answer codes?"), min_value=1, max_value=MAX_CODES_AT_ONCE, initial=50
    )


class ShutdownImportForm(forms.Form):
    ALL_OR_NOTHING = "all"
    VALID_ROWS = "valid"

    file = forms.FileField(
        label=_("CSV file"),
        # The columns are told on the page, their names marked as not for translation.
    )
    mode = forms.ChoiceField(
        label=_("If some rows are wrong"),
        choices=[
            (ALL_OR_NOTHING, _("Import nothing, so I can fix the file")),
            (VALID_ROWS, _("Import the valid rows, list the wrong ones")),
        ],
        widget=forms.RadioSelect,
        initial=ALL_OR_NOTHING,
    )
    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the file as UTF-8 CSV.")) from None
