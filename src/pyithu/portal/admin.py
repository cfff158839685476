from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from pyithu.core.admin import AuditedAdmin
from pyithu.portal.models import Ministry, Service


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0
    fields = ["sort_order", "slug", "name_en", "name_my", "mode", "is_active"]
    show_change_link = True


@admin.register(Ministry)
class MinistryAdmin(AuditedAdmin):
    list_display = ["name_en", "name_my", "slug", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["slug", "name_en", "name_my"]
    inlines = [ServiceInline]


@admin.register(Service)
class ServiceAdmin(AuditedAdmin):
    list_display = ["name_en", "ministry", "mode", "sort_order", "is_active"]
    list_filter = ["mode", "ministry", "is_active"]
    list_select_related = ["ministry"]
    search_fields = ["slug", "name_en", "name_my", "summary_en", "summary_my"]
    autocomplete_fields = ["ministry"]
    fieldsets = [
        (None, {"fields": ["ministry", "slug", "mode", "sort_order", "is_active", "internal_url"]}),
        (
            _("English"),
            {"fields": ["name_en", "summary_en", "areas_en", "how_online_en", "how_offline_en"]},
        ),
        (
            _("Burmese"),
            {"fields": ["name_my", "summary_my", "areas_my", "how_online_my", "how_offline_my"]},
        ),
    ]
