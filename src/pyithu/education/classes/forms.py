"""Forms for classes, grades and programmes (plain HTML forms; no JavaScript needed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pyithu.core.forms import TextAreaField, TextField
from pyithu.education.classes.services.classes import MAX_TEXT_CHARS
from pyithu.education.models import Assignment, AttendanceRecord, Enrolment, Mark
from pyithu.geo.forms import TownshipChoiceField

# The file kinds are named in words; the exact list is in the refusal if one is not accepted.
FILE_HELP = _("A document, a picture or plain text, 2 megabytes at most.")


class SubmitForm(forms.Form):
    text = TextAreaField(label=_("Your work"), max_length=MAX_TEXT_CHARS, required=False)
    file = forms.FileField(
        label=_("File (optional)"),
        required=False,
        help_text=FILE_HELP,
    )


class ExamLinkForm(forms.Form):
    code = TextField(
        label=_("Exam code"),
        max_length=40,
        help_text=_("Add a released exam result to this class's tests."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class TranscriptForm(forms.Form):
    show_name = forms.BooleanField(
        label=_("Print my name on the transcript"),
        required=False,
        help_text=_("By default only your pseudonym is printed."),
    )
    name = TextField(label=_("Name to print"), max_length=120, required=False)


class EnrolForm(forms.Form):
    handle = TextField(label=_("Student's account name"), max_length=60)
    township = TownshipChoiceField(required=False)


class LessonForm(forms.Form):
    title = TextField(label=_("Title"), max_length=200)
    body = TextAreaField(label=_("Text"), max_length=MAX_TEXT_CHARS, required=False)
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=FILE_HELP,
    )


class AssignmentForm(forms.Form):
    title = TextField(label=_("Title"), max_length=200)
    instructions = TextAreaField(label=_("Instructions"), max_length=MAX_TEXT_CHARS, required=False)
    due_at = forms.DateTimeField(
        label=_("Due"),
        help_text=_("For example 2025-06-30 17:00"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    max_marks = forms.IntegerField(label=_("Maximum marks"), min_value=1, max_value=1000)
    category = forms.ChoiceField(label=_("Counts towards"), choices=Assignment.Category.choices)
    allow_late = forms.BooleanField(label=_("Accept late work (marked late)"), required=False)


class AttendanceForm(forms.Form):
    """One radio group per enrolled student, named by pseudonym; everyone present by default."""

    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    topic = TextField(label=_("Topic"), max_length=200, required=False)

    def __init__(self, *args: Any, enrolments: list[Enrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        for enrolment in enrolments:
            self.fields[f"e_{enrolment.pk}"] = forms.ChoiceField(
                label=format_html('<span translate="no">{}</span>', enrolment.pseudonym),
                choices=AttendanceRecord.Status.choices,
                initial=AttendanceRecord.Status.PRESENT,
                widget=forms.RadioSelect,
            )

    def statuses(self) -> dict[str, str]:
        return {str(e.pk): self.cleaned_data[f"e_{e.pk}"] for e in self.enrolments}


class MarkSubmissionForm(forms.Form):
    marks = forms.IntegerField(label=_("Marks"), min_value=0, max_value=1000)
    feedback = TextAreaField(label=_("Feedback"), max_length=MAX_TEXT_CHARS, required=False)


class MarkForm(forms.Form):
    enrolment = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=Mark.Kind.choices)
    title = TextField(label=_("Title"), max_length=120)
    score = forms.IntegerField(label=_("Score"), min_value=0, max_value=100000)
    out_of = forms.IntegerField(label=_("Out of"), min_value=1, max_value=100000)


class WeightsForm(forms.Form):
    tests = forms.IntegerField(label=_("Tests (%)"), min_value=0, max_value=100)
    assignments = forms.IntegerField(label=_("Assignments (%)"), min_value=0, max_value=100)
    attendance = forms.IntegerField(label=_("Attendance (%)"), min_value=0, max_value=100)
    participation = forms.IntegerField(label=_("Participation (%)"), min_value=0, max_value=100)
    pass_percent = forms.IntegerField(label=_("Pass mark (%)"), min_value=1, max_value=100)
