from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pyithu.core.admin import AuditedAdmin
from pyithu.sync.models import ConflictHistory, Peer


@admin.register(Peer)
class PeerAdmin(AuditedAdmin):
    list_display = ["name", "node_id", "role", "last_sync_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["name", "node_id"]
    readonly_fields = ["node_id", "verify_key", "box_key", "known_vector", "known_extra"]


@admin.register(ConflictHistory)
class ConflictHistoryAdmin(admin.ModelAdmin):
    list_display = ["model", "object_id", "created_at"]
    list_filter = ["model"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
