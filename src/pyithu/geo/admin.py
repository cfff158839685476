"""Operators add, rename and retire administrative units here, without a code change.

Units are never deleted (other records point at them): retiring one (unticking "active")
removes it from pickers and searches while old records keep it.
"""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pyithu.core.admin import AuditedAdmin
from pyithu.geo.models import AdminUnit, District, StateRegion, Township
from pyithu.geo.services import set_units_active


class AdminUnitAdmin(AuditedAdmin):
    search_fields = ["pcode", "name_en", "name_my"]
    actions = ["retire", "reactivate"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A P-code is the unit's identity in other systems and in the data files: renaming
        # one would make the next load create the unit again.
        return ["pcode"] if obj is not None else []

    @admin.action(description=_("Retire selected units"), permissions=["change"])
    def retire(self, request: HttpRequest, queryset: QuerySet[AdminUnit]) -> None:
        self._set_active(request, queryset, active=False)

    @admin.action(description=_("Reactivate selected units"), permissions=["change"])
    def reactivate(self, request: HttpRequest, queryset: QuerySet[AdminUnit]) -> None:
        self._set_active(request, queryset, active=True)

    def _set_active(
        self, request: HttpRequest, queryset: QuerySet[AdminUnit], *, active: bool
    ) -> None:
        changed = set_units_active(queryset, active=active, actor=request.user)
        message = ngettext("%(count)d unit changed.", "%(count)d units changed.", changed)
        self.message_user(request, message % {"count": changed}, messages.SUCCESS)


@admin.register(StateRegion)
class StateRegionAdmin(AdminUnitAdmin):
    list_display = ["pcode", "name_en", "name_my", "sort_order", "is_active"]
    list_filter = ["is_active"]
    ordering = ["sort_order", "pcode"]


@admin.register(District)
class DistrictAdmin(AdminUnitAdmin):
    list_display = ["pcode", "name_en", "name_my", "state", "raw_state_pcode", "is_active"]
    list_filter = ["state", "is_active"]
    list_select_related = ["state"]


@admin.register(Township)
class TownshipAdmin(AdminUnitAdmin):
    list_display = [
        "pcode",
        "name_en",
        "name_my",
        "district",
        "state",
        "is_sub_township",
        "is_active",
    ]
    list_filter = ["state", "is_active", "is_sub_township"]
    list_select_related = ["state", "district"]
    autocomplete_fields = ["district"]
    fields = [
        "pcode",
        "name_en",
        "name_my",
        "state",
        "district",
        "is_sub_township",
        "latitude",
        "longitude",
        "is_active",
    ]
