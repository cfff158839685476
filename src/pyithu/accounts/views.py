from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

import segno
from django import forms
from django.apps import apps as django_apps
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
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
from pyithu.core.desks import desks_for, unit_label
from pyithu.core.i18n import localized
from pyithu.core.pages import citizen_page

PENDING = "pending_staff"
PENDING_SECONDS = 300
T = TypeVar("T")


def _submitted(
    request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], T]
) -> T | None:
    """On a valid POST run the service; a refusal goes back on the form beside its input.

    Returns the service's (truthy) result, or None when there is nothing to act on yet.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except services.AccountError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    except ValidationError as exc:  # the passphrase validators
        form.add_error("passphrase" if "passphrase" in form.fields else None, exc)
    return None


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("accounts:home")


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A form page: 200 when first shown, 400 when a submission was refused."""
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@citizen_page
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    created = _submitted(
        request,
        form,
        lambda d: services.create_citizen_account(
            d["handle"], d["passphrase"], contact=d["contact"], language=d["language"]
        ),
    )
    if created:
        user, codes = created
        services.log_in(request, user)
        # The codes are shown in this response only; they are never stored in plaintext.
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "new": True})
    return _render(request, "accounts/signup.html", {"form": form})


@citizen_page
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    user = _submitted(
        request, form, lambda d: services.check_passphrase(request, d["handle"], d["passphrase"])
    )
    if user and not user.is_staff:
        services.log_in(request, user)
        return HttpResponseRedirect(_next_url(request))
    if user:
        # Staff are not logged in until the second factor; the session only remembers who.
        request.session.cycle_key()
        request.session[PENDING] = {
            "id": str(user.pk),
            "at": int(time.time()),
            "next": _next_url(request),
        }
        return redirect("accounts:totp" if user.has_totp else "accounts:totp_enrol")
    return _render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def _pending_staff(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending["id"], is_active=True, is_staff=True).first()


def _finish_staff_login(request: HttpRequest, user: User) -> HttpResponse:
    target = request.session.pop(PENDING, {}).get("next") or reverse("accounts:home")
    services.log_in(request, user)
    return HttpResponseRedirect(target)


def _login_expired(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("Your login took too long. Please start again."))
    return redirect("accounts:login")


@never_cache
def totp(request: HttpRequest) -> HttpResponse:
    user = _pending_staff(request)
    if user is None:
        return _login_expired(request)
    if not user.has_totp:
        return redirect("accounts:totp_enrol")
    form = TotpForm(request.POST or None)
    if _submitted(request, form, lambda d: services.check_totp(request, user, d["code"])):
        return _finish_staff_login(request, user)
    return _render(request, "accounts/totp.html", {"form": form})


@never_cache
def totp_enrol(request: HttpRequest) -> HttpResponse:
    user = _pending_staff(request)
    if user is None:
        return _login_expired(request)
    if user.has_totp:
        return redirect("accounts:totp")
    if not user.totp_secret:
        services.start_totp_enrolment(user)
    form = TotpForm(request.POST or None)
    if _submitted(request, form, lambda d: services.confirm_totp(request, user, d["code"])):
        return _finish_staff_login(request, user)
    context = {
        "form": form,
        "secret": user.totp_secret,
        "qr_svg": segno.make(services.totp_uri(user), error="m").svg_inline(scale=4),
    }
    return _render(request, "accounts/totp_enrol.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("portal:home")


@citizen_page
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    grants = list(user.role_grants.filter(revoked_at__isnull=True).select_related("township"))
    context = {
        "grants": grants,
        # Only the desks of roles held, so no link leads to a page the person may not open.
        "desks": desks_for({grant.role for grant in grants}) if user.is_staff else [],
        "codes_left": services.recovery_codes_left(user),
    }
    names = _ministry_names({grant.ministry for grant in grants})
    for grant in grants:
        grant.ministry_name = names.get(grant.ministry, grant.ministry)
        grant.unit_name = unit_label(grant.unit) if grant.unit else None
    return render(request, "accounts/home.html", context)


def _ministry_names(slugs: set[str]) -> dict[str, str]:
    """Ministry names in the reader's language (the catalogue holds them; accounts only knows
    the slugs)."""
    if not slugs or not django_apps.is_installed("pyithu.portal"):
        return {}
    ministry = django_apps.get_model("portal", "Ministry")
    return {m.slug: localized(m, "name") for m in ministry.objects.filter(slug__in=slugs)}


@citizen_page
@never_cache
@login_required
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    form = ConfirmPassphraseForm(request.POST or None)
    codes = _submitted(
        request, form, lambda d: services.reissue_recovery_codes(request.user, d["passphrase"])
    )
    if codes:
        return render(request, "accounts/recovery_codes.html", {"codes": codes})
    context = {
        "form": form,
        "title": _("New recovery codes"),
        "intro": _("Your old codes will stop working."),
    }
    return _render(request, "accounts/form_page.html", context)


@citizen_page
@never_cache
def recover(request: HttpRequest) -> HttpResponse:
    form = RecoverForm(request.POST or None)
    user = _submitted(
        request,
        form,
        lambda d: services.recover_account(
            d["handle"], d["code"], d["passphrase"], services.client_address(request)
        ),
    )
    if user:
        services.log_in(request, user)
        messages.success(request, _("Your new passphrase is set. That recovery code is used up."))
        return redirect("accounts:home")
    return _render(request, "accounts/recover.html", {"form": form})


@citizen_page
@never_cache
@login_required
def contact(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None, initial={"contact": request.user.contact})
    if _submitted(request, form, lambda d: services.set_contact(request.user, d["contact"])):
        messages.success(request, _("Saved."))
        return redirect("accounts:home")
    context = {
        "form": form,
        "title": _("How to reach you"),
        "intro": _("Optional. Stored encrypted; only staff handling your case can read it."),
    }
    return _render(request, "accounts/form_page.html", context)


@citizen_page
@never_cache
@login_required
def change_passphrase(request: HttpRequest) -> HttpResponse:
    form = PassphraseChangeForm(request.POST or None)
    changed = _submitted(
        request,
        form,
        lambda d: (
            services.change_passphrase(request.user, d["old_passphrase"], d["passphrase"]) or True
        ),
    )
    if changed:
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your passphrase is changed."))
        return redirect("accounts:home")
    return _render(
        request, "accounts/form_page.html", {"form": form, "title": _("Change passphrase")}
    )


@citizen_page
@never_cache
@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = ConfirmPassphraseForm(request.POST or None)
    if _submitted(
        request, form, lambda d: services.delete_account(request.user, d["passphrase"]) or True
    ):
        logout(request)
        messages.info(request, _("Your account is deleted."))
        return redirect("portal:home")
    context = {
        "form": form,
        "title": _("Delete my account"),
        "danger": True,
        "intro": _("This removes your account and what is sealed in it. It cannot be undone."),
    }
    return _render(request, "accounts/form_page.html", context)


def admin_login_redirect(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin has no login of its own: staff come through the two-factor login."""
    target = request.GET.get("next", reverse("admin:index"))
    return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")
