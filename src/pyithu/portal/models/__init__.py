"""The portal's data: the catalogue, surveys, feedback threads, and internet shutdowns."""

from pyithu.portal.models.catalogue import CatalogueEntry, Ministry, Service, internal_path
from pyithu.portal.models.feedback import Feedback, FeedbackMessage
from pyithu.portal.models.reach import Shutdown
from pyithu.portal.models.surveys import (
    Answer,
    AnswerCode,
    Option,
    Participation,
    Question,
    Survey,
    SurveyResponse,
)

__all__ = [
    "Answer",
    "AnswerCode",
    "CatalogueEntry",
    "Feedback",
    "FeedbackMessage",
    "Ministry",
    "Option",
    "Participation",
    "Question",
    "Service",
    "Shutdown",
    "Survey",
    "SurveyResponse",
    "internal_path",
]
