"""A candidate's exam: log in with the code, one question per page, save at once, resume.

What the device holds (attempt, paper, deadline, its order of questions) is kept in the
session at login (``exam_session``), so a page or a save reads neither the attempt nor the
paper: a save is the session, the question, one conditional update and one upsert.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from pyithu.accounts.decorators import counts_code_lookups
from pyithu.core.pages import citizen_page
from pyithu.education import selectors
from pyithu.education.errors import EducationError
from pyithu.education.exams import session as exam_session
from pyithu.education.exams.forms import AnswerForm, ExamCodeForm
from pyithu.education.exams.services import exams as service
from pyithu.education.exams.session import Held
from pyithu.education.models import Answer, Attempt, Question

SESSION_KEY = exam_session.SESSION_KEY
ANSWER_FIELDS = ("choice", "text")


def _stopped(request: HttpRequest, message: Any, status: int = 400) -> HttpResponse:
    return render(request, "education/exam/stopped.html", {"message": message}, status=status)


def _no_exam(request: HttpRequest) -> HttpResponse:
    return _stopped(request, _("No exam is open in this browser. Log in with your exam code."), 200)


@citizen_page
@never_cache
@counts_code_lookups("edu-exam-code")
def exam_login(request: HttpRequest) -> HttpResponse:
    form = ExamCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = exam_session.device_token(request)
        try:
            attempt = service.start_attempt(form.cleaned_data["code"], token)
        except EducationError as exc:
            form.add_error("code", exc.message)
        else:
            exam_session.hold(request, attempt, token)
            return redirect("education:exam_question", n=attempt.position)
    status = 400 if request.method == "POST" else 200
    return render(request, "education/exam/login.html", {"form": form}, status=status)


@citizen_page(example=lambda: {"n": 1})
@never_cache
def exam_question(request: HttpRequest, n: int) -> HttpResponse:
    held = exam_session.held(request)
    if held is None:
        return _no_exam(request)
    n = max(n, 1)
    if request.method == "POST":
        return _save(request, held, n)
    question_id = held.question_at(n)
    if question_id is None:
        return redirect("education:exam_review")
    question = service.question_in_paper(held.paper_id, question_id)
    if question is None:  # the paper changed under a running sitting
        return _stopped(request, _("This question is no longer part of your paper."))
    saved = (
        Answer.objects.filter(attempt_id=held.attempt_id, question_id=question.pk)
        .values_list("choice", "text")
        .first()
    )
    initial: dict[str, Any] = {"question": str(question.pk)}
    if saved is not None:
        initial.update(choice=saved[0], text=saved[1])
    form = _form(held, question, initial=initial)
    return _page(request, held, question, form, n)


def _form(held: Held, question: Question, **kwargs: Any) -> AnswerForm:
    order = selectors.options_in_order(held.attempt_id, held.shuffle, question)
    return AnswerForm(question=question, order=order, **kwargs)


def _save(request: HttpRequest, held: Held, n: int) -> HttpResponse:
    """The hot path (see decision 0030): committed before the redirect is sent."""
    question = service.question_in_paper(held.paper_id, request.POST.get("question", ""))
    if question is None:
        return _stopped(request, service.refuse_foreign_question(_attempt(held)).message)
    form = _form(held, question, data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            service.record_answer(
                held.attempt_id,
                held.token,
                question,
                choice=data.get("choice"),
                text=data.get("text") or "",
                next_position=n + 1,
            )
        except EducationError as exc:
            if exc.field not in ANSWER_FIELDS:
                return _stopped(request, exc.message)
            form.add_error(exc.field, exc.message)
        else:
            return redirect("education:exam_question", n=n + 1)
    return _page(request, held, question, form, n, status=400)


def _attempt(held: Held) -> Attempt:
    return Attempt.objects.select_related("candidate").get(pk=held.attempt_id)


def _page(
    request: HttpRequest,
    held: Held,
    question: Question,
    form: AnswerForm,
    n: int,
    status: int = 200,
) -> HttpResponse:
    left = max(0, int((held.deadline - timezone.now()).total_seconds() // 60))
    context = {
        "question": question,
        "form": form,
        "n": n,
        "count": held.count,
        "minutes_left": left,
        "previous": n - 1 if n > 1 else None,
    }
    return render(request, "education/exam/question.html", context, status=status)


@citizen_page
@never_cache
def exam_review(request: HttpRequest) -> HttpResponse:
    held = exam_session.held(request)
    if held is None:
        return _no_exam(request)
    answered = Answer.objects.filter(attempt_id=held.attempt_id).values_list(
        "question_id", flat=True
    )
    done = {q.hex for q in answered}
    rows = [(i + 1, qid in done) for i, qid in enumerate(held.order)]
    if request.method == "POST":
        try:
            service.hand_in(_attempt(held), held.token)
        except EducationError as exc:
            return _stopped(request, exc.message)
        exam_session.release(request)
        return render(request, "education/exam/handed_in.html", {"answered": len(done)})
    return render(
        request,
        "education/exam/review.html",
        {"rows": rows, "answered": len(done), "count": held.count},
    )


@citizen_page
@never_cache
@counts_code_lookups("edu-exam-code")
def exam_result(request: HttpRequest) -> HttpResponse:
    form = ExamCodeForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = service.result_for_code(form.cleaned_data["code"])
        except EducationError as exc:
            form.add_error("code", exc.message)
    status = 400 if request.method == "POST" and result is None else 200
    return render(
        request, "education/exam/result.html", {"form": form, "result": result}, status=status
    )
