from django.contrib import admin
from django.http import HttpRequest

from pyithu.core.admin import AuditedAdmin
from pyithu.outbox.models import Message
from pyithu.outbox.selectors import VISIBLE


@admin.register(Message)
class MessageAdmin(AuditedAdmin):
    """States and counts only: an operator never sees an address or a body."""

    list_display = [
        "created_at",
        "channel",
        "state",
        "attempts",
        "segments",
        "cost",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["state", "channel"]
    # The same columns as the operators' outbox page (outbox.selectors.VISIBLE), nothing more.
    fields = [name for name in VISIBLE if name != "id"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Counts and costs are the operators' record; finished messages hold no content.
        return False
