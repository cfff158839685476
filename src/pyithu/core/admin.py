from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from pyithu.core import audit
from pyithu.core.models import AuditEntry


class AuditedAdmin(admin.ModelAdmin):
    """Staff edits in the admin land in the append-only audit log (record type and id only)."""

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        audit.record(request.user, f"admin.add.{obj._meta.model_name}", obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        audit.record(request.user, f"admin.change.{obj._meta.model_name}", obj)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            audit.record(request.user, f"admin.delete.{obj._meta.model_name}", obj)
        return super().log_deletions(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_handle", "action", "target_type", "target_id", "summary"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_handle", "action", "target_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
