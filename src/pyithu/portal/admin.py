from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pyithu.core.admin import AuditedAdmin
from pyithu.portal.models import Ministry, Option, Question, Service, Shutdown, Survey
from pyithu.portal.services.feedback import staff_ministries


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


class MinistryScopedAdmin(AuditedAdmin):
    """Staff see and edit only their own ministries' surveys; only drafts can be edited."""

    ministry_path = "ministry__slug"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(**{f"{self.ministry_path}__in": staff_ministries(request.user)})

    def _survey(self, obj: Any) -> Survey | None:
        return obj

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        survey = self._survey(obj) if obj is not None else None
        if survey is not None and survey.status != Survey.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 1
    fields = ["position", "key", "kind", "required", "text_en", "text_my", "help_en", "help_my"]
    show_change_link = True


@admin.register(Survey)
class SurveyAdmin(MinistryScopedAdmin):
    list_display = ["title_en", "ministry", "status", "guard", "published_at", "closed_at"]
    list_filter = ["status", "ministry"]
    search_fields = ["slug", "title_en", "title_my"]
    readonly_fields = ["status", "published_at", "closed_at"]
    fields = [
        "ministry",
        "slug",
        "guard",
        "title_en",
        "title_my",
        "intro_en",
        "intro_my",
        *readonly_fields,
    ]
    inlines = [QuestionInline]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "ministry" and not request.user.is_superuser:
            kwargs["queryset"] = Ministry.objects.filter(slug__in=staff_ministries(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OptionInline(admin.TabularInline):
    model = Option
    extra = 2
    fields = ["position", "text_en", "text_my"]


@admin.register(Question)
class QuestionAdmin(MinistryScopedAdmin):
    ministry_path = "survey__ministry__slug"
    list_display = ["text_en", "survey", "kind", "position"]
    list_select_related = ["survey"]
    fields = ["position", "key", "kind", "required", "text_en", "text_my", "help_en", "help_my"]
    inlines = [OptionInline]

    def _survey(self, obj: Any) -> Survey | None:
        return obj.survey

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False  # reached from its survey


@admin.register(Shutdown)
class ShutdownAdmin(AuditedAdmin):
    list_display = ["township", "start", "end", "source"]
    list_filter = ["township__state"]
    list_select_related = ["township"]
    search_fields = ["township__name_en", "township__name_my", "township__pcode", "source"]
    autocomplete_fields = ["township"]
    date_hierarchy = "start"
