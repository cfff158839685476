from django.contrib import admin

from pyithu.core.admin import AuditedAdmin
from pyithu.education.models import (
    Assignment,
    Certificate,
    Course,
    GraduationRule,
    Guideline,
    Lesson,
    Paper,
    Programme,
    Question,
    QuestionBank,
    Recommender,
    School,
    Section,
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


# --- classes and programmes ---------------------------------------------------------------


@admin.register(Course)
class CourseAdmin(AuditedAdmin):
    list_display = ["code", "title_en", "school", "credits", "level", "is_final_project"]
    list_filter = ["school"]
    search_fields = ["code", "title_en", "title_my"]


@admin.register(Section)
class SectionAdmin(AuditedAdmin):
    list_display = ["__str__", "term", "pass_percent", "finalised_at"]
    filter_horizontal = ["teachers"]


@admin.register(Lesson)
class LessonAdmin(AuditedAdmin):
    list_display = ["title", "section", "created_at"]
    exclude = ["attachment"]  # sealed; served only through the class pages


@admin.register(Assignment)
class AssignmentAdmin(AuditedAdmin):
    list_display = ["title", "section", "due_at", "max_marks", "category", "allow_late"]


class GraduationRuleInline(admin.TabularInline):
    model = GraduationRule
    extra = 1


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ["name_en", "award", "school", "years"]
    list_filter = ["school"]
    search_fields = ["name_en", "name_my", "award"]
    filter_horizontal = ["courses"]
    inlines = [GraduationRuleInline]
