"""What the portal's views share: form pages answering 400 on refusal, staff checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.portal.services.errors import Refusal


def render_form_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int | None = None
) -> HttpResponse:
    """A form page: 200 when first shown, 400 when a submission was refused."""
    if status is None:
        status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


def put_on_form(form: forms.Form, refusal: Refusal) -> None:
    field = refusal.field if refusal.field in form.fields else None
    form.add_error(field, str(refusal.message))


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in staff (after the second step) only; ministry checks are the view's own."""

    @wraps(view)
    def check(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return check


def require_operator(user: Any, ministry_slug: str) -> None:
    if not has_role(user, Role.OPERATOR, ministry=ministry_slug):
        raise PermissionDenied


def posted(request: HttpRequest, *, files: bool = False) -> tuple[Any, ...]:
    """A form's data arguments: the submission on POST (even an empty one), else unbound."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)
