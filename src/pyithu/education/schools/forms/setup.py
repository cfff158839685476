"""Forms for staff setting up classes and exams: courses, sections, question banks,
questions, papers and sittings (plain HTML forms; no JavaScript needed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from pyithu.core.forms import TextAreaField, TextField
from pyithu.education.exams.forms import SchoolChoiceField
from pyithu.education.models import Course, Question, School


class CourseForm(forms.Form):
    school = SchoolChoiceField(label=_("School"), queryset=School.objects.none())
    code = TextField(
        label=_("Course code"),
        max_length=20,
        help_text=format_lazy('{} <span translate="no">EDU101</span>', _("For example:")),
    )
    title_en = TextField(label=_("Title (English)"), max_length=200)
    title_my = TextField(label=_("Title (Burmese)"), max_length=200, required=False)
    credits = forms.IntegerField(label=_("Credits"), min_value=0, max_value=60, initial=3)
    level = TextField(
        label=_("Level"), max_length=40, required=False, help_text=_("For example: first year")
    )
    is_final_project = forms.BooleanField(label=_("Final project"), required=False)

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.display_title()} ({obj.school.display_name()})"


class SectionForm(forms.Form):
    # Options name courses by code and title: names, not words to translate.
    course = CourseChoiceField(
        label=_("Course"),
        queryset=Course.objects.none(),
        widget=forms.Select(attrs={"translate": "no"}),
    )
    term = TextField(label=_("Term"), max_length=40, help_text=_("For example 2026 term 1"))
    teachers = TextField(
        label=_("Teachers' account names"),
        max_length=400,
        required=False,
        help_text=_("Separate names with commas or spaces."),
    )
    tests = forms.IntegerField(label=_("Tests (%)"), min_value=0, max_value=100, initial=40)
    assignments = forms.IntegerField(
        label=_("Assignments (%)"), min_value=0, max_value=100, initial=30
    )
    attendance = forms.IntegerField(
        label=_("Attendance (%)"), min_value=0, max_value=100, initial=10
    )
    participation = forms.IntegerField(
        label=_("Participation (%)"), min_value=0, max_value=100, initial=20
    )
    pass_percent = forms.IntegerField(
        label=_("Pass mark (%)"), min_value=1, max_value=100, initial=50
    )

    def __init__(self, *args: Any, courses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses

    def handles(self) -> list[str]:
        raw = (self.cleaned_data.get("teachers") or "").replace(",", " ")
        return list(dict.fromkeys(h.strip().lower() for h in raw.split() if h.strip()))


class BankForm(forms.Form):
    title = TextField(label=_("Title"), max_length=200)
    subject = TextField(label=_("Subject"), max_length=100, required=False)
    school = SchoolChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("None (a national bank)"),
    )

    def __init__(self, *args: Any, schools: Any, national: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.national = national
        if not national:
            self.fields["school"].required = True
            self.fields["school"].empty_label = None

    def clean_school(self) -> School | None:
        school = self.cleaned_data.get("school")
        if school is None and not self.national:
            raise forms.ValidationError(_("Choose the school."))
        return school


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    prompt = TextAreaField(label=_("Question"), max_length=4000)
    options = TextAreaField(
        label=_("Options (multiple choice)"),
        max_length=4000,
        required=False,
        help_text=_("One option per line."),
    )
    correct = forms.IntegerField(
        label=_("Number of the right option"),
        min_value=1,
        max_value=20,
        required=False,
        help_text=_("1 for the first option, 2 for the second ..."),
    )
    accepted = TextAreaField(
        label=_("Accepted answers (fill in the blank)"),
        max_length=4000,
        required=False,
        help_text=_("One accepted answer per line, with every spelling you accept."),
    )
    marks = forms.IntegerField(label=_("Marks"), min_value=1, max_value=100, initial=1)

    def options_list(self) -> list[str]:
        return _lines(self.cleaned_data.get("options") or "")

    def accepted_list(self) -> list[str]:
        return _lines(self.cleaned_data.get("accepted") or "")

    def correct_index(self) -> int | None:
        correct = self.cleaned_data.get("correct")
        return None if correct is None else correct - 1


class QuestionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()} · {obj.prompt[:80]} ({obj.marks})"


class PaperForm(forms.Form):
    title = TextField(label=_("Title"), max_length=200)
    questions = QuestionChoiceField(
        label=_("Questions"),
        queryset=Question.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("A paper needs at least one question.")},
    )
    minutes = forms.IntegerField(
        label=_("Time allowed (minutes)"), min_value=1, max_value=600, initial=60
    )
    pass_percent = forms.IntegerField(
        label=_("Pass mark (%)"), min_value=1, max_value=100, initial=40
    )

    def __init__(self, *args: Any, questions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = questions


class SittingForm(forms.Form):
    title = TextField(label=_("Title"), max_length=200)
    slot = TextField(
        label=_("Time slot"),
        max_length=64,
        required=False,
        help_text=_("For example morning"),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"),
        help_text=_("For example 2025-06-30 09:00"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        help_text=_("For example 2025-06-30 12:00"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
