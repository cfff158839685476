"""Every form post is done once, however many times it arrives (decision 0086).

Each POST form carries a one-time token in a hidden field (``form_once``), added beside the
CSRF token by ``{% csrf_token %}`` itself (``core.templatetags.once``), so no template can
forget it. The first post with a token claims it (a row keyed by a keyed digest of the token)
before the view runs; a later post with the same token is answered without running the view
again: a redirect goes where the first one went, any other success that wrote something says
it was received already. A refused form (4xx), a failure (5xx, an exception) or a page that
wrote nothing (a confirm step, a look-up) gives the token back, so the person can correct and
send again. A claim left by a server killed mid-request is taken over
after ``PYITHU_FORM_CLAIM_SECONDS`` (longer than
an app server lets a request run).

This is what makes a post kept on a phone while the link was down (the service worker,
``core/static/core/sw.js``) and sent again later, a double tap on a slow link, or a client
retrying after nginx answered 502 safe: the work is done once.
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html

from pyithu.core import sealing

FIELD = "form_once"
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
KEEP = timedelta(days=1)


def new_token() -> str:
    return secrets.token_hex(16)


def hidden_input() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


class OnceMiddleware:
    """Runs each view for a token-bearing POST at most once (after CSRF has passed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method != "POST":
            return None
        token = request.POST.get(FIELD, "")
        if not TOKEN_RE.match(token):
            return None
        from pyithu.core.models import SubmittedForm

        digest = sealing.digest("form-once", token)
        claim = _claim(digest)
        if claim is not None:
            return _answer_again(request, claim)
        writes = _Writes()
        try:
            with connection.execute_wrapper(writes):
                response = view(request, *args, **kwargs)
        except BaseException:
            SubmittedForm.objects.filter(key_digest=digest).delete()
            raise
        if 300 <= response.status_code < 400 and response.has_header("Location"):
            # The location may hold a code: the field seals it (update() prepares it too).
            SubmittedForm.objects.filter(key_digest=digest).update(
                done=True, location=response["Location"], updated_at=timezone.now()
            )
        elif response.status_code < 300 and writes.seen:
            SubmittedForm.objects.filter(key_digest=digest).update(
                done=True, updated_at=timezone.now()
            )
        else:
            SubmittedForm.objects.filter(key_digest=digest).delete()
        return response


class _Writes:
    """Notices whether a view changed anything. A post answered 200 that wrote nothing (a
    confirm step, a look-up) gives its token back, so going back and sending it again shows
    that page again; one that wrote (a booking showing its code once) is done."""

    # Bookkeeping that is not the work: throttle reservations, sessions, these claims.
    NOT_WORK = ("accounts_loginfailure", "django_session", "core_submittedform")

    def __init__(self) -> None:
        self.seen = False

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if (
            not self.seen
            and sql.lstrip()[:6].upper() in {"INSERT", "UPDATE", "DELETE"}
            and not any(table in sql for table in self.NOT_WORK)
        ):
            self.seen = True
        return execute(sql, params, many, context)


def _claim(digest: str) -> Any:
    """None when this post is the first (the token is now ours), else the earlier claim."""
    from pyithu.core.models import SubmittedForm

    if random.random() < 0.01:  # noqa: S311 (when to tidy up, not a secret)
        SubmittedForm.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    try:
        with transaction.atomic():
            SubmittedForm.objects.create(key_digest=digest)
        return None
    except IntegrityError:
        pass
    earlier = SubmittedForm.objects.filter(key_digest=digest).first()
    if earlier is None:  # given back between our insert and our read: try once more
        try:
            with transaction.atomic():
                SubmittedForm.objects.create(key_digest=digest)
            return None
        except IntegrityError:
            return SubmittedForm.objects.filter(key_digest=digest).first()
    stale = timezone.now() - timedelta(seconds=settings.PYITHU_FORM_CLAIM_SECONDS)
    # A claim still running after PYITHU_FORM_CLAIM_SECONDS: its server died mid-request (its
    # transaction rolled back), so take it over, once (a conditional update: one taker).
    if (
        not earlier.done
        and earlier.updated_at < stale
        and SubmittedForm.objects.filter(
            pk=earlier.pk, done=False, updated_at=earlier.updated_at
        ).update(updated_at=timezone.now())
    ):
        return None
    return earlier


def _answer_again(request: HttpRequest, claim: Any) -> HttpResponse:
    if claim.done and claim.location:
        return HttpResponseRedirect(claim.location, status=303)
    status = 200 if claim.done else 409
    response = render(request, "core/received.html", {"done": claim.done}, status=status)
    if not claim.done:
        response["Retry-After"] = "5"
    return response
