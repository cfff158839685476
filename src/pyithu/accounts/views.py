from __future__ import annotations

import time
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pyithu.accounts import services
from pyithu.accounts.forms import (
    ConfirmPassphraseForm,
    ContactForm,
    LoginForm,
    PassphraseChangeForm,
    RecoverForm,
    SignupForm,
    TotpForm,
)
from pyithu.accounts.models import User
from pyithu.core.pages import citizen_page

PENDING = "pending_staff"
PENDING_SECONDS = 300


def _refuse(
    form: forms.Form,
    exc: services.AccountError | ValidationError,
    status: int = 400,
    *,
    field: str | None = None,
) -> None:
    """Put a service refusal on the form, next to the input it concerns."""
    if isinstance(exc, ValidationError):
        form.add_error(field, exc)
    else:
        target = exc.field if exc.field in form.fields else None
        form.add_error(target, exc.message)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("accounts:home")


def _render(request: HttpRequest, template: str, context: dict[str, Any], ok: bool) -> HttpResponse:
    return render(request, template, context, status=200 if ok else 400)


@citizen_page
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            user, codes = services.create_citizen_account(
                form.cleaned_data["handle"],
                form.cleaned_data["passphrase"],
                contact=form.cleaned_data["contact"],
                language=form.cleaned_data["language"],
            )
        except services.AccountError as exc:
            _refuse(form, exc)
        except ValidationError as exc:
            _refuse(form, exc, field="passphrase")
        else:
            login(request, user)
            # The codes are shown in this response only; they are never stored in plaintext.
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "new": True})
    return _render(request, "accounts/signup.html", {"form": form}, request.method != "POST")


@citizen_page
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.check_passphrase(
                request, form.cleaned_data["handle"], form.cleaned_data["passphrase"]
            )
        except services.AccountError as exc:
            _refuse(form, exc)
        else:
            if not user.is_staff:
                services.login_succeeded(request, user)
                login(request, user)
                return HttpResponseRedirect(_next_url(request))
            # Staff are not logged in until the second factor; the session only remembers who.
            request.session.cycle_key()
            request.session[PENDING] = {
                "id": str(user.pk),
                "at": int(time.time()),
                "next": _next_url(request),
            }
            return redirect("accounts:totp" if user.has_totp else "accounts:totp_enrol")
    context = {"form": form, "next": request.GET.get("next", "")}
    return _render(request, "accounts/login.html", context, request.method != "POST")


def _pending_staff(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending["id"], is_active=True, is_staff=True).first()


def _finish_staff_login(request: HttpRequest, user: User) -> HttpResponse:
    target = request.session.pop(PENDING, {}).get("next") or reverse("accounts:home")
    services.login_succeeded(request, user)
    login(request, user)
    return HttpResponseRedirect(target)


@never_cache
def totp(request: HttpRequest) -> HttpResponse:
    user = _pending_staff(request)
    if user is None:
        messages.error(request, _("Your login took too long. Please start again."))
        return redirect("accounts:login")
    if not user.has_totp:
        return redirect("accounts:totp_enrol")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_totp(request, user, form.cleaned_data["code"])
        except services.AccountError as exc:
            _refuse(form, exc)
        else:
            return _finish_staff_login(request, user)
    return _render(request, "accounts/totp.html", {"form": form}, request.method != "POST")


@never_cache
def totp_enrol(request: HttpRequest) -> HttpResponse:
    user = _pending_staff(request)
    if user is None:
        messages.error(request, _("Your login took too long. Please start again."))
        return redirect("accounts:login")
    if user.has_totp:
        return redirect("accounts:totp")
    if not user.totp_secret:
        services.start_totp_enrolment(user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_totp(request, user, form.cleaned_data["code"])
        except services.AccountError as exc:
            _refuse(form, exc)
        else:
            return _finish_staff_login(request, user)
    uri = services.totp_uri(user)
    context = {
        "form": form,
        "secret": user.totp_secret,
        "qr_svg": segno.make(uri, error="m").svg_inline(scale=4),
    }
    return _render(request, "accounts/totp_enrol.html", context, request.method != "POST")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("portal:home")


@citizen_page
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context = {
        "grants": user.role_grants.filter(revoked_at__isnull=True),
        "codes_left": services.recovery_codes_left(user),
    }
    return render(request, "accounts/home.html", context)


@citizen_page
@never_cache
@login_required
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    form = ConfirmPassphraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["passphrase"]):
            codes = services.issue_recovery_codes(request.user)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error("passphrase", _("The passphrase is not right."))
    title = _("New recovery codes")
    context = {"form": form, "title": title, "intro": _("Your old codes will stop working.")}
    return _render(request, "accounts/form_page.html", context, request.method != "POST")


@citizen_page
@never_cache
def recover(request: HttpRequest) -> HttpResponse:
    form = RecoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.recover_account(
                form.cleaned_data["handle"],
                form.cleaned_data["code"],
                form.cleaned_data["passphrase"],
                services.client_address(request),
            )
        except services.AccountError as exc:
            _refuse(form, exc)
        except ValidationError as exc:
            _refuse(form, exc, field="passphrase")
        else:
            login(request, user)
            messages.success(
                request, _("Your new passphrase is set. That recovery code is used up.")
            )
            return redirect("accounts:home")
    return _render(request, "accounts/recover.html", {"form": form}, request.method != "POST")


@citizen_page
@never_cache
@login_required
def contact(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None, initial={"contact": request.user.contact})
    if request.method == "POST" and form.is_valid():
        services.set_contact(request.user, form.cleaned_data["contact"])
        messages.success(request, _("Saved."))
        return redirect("accounts:home")
    context = {
        "form": form,
        "title": _("How to reach you"),
        "intro": _("Optional. Stored encrypted; only staff handling your case can read it."),
    }
    return _render(request, "accounts/form_page.html", context, request.method != "POST")


@citizen_page
@never_cache
@login_required
def change_passphrase(request: HttpRequest) -> HttpResponse:
    form = PassphraseChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_passphrase(
                request.user, form.cleaned_data["old_passphrase"], form.cleaned_data["passphrase"]
            )
        except services.AccountError as exc:
            _refuse(form, exc)
        except ValidationError as exc:
            _refuse(form, exc, field="passphrase")
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your passphrase is changed."))
            return redirect("accounts:home")
    context = {"form": form, "title": _("Change passphrase")}
    return _render(request, "accounts/form_page.html", context, request.method != "POST")


@citizen_page
@never_cache
@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = ConfirmPassphraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(request.user, form.cleaned_data["passphrase"])
        except services.AccountError as exc:
            _refuse(form, exc)
        else:
            logout(request)
            messages.info(request, _("Your account is deleted."))
            return redirect("portal:home")
    context = {
        "form": form,
        "title": _("Delete my account"),
        "danger": True,
        "intro": _("This removes your account and what is sealed in it. It cannot be undone."),
    }
    return _render(request, "accounts/form_page.html", context, request.method != "POST")


def admin_login_redirect(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin has no login of its own: staff come through the two-factor login."""
    target = request.GET.get("next", reverse("admin:index"))
    return HttpResponseRedirect(f"{reverse('accounts:login')}?next={target}")
