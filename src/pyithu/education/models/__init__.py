"""Education records: the school registry and exams (more topics join as they are built)."""

from pyithu.education.models.admissions import Application, Recommender, Voucher
from pyithu.education.models.certificates import Certificate
from pyithu.education.models.exams import (
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
from pyithu.education.models.schools import Guideline, Review, School

__all__ = [
    "Answer",
    "Application",
    "Attempt",
    "Candidate",
    "Certificate",
    "Guideline",
    "IntegrityEvent",
    "Paper",
    "PaperQuestion",
    "Question",
    "QuestionBank",
    "Recommender",
    "Review",
    "School",
    "Sitting",
    "Voucher",
]
