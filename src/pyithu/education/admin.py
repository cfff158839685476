from django.contrib import admin

from pyithu.core.admin import AuditedAdmin
from pyithu.education.models import (
    Certificate,
    Guideline,
    Paper,
    Question,
    QuestionBank,
    Recommender,
    School,
    Sitting,
)


@admin.register(School)
class SchoolAdmin(AuditedAdmin):
    list_display = ["name_en", "kind", "level", "status"]
    list_filter = ["kind", "level", "status"]
    search_fields = ["name_en", "name_my", "slug"]


@admin.register(QuestionBank)
class QuestionBankAdmin(AuditedAdmin):
    list_display = ["title", "subject", "school"]


@admin.register(Question)
class QuestionAdmin(AuditedAdmin):
    list_display = ["prompt", "kind", "marks", "bank"]
    list_filter = ["kind"]


@admin.register(Paper)
class PaperAdmin(AuditedAdmin):
    list_display = ["title", "school", "minutes", "national"]


@admin.register(Sitting)
class SittingAdmin(AuditedAdmin):
    list_display = ["title", "slot", "opens_at", "closes_at", "results_released_at"]


@admin.register(Guideline)
class GuidelineAdmin(AuditedAdmin):
    list_display = ["text_en", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(Recommender)
class RecommenderAdmin(AuditedAdmin):
    list_display = ["__str__", "kind", "is_active", "created_at"]
    list_filter = ["kind", "is_active"]
    exclude = ["name"]  # sealed; shown only where the task needs it


@admin.register(Certificate)
class CertificateAdmin(AuditedAdmin):
    list_display = ["holder_pseudonym", "title", "issued_on", "result", "revoked_at"]
    exclude = ["holder_name", "signed_text"]
