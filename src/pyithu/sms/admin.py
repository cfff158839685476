from django.contrib import admin
from django.http import HttpRequest

from pyithu.core.admin import AuditedAdmin
from pyithu.sms.models import InboundText


@admin.register(InboundText)
class InboundTextAdmin(AuditedAdmin):
    """What kinds of texts arrive and how they were answered: never a number or a code."""

    list_display = ["created_at", "command", "language", "outcome"]
    list_filter = ["command", "outcome", "language"]
    fields = list_display
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
