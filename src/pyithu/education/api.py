"""The education API, mounted at ``/api/education/``: each room's router, in one place."""

from __future__ import annotations

from ninja import Router

from pyithu.education.classes.api import router as classes_router
from pyithu.education.exams.api import router as exams_router
from pyithu.education.schools.api import router as schools_router

router = Router(tags=["education"])
# A candidate's exam and sittings for staff: exams/api.py; the registry (schools,
# universities) and applications with vouchers: schools/api.py; classes (sections, lessons,
# assignments, work, progress): classes/api.py.
router.add_router("", exams_router)
router.add_router("", schools_router)
router.add_router("", classes_router)
