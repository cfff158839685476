"""Every education model, each defined in its room (``schools/models.py``, ``admissions/``,
``classes/models/``, ``exams/``, ``certificates/``) and re-exported here, where Django and the
migrations look for them."""

from pyithu.education.admissions.models import Application, Recommender, Voucher
from pyithu.education.certificates.models import Certificate
from pyithu.education.classes.models.classes import (
    Assignment,
    AttendanceRecord,
    ClassSession,
    Course,
    CourseResult,
    Enrolment,
    Lesson,
    Mark,
    Section,
    Submission,
)
from pyithu.education.classes.models.programmes import (
    GraduationRule,
    Programme,
    ProgrammeEnrolment,
    Transcript,
)
from pyithu.education.exams.models import (
    Answer,
    Attempt,
    Candidate,
    IntegrityEvent,
    Paper,
    PaperQuestion,
    Question,
    QuestionBank,
    Sitting,
)
from pyithu.education.schools.models import Guideline, Review, School

__all__ = [
    "Answer",
    "Application",
    "Assignment",
    "Attempt",
    "AttendanceRecord",
    "Candidate",
    "Certificate",
    "ClassSession",
    "Course",
    "CourseResult",
    "Enrolment",
    "GraduationRule",
    "Guideline",
    "IntegrityEvent",
    "Lesson",
    "Mark",
    "Paper",
    "PaperQuestion",
    "Programme",
    "ProgrammeEnrolment",
    "Question",
    "QuestionBank",
    "Recommender",
    "Review",
    "School",
    "Section",
    "Sitting",
    "Submission",
    "Transcript",
    "Voucher",
]
