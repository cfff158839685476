"""A candidate's exam: log in with the code, one question per page, save at once, resume."""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from pyithu.core.pages import citizen_page
from pyithu.education import selectors
from pyithu.education.forms import AnswerForm, ExamCodeForm
from pyithu.education.models import Answer, Attempt, Question
from pyithu.education.services import EducationError
from pyithu.education.services import exams as service

SESSION_KEY = "exam"
ANSWER_FIELDS = ("choice", "text")


def _held(request: HttpRequest) -> tuple[Attempt | None, str]:
    held = request.session.get(SESSION_KEY) or {}
    token = held.get("token", "")
    return service.current_attempt(held.get("attempt"), token), token


def _stopped(request: HttpRequest, message: Any, status: int = 400) -> HttpResponse:
    return render(request, "education/exam/stopped.html", {"message": message}, status=status)


@citizen_page
@never_cache
def exam_login(request: HttpRequest) -> HttpResponse:
    form = ExamCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = (request.session.get(SESSION_KEY) or {}).get("token") or secrets.token_urlsafe(24)
        try:
            attempt = service.start_attempt(form.cleaned_data["code"], token)
        except EducationError as exc:
            form.add_error("code", exc.message)
        else:
            request.session[SESSION_KEY] = {"attempt": str(attempt.pk), "token": token}
            return redirect("education:exam_question", n=attempt.position)
    status = 400 if request.method == "POST" else 200
    return render(request, "education/exam/login.html", {"form": form}, status=status)


@citizen_page(example=lambda: {"n": 1})
@never_cache
def exam_question(request: HttpRequest, n: int) -> HttpResponse:
    attempt, token = _held(request)
    if attempt is None:
        return _stopped(
            request, _("No exam is open in this browser. Log in with your exam code."), 200
        )
    n = max(n, 1)
    if request.method == "POST":
        # The hot path: no need for the whole order to save one answer.
        return _save(request, attempt, token, n)
    order = selectors.question_order(attempt)
    if n > len(order):
        return redirect("education:exam_review")
    question_id = str(order[n - 1])
    question = Question.objects.get(pk=question_id)
    saved = Answer.objects.filter(attempt=attempt, question=question).first()
    initial: dict[str, Any] = {"question": question_id}
    if saved is not None:
        initial.update(choice=saved.choice, text=saved.text)
    form = AnswerForm(
        initial=initial, question=question, order=selectors.option_order(attempt, question)
    )
    return _page(request, attempt, question, form, n, len(order))


def _save(request: HttpRequest, attempt: Attempt, token: str, n: int) -> HttpResponse:
    item = service.paper_item(attempt, request.POST.get("question", ""))
    if item is None:
        return _stopped(request, service.refuse_foreign_question(attempt).message)
    question = item.question
    form = AnswerForm(
        request.POST, question=question, order=selectors.option_order(attempt, question)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            service.save_answer(
                attempt,
                token,
                item,
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
    count = len(selectors.question_order(attempt))
    return _page(request, attempt, question, form, n, count, status=400)


def _page(
    request: HttpRequest,
    attempt: Attempt,
    question: Question,
    form: AnswerForm,
    n: int,
    count: int,
    status: int = 200,
) -> HttpResponse:
    left = max(0, int((attempt.deadline - timezone.now()).total_seconds() // 60))
    context = {
        "attempt": attempt,
        "question": question,
        "form": form,
        "n": n,
        "count": count,
        "minutes_left": left,
        "previous": n - 1 if n > 1 else None,
    }
    return render(request, "education/exam/question.html", context, status=status)


@citizen_page
@never_cache
def exam_review(request: HttpRequest) -> HttpResponse:
    attempt, token = _held(request)
    if attempt is None:
        return _stopped(
            request, _("No exam is open in this browser. Log in with your exam code."), 200
        )
    order = selectors.question_order(attempt)
    done = selectors.answered_ids(attempt)
    rows = [(i + 1, qid in done) for i, qid in enumerate(order)]
    if request.method == "POST":
        try:
            service.hand_in(attempt, token)
        except EducationError as exc:
            return _stopped(request, exc.message)
        request.session.pop(SESSION_KEY, None)
        return render(request, "education/exam/handed_in.html", {"answered": len(done)})
    return render(
        request,
        "education/exam/review.html",
        {"attempt": attempt, "rows": rows, "answered": len(done), "count": len(order)},
    )


@citizen_page
@never_cache
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
