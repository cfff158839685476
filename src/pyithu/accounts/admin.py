from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pyithu.accounts import services
from pyithu.accounts.models import ApiToken, RoleGrant, User
from pyithu.core.admin import AuditedAdmin


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ["role", "ministry", "unit", "township", "revoked_at"]
    autocomplete_fields = ["township"]


@admin.register(User)
class UserAdmin(AuditedAdmin):
    list_display = ["handle", "is_staff", "is_active", "created_at"]
    list_filter = ["is_staff", "is_active"]
    search_fields = ["handle"]
    # Sealed fields and secrets are never shown or edited here.
    fields = ["handle", "is_active", "is_staff", "language"]
    readonly_fields = ["handle"]
    inlines = [RoleGrantInline]
    actions = ["reset_two_factor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # staff are created with `pyithu staff create`, citizens sign up themselves

    @admin.action(description=_("Reset two-factor login (the person enrols again)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.reset_totp(user, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Two-factor login reset."))


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["name", "prefix", "user", "last_used_at", "expires_at", "revoked_at"]
    fields = ["name", "prefix", "user", "last_used_at", "expires_at", "revoked_at"]
    readonly_fields = ["prefix", "user", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("user")
