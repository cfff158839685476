"""Operators keep the hotline numbers and settings, the rota, receiving services and the
facility directory here (imported by ``health.admin``)."""

from django.contrib import admin

from pyithu.core.admin import AuditedAdmin
from pyithu.health.models import (
    CounsellorShift,
    Facility,
    HotlineNumber,
    HotlineSettings,
    ReceivingService,
)


@admin.register(HotlineNumber)
class HotlineNumberAdmin(AuditedAdmin):
    list_display = ["label_en", "label_my", "number", "opens_at", "closes_at", "active", "order"]
    list_editable = ["active", "order"]


@admin.register(HotlineSettings)
class HotlineSettingsAdmin(AuditedAdmin):
    list_display = ["alert_after_minutes", "minutes_per_call", "coordinator_channel"]


@admin.register(CounsellorShift)
class CounsellorShiftAdmin(AuditedAdmin):
    list_display = ["counsellor", "starts_at", "ends_at"]
    raw_id_fields = ["counsellor"]


@admin.register(ReceivingService)
class ReceivingServiceAdmin(AuditedAdmin):
    """Services that receive referrals; a desk officer's grant names one (``service:<slug>``)."""

    list_display = ["name_en", "name_my", "slug", "active", "order"]
    list_editable = ["active", "order"]


@admin.register(Facility)
class FacilityAdmin(AuditedAdmin):
    """Where to go in an emergency: shown on the emergency pages, sent to every node."""

    list_display = ["name_en", "name_my", "kind", "township", "last_confirmed", "active"]
    list_editable = ["active"]
    list_filter = ["kind", "active"]
    search_fields = ["name_en", "name_my", "slug"]
    raw_id_fields = ["township"]
