from django.contrib import admin

from pyithu.core.admin import AuditedAdmin
from pyithu.health.models import Clinic, RedFlag


@admin.register(Clinic)
class ClinicAdmin(AuditedAdmin):
    list_display = ["name_en", "name_my", "slug", "is_mental_health", "direct_booking", "active"]
    list_editable = ["active"]
    list_filter = ["active", "is_mental_health"]
    search_fields = ["name_en", "name_my", "slug"]


@admin.register(RedFlag)
class RedFlagAdmin(AuditedAdmin):
    """The emergency screening list: editing it here changes the booking form at once."""

    list_display = ["label_en", "label_my", "kind", "active", "order"]
    list_editable = ["active", "order"]
    list_filter = ["kind", "active"]


# Photos, hotline, referral desks and facilities keep their admin in their own folder.
from pyithu.health.support import admin as support_admin  # noqa: E402, F401
