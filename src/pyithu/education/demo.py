"""The education demo (``pyithu demo`` calls ``load``): the exams room's demo, which also loads
the schools' (registry) and the classes' demos and makes the demo applications and certificate."""

from pyithu.education.exams.demo import DEMO_CLOSED_SITTING, DEMO_RECOMMENDER, DEMO_SITTING, load

__all__ = ["DEMO_CLOSED_SITTING", "DEMO_RECOMMENDER", "DEMO_SITTING", "load"]
