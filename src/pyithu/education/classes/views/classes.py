"""Students' pages: my classes, a class, a lesson, handing in work, progress and transcripts.

Pages with an id in the address answer 404 to anyone who is not in the class (or teaching it),
so an id reveals nothing. Files are served only through these views, never by URL.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import segno
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pyithu.core.pages import citizen_page
from pyithu.education.certificates import signing
from pyithu.education.classes.forms import ExamLinkForm, SubmitForm, TranscriptForm
from pyithu.education.classes.services import classes as service
from pyithu.education.classes.services import grades, programmes
from pyithu.education.errors import EducationError
from pyithu.education.models import (
    Assignment,
    Lesson,
    Programme,
    Section,
    Submission,
    Transcript,
)


def _section_for(request: HttpRequest, section_id: UUID) -> Section:
    section = Section.objects.select_related("course__school").filter(pk=section_id).first()
    if section is None or not service.can_read(request.user, section):
        raise Http404
    return section


def _file(field: Any, name: str, content_type: str) -> FileResponse:
    response = FileResponse(field.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name or "file"}"'
    return response


@citizen_page
@login_required
@never_cache
def my_classes(request: HttpRequest) -> HttpResponse:
    enrolments = request.user.enrolments.select_related("section__course__school").order_by(
        "-created_at"
    )
    rows = [(e, service.attendance_of(e)) for e in enrolments]
    places = request.user.programmes.select_related("programme__school")
    return render(request, "education/classes/mine.html", {"rows": rows, "places": places})


@login_required
@never_cache
def section(request: HttpRequest, section_id: UUID) -> HttpResponse:
    """A class as its student sees it: lessons, assignments, attendance and the grade so far."""
    current = _section_for(request, section_id)
    enrolment = service.enrolment_of(request.user, current)
    if enrolment is None:  # a teacher
        return redirect("education:teach_section", section_id=current.pk)
    form = ExamLinkForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                service.link_exam_result(enrolment, form.cleaned_data["code"], request.user)
                return redirect("education:class", section_id=current.pk)
            except EducationError as exc:
                form.add_error("code", exc.message)
    mine = {
        s.assignment_id: s for s in request.user.submissions.filter(assignment__section=current)
    }
    context = {
        "section": current,
        "enrolment": enrolment,
        "grade": grades.grade_of(enrolment),
        "lessons": current.lessons.only("pk", "title", "created_at"),
        "assignments": [(a, mine.get(a.pk)) for a in current.assignments.all()],
        "form": form,
    }
    return render(request, "education/classes/section.html", context, status=status)


@login_required
def lesson(request: HttpRequest, lesson_id: UUID) -> HttpResponse:
    item = Lesson.objects.select_related("section__course").filter(pk=lesson_id).first()
    if item is None or not service.can_read(request.user, item.section):
        raise Http404
    return render(request, "education/classes/lesson.html", {"lesson": item})


@login_required
def lesson_file(request: HttpRequest, lesson_id: UUID) -> FileResponse:
    item = Lesson.objects.select_related("section__course__school").filter(pk=lesson_id).first()
    if item is None or not item.attachment or not service.can_read(request.user, item.section):
        raise Http404
    return _file(item.attachment, item.attachment_name, item.attachment_type)


@login_required
@never_cache
def assignment(request: HttpRequest, assignment_id: UUID) -> HttpResponse:
    """Read the task, hand in work (or replace it before the due time), read the feedback."""
    task = (
        Assignment.objects.select_related("section__course__school")
        .filter(pk=assignment_id)
        .first()
    )
    if task is None or service.enrolment_of(request.user, task.section) is None:
        raise Http404
    form = SubmitForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                service.submit(
                    task, request.user, form.cleaned_data["text"] or "", form.cleaned_data["file"]
                )
                return redirect("education:assignment", assignment_id=task.pk)
            except EducationError as exc:
                form.add_error(exc.field or "text", exc.message)
    current = Submission.objects.filter(assignment=task, student=request.user).first()
    if current is not None and request.method != "POST":
        form = SubmitForm(initial={"text": current.text})
    context = {"task": task, "submission": current, "form": form}
    return render(request, "education/classes/assignment.html", context, status=status)


@login_required
def submission_file(request: HttpRequest, submission_id: UUID) -> FileResponse:
    """The student who handed it in, and the class's teachers, may download it."""
    work = (
        Submission.objects.select_related("assignment__section__course__school")
        .filter(pk=submission_id)
        .first()
    )
    if work is None or not work.file:
        raise Http404
    if work.student_id != request.user.pk and not service.can_teach(
        request.user, work.assignment.section
    ):
        raise Http404
    return _file(work.file, work.file_name, work.file_type)


@citizen_page
@login_required
@never_cache
def progress(request: HttpRequest) -> HttpResponse:
    """Each programme the student is in: rules met and missing, credits, transcripts."""
    states = [
        programmes.progress(request.user, place.programme)
        for place in request.user.programmes.select_related("programme__school")
    ]
    transcripts = Transcript.objects.filter(student=request.user).select_related(
        "certificate", "programme"
    )
    context = {"states": states, "transcripts": transcripts, "form": TranscriptForm()}
    return render(request, "education/classes/progress.html", context)


@login_required
@require_POST
def transcript_issue(request: HttpRequest, programme_id: UUID) -> HttpResponse:
    programme = Programme.objects.select_related("school").filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    form = TranscriptForm(request.POST)
    if form.is_valid():
        try:
            cert = programmes.issue_transcript(
                request.user,
                programme,
                show_name=form.cleaned_data["show_name"],
                name=form.cleaned_data["name"] or "",
            )
            return redirect("education:transcript", cert_id=cert.pk)
        except EducationError as exc:
            form.add_error(exc.field, exc.message)
    states = [programmes.progress(request.user, programme)]
    transcripts = Transcript.objects.filter(student=request.user).select_related("certificate")
    context = {"states": states, "transcripts": transcripts, "form": form, "failed": programme}
    return render(request, "education/classes/progress.html", context, status=400)


@login_required
def transcript(request: HttpRequest, cert_id: UUID) -> HttpResponse:
    """The holder's transcript, printable, with its QR code and signed text."""
    record = (
        Transcript.objects.select_related("certificate__school", "programme")
        .filter(certificate_id=cert_id, student=request.user)
        .first()
    )
    if record is None:
        raise Http404
    cert = record.certificate
    payload = signing.verify_text(cert.signed_text)
    try:
        qr = mark_safe(segno.make(cert.signed_text, error="l").svg_inline(scale=2))
    except segno.DataOverflowError:  # a very long transcript: the text still verifies
        qr = ""
    context = {"cert": cert, "courses": payload.get(signing.COURSES, []), "qr": qr}
    return render(request, "education/classes/transcript.html", context)
