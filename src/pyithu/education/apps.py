from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationConfig(AppConfig):
    name = "pyithu.education"
    label = "education"
    verbose_name = _("Education")

    def ready(self) -> None:
        from pyithu.accounts.models import Role
        from pyithu.accounts.roles import grant_permissions

        exams = [
            f"education.{verb}_{model}"
            for model in ("questionbank", "question", "paper", "sitting")
            for verb in ("view", "add", "change")
        ]
        grant_permissions(Role.TEACHER, *exams)
        grant_permissions(
            Role.SCHOOL_ADMIN, *exams, "education.view_school", "education.view_application"
        )
        grant_permissions(
            Role.EXAM_OFFICER,
            *exams,
            "education.view_school",
            "education.change_school",
            "education.view_recommender",
            "education.view_certificate",
        )
