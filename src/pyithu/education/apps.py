from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pyithu.core.desks import Desk

# Role values as accounts.Role spells them (accounts is not imported before apps are ready).
TEACHER, SCHOOL_ADMIN, EXAM_OFFICER, RECOMMENDER = (
    "teacher",
    "school_admin",
    "exam_officer",
    "recommender",
)


class EducationConfig(AppConfig):
    name = "pyithu.education"
    label = "education"
    verbose_name = _("Education")
    # Each page opens for the role listed with it (the views' own checks decide).
    desks = [
        Desk(TEACHER, "education:teach_sections", _("My classes")),
        Desk(TEACHER, "education:teach_marking", _("Work to mark")),
        Desk(TEACHER, "education:staff_marking", _("Exam answers to mark")),
        Desk(EXAM_OFFICER, "education:staff_sittings", _("Exam sittings")),
        Desk(EXAM_OFFICER, "education:staff_marking", _("Exam answers to mark")),
        Desk(EXAM_OFFICER, "education:setup_banks", _("Question banks and papers")),
        Desk(EXAM_OFFICER, "education:staff_schools", _("Recognition of schools")),
        Desk(EXAM_OFFICER, "education:staff_recommenders", _("Recommenders")),
        Desk(RECOMMENDER, "education:staff_recommenders", _("My recommendation vouchers")),
        Desk(SCHOOL_ADMIN, "education:staff_applications", _("Applications waiting")),
        Desk(SCHOOL_ADMIN, "education:setup_courses", _("Courses and classes")),
        Desk(SCHOOL_ADMIN, "education:staff_sittings", _("Exam sittings")),
    ]

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
        classes = [
            f"education.{verb}_{model}"
            for model in ("course", "section", "lesson", "assignment", "programme")
            for verb in ("view", "add", "change")
        ]
        grant_permissions(Role.SCHOOL_ADMIN, *classes, "education.change_graduationrule")
        grant_permissions(Role.TEACHER, "education.view_course", "education.view_section")

        from pyithu.core import reach
        from pyithu.education.classes import reach as classes_reach

        reach.register(
            "basic-education:classes", _("Enrolments in classes"), classes_reach.school_enrolments
        )
        reach.register(
            "online-higher-education:classes",
            _("Enrolments in university courses"),
            classes_reach.university_enrolments,
        )

        # Admissions and exam candidates, placed by their school's single area served.
        from pyithu.education.admissions import reach as admitted

        reach.register(
            "basic-education:admissions", _("Applications to schools"), admitted.school_applications
        )
        reach.register(
            "online-higher-education:admissions",
            _("Applications to universities"),
            admitted.university_applications,
        )
        reach.register("beca-exam", _("National exam candidates"), admitted.national_candidates)
        reach.register(
            "basic-education:exams", _("School exam candidates"), admitted.school_candidates
        )
