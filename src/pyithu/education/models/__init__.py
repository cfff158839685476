"""Education records: the school registry and exams (more topics join as they are built)."""

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
    "Attempt",
    "Candidate",
    "Guideline",
    "IntegrityEvent",
    "Paper",
    "PaperQuestion",
    "Question",
    "QuestionBank",
    "Review",
    "School",
    "Sitting",
]
