"""A candidate's exam: log in with the code, one question per page, save at once, resume.

What the device holds (attempt, paper, deadline, its token) is kept in a signed cookie at login
(``exam_session``, decision 0035) and the paper's questions are cached per process, so a page
or a save reads neither a session, the attempt nor the paper: a save is one conditional update
and one upsert, a page one read of the saved answer.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from pyithu.accounts.decorators import counts_code_lookups
from pyithu.core import once
from pyithu.core.context_processors import FONT_COOKIE
from pyithu.core.digits import local_digits
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
            response = redirect("education:exam_question", n=attempt.position)
            exam_session.hold_in_cookie(response, attempt, token)
            return response
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
    rows = list(
        Answer.objects.filter(attempt_id=held.attempt_id, question_id=question.pk)
        .values_list("choice", "text")
        .order_by()[:1]  # unique (attempt, question): no ORDER BY, no join for it
    )
    saved = rows[0] if rows else None
    initial: dict[str, Any] = {"question": str(question.pk)}
    if saved is not None:
        initial.update(choice=saved[0], text=saved[1])
    return _page(request, held, question, _blank_form(held, question, initial), n)


# The unbound answer form as HTML, by question, option order, saved choice and language: the
# same few thousand forms are drawn for every candidate, so each process draws each once.
# A saved written answer is never kept here (it is the candidate's, and sealed at rest).
_drawn: dict[tuple[Any, ...], str] = {}


def _blank_form(held: Held, question: Question, initial: dict[str, Any]) -> Any:
    order = selectors.options_in_order(held.attempt_id, held.shuffle, question)
    if initial.get("text"):
        return AnswerForm(question=question, order=order, initial=initial)
    key = (question.pk, tuple(order), initial.get("choice"), get_language())
    html = _drawn.get(key)
    if html is None:
        html = str(AnswerForm(question=question, order=order, initial=initial))
        if len(_drawn) >= 20_000:
            _drawn.clear()
        _drawn[key] = html
    return mark_safe(html)  # the form drew (and escaped) it


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
    form: Any,
    n: int,
    status: int = 200,
) -> HttpResponse:
    left = max(0, int((held.deadline - timezone.now()).total_seconds() // 60))
    if status == 200:
        page = _cached_page(request, question, form, n, held.count, left)
        if page is not None:
            return page
    context = {
        "question": question,
        "form": form,
        "n": n,
        "count": held.count,
        "minutes_left": left,
        "previous": n - 1 if n > 1 else None,
    }
    return render(request, "education/exam/question.html", context, status=status)


# The question page drawn once per process with stand-in numbers and slots, by question,
# paper length, first-or-not, language and font; each request then fills in its position,
# minutes, CSRF token, one-time form token (``core.once``) and form (decision 0035). What
# could differ between candidates beyond those (a signed-in user's name, a message, a query
# string, the singular "1 minute") is drawn in full instead.
_N, _LEFT = 531807, 264019
_CSRF, _FORM, _ONCE = "pyithuslotcsrf", "pyithuslotform", "pyithuslotonce"
_SLOTS = [str(_N), str(_N - 1), str(_N + 1), str(_LEFT), _CSRF, _FORM, _ONCE]
_SLOTS += [str(local_digits(_N, "my")), str(local_digits(_LEFT, "my"))]
_SLOT = re.compile(r"(?<![0-9\u1040-\u1049])(" + "|".join(_SLOTS) + r")(?![0-9\u1040-\u1049])")
# The one-time token {% csrf_token %} writes beside the CSRF token: drawn once it would be
# shared by every candidate shown this page, and a second candidate's save would be answered
# as the first one's. It becomes a slot, filled with a fresh token per request.
_ONCE_TOKEN = re.compile(r'(name="' + once.FIELD + r'" value=")[0-9a-f]{32}(")')
_pages: dict[tuple[Any, ...], list[str]] = {}


def _cached_page(
    request: HttpRequest, question: Question, form: Any, n: int, count: int, left: int
) -> HttpResponse | None:
    if (
        left == 1
        or request.META.get("QUERY_STRING")
        or request.user.is_authenticated
        or len(get_messages(request))
        or _SLOT.search(question.prompt)
    ):
        return None
    lang = get_language()
    font = request.COOKIES.get(FONT_COOKIE) == "1"
    key = (question.pk, question.prompt, count, n > 1, lang, font)
    parts = _pages.get(key)
    if parts is None:
        context = {
            "question": question,
            "form": mark_safe(_FORM),
            "n": _N,
            "count": count,
            "minutes_left": _LEFT,
            "previous": _N - 1 if n > 1 else None,
            "csrf_token": _CSRF,
        }
        # The footer's links carry the page's path: draw it with the stand-in position too.
        stand_in = copy.copy(request)
        stand_in.path = stand_in.path_info = reverse("education:exam_question", args=[_N])
        context["request"] = stand_in
        html = render_to_string("education/exam/question.html", context, request)
        parts = _SLOT.split(_ONCE_TOKEN.sub(r"\g<1>" + _ONCE + r"\g<2>", html))
        if len(_pages) >= 5_000:
            _pages.clear()
        _pages[key] = parts
    values = {
        str(_N): str(n),
        str(_N - 1): str(n - 1),
        str(_N + 1): str(n + 1),
        str(_LEFT): str(left),
        str(local_digits(_N, "my")): str(local_digits(n)),
        str(local_digits(_LEFT, "my")): str(local_digits(left)),
        _CSRF: get_token(request),
        _ONCE: once.new_token(),
        _FORM: str(form),
    }
    body = "".join(part if i % 2 == 0 else values[part] for i, part in enumerate(parts))
    return HttpResponse(body)


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
        response = render(request, "education/exam/handed_in.html", {"answered": len(done)})
        exam_session.release(request, response)
        return response
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
