"""Degree programmes: graduation rules as data, a student's progress against them, transcripts.

Credits are earned by passed course results (``CourseResult``, fixed when a section's grades
are made final). How each rule is read:

* ``courses_per_year`` n: at least n x the programme's years of passed courses;
* ``credits_per_course`` c: at least c x the courses required (from ``courses_per_year``, or
  the courses passed when there is no such rule) of credits earned;
* ``total_credits`` n: at least n credits earned;
* ``final_project``: a passed course marked as a final project;
* ``min_attendance`` p: sessions present over sessions counted, summed over every finished
  course, at least p% (compared exactly).

A transcript is a certificate (signed by ``education.certificates.signing``, verified by the
same page and command, revocable) whose payload also lists the courses; the holder's pseudonym
is printed, and the name only when the holder asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pyithu.core import audit
from pyithu.core.text import normalise_text
from pyithu.education.certificates import services as certificate_service
from pyithu.education.classes.services.classes import is_school_admin
from pyithu.education.classes.services.rounding import round_half_up
from pyithu.education.errors import EducationError
from pyithu.education.models import (
    Certificate,
    CourseResult,
    GraduationRule,
    Programme,
    ProgrammeEnrolment,
    School,
    Transcript,
)


def pseudonym_of(student: Any) -> str:
    return f"S-{str(student.pk)[-8:].upper()}"


@transaction.atomic
def create_programme(
    school: School,
    name_en: str,
    by: Any,
    *,
    award: str = "",
    years: int = 4,
    name_my: str = "",
    rules: dict[str, int] | None = None,
) -> Programme:
    if not is_school_admin(by, school):
        raise EducationError(_("Only the institution's administrators may add programmes."))
    if not 1 <= years <= 10:
        raise EducationError(_("Years of study must be from 1 to 10."), "years")
    programme = Programme.objects.create(
        school=school,
        name_en=normalise_text(name_en)[:200],
        name_my=normalise_text(name_my)[:200],
        award=normalise_text(award)[:40],
        years=years,
    )
    for kind, value in (rules or {}).items():
        set_rule(programme, kind, value, by)
    audit.record(by, "education.programme_create", programme, summary=school.slug)
    return programme


@transaction.atomic
def set_rule(programme: Programme, kind: str, value: int, by: Any) -> GraduationRule:
    if not is_school_admin(by, programme.school):
        raise EducationError(_("Only the institution's administrators may set graduation rules."))
    if kind not in GraduationRule.Kind.values:
        raise EducationError(_("Choose a rule from the list."), "kind")
    if kind == GraduationRule.Kind.MIN_ATTENDANCE and not 0 <= value <= 100:
        raise EducationError(_("Attendance is a percentage from 0 to 100."), "value")
    rule, _created = GraduationRule.objects.update_or_create(
        programme=programme, kind=kind, defaults={"value": value}
    )
    audit.record(by, "education.rule_set", rule, summary=f"{kind}={value}")
    return rule


@transaction.atomic
def join(programme: Programme, student: Any, by: Any, started_on: date | None = None) -> Any:
    if not is_school_admin(by, programme.school):
        raise EducationError(_("Only the institution's administrators may do this."))
    if student.is_staff:
        raise EducationError(_("Enrol a student's own account, not a staff account."), "handle")
    place, created = ProgrammeEnrolment.objects.get_or_create(
        programme=programme,
        student=student,
        defaults={"started_on": started_on or timezone.localdate()},
    )
    if not created:
        raise EducationError(_("This student is already in the programme."), "handle")
    audit.record(by, "education.programme_join", place, summary=str(programme))
    return place


def results_for(student: Any, programme: Programme) -> list[CourseResult]:
    """The student's final course results that count for the programme, oldest first."""
    results = CourseResult.objects.filter(
        enrolment__student=student, enrolment__section__course__school=programme.school
    ).select_related("enrolment__section__course")
    listed = set(programme.courses.values_list("pk", flat=True))
    if listed:
        results = results.filter(enrolment__section__course__in=listed)
    return list(results.order_by("created_at", "id"))


@dataclass(frozen=True)
class RuleCheck:
    kind: str
    label: str
    met: bool
    have: str
    need: str


@dataclass(frozen=True)
class Progress:
    programme: Programme
    results: list[CourseResult]
    credits: int
    passed: int
    checks: list[RuleCheck]

    @property
    def complete(self) -> bool:
        return bool(self.checks) and all(c.met for c in self.checks)

    @property
    def missing(self) -> list[RuleCheck]:
        return [c for c in self.checks if not c.met]


def progress(student: Any, programme: Programme) -> Progress:
    """What the student has met of the programme's rules, and what is still missing."""
    results = results_for(student, programme)
    passed = [r for r in results if r.passed]
    credits = sum(r.credits for r in passed)
    rules = {r.kind: r for r in programme.rules.all()}
    K = GraduationRule.Kind
    per_year = rules.get(K.COURSES_PER_YEAR)
    courses_needed = per_year.value * programme.years if per_year else len(passed)
    checks = []
    for kind, rule in sorted(rules.items()):
        label = str(K(kind).label)
        if kind == K.COURSES_PER_YEAR:
            checks.append(
                RuleCheck(
                    kind,
                    label,
                    len(passed) >= courses_needed,
                    str(len(passed)),
                    str(courses_needed),
                )
            )
        elif kind == K.CREDITS_PER_COURSE:
            need = rule.value * courses_needed
            checks.append(RuleCheck(kind, label, credits >= need, str(credits), str(need)))
        elif kind == K.TOTAL_CREDITS:
            checks.append(
                RuleCheck(kind, label, credits >= rule.value, str(credits), str(rule.value))
            )
        elif kind == K.FINAL_PROJECT:
            done = any(r.enrolment.section.course.is_final_project for r in passed)
            checks.append(RuleCheck(kind, label, done, _("yes") if done else _("no"), _("yes")))
        elif kind == K.MIN_ATTENDANCE:
            checks.append(_attendance_check(label, results, rule.value))
    return Progress(programme, results, credits, len(passed), checks)


def _attendance_check(label: str, results: list[CourseResult], minimum: int) -> RuleCheck:
    counted = sum(r.sessions_counted for r in results)
    present = sum(r.sessions_present for r in results)
    need = f"{minimum}%"
    if not counted:
        return RuleCheck(GraduationRule.Kind.MIN_ATTENDANCE, label, False, "–", need)
    rate = Fraction(present, counted)
    have = f"{round_half_up(rate * 100)}%"
    return RuleCheck(
        GraduationRule.Kind.MIN_ATTENDANCE, label, rate >= Fraction(minimum, 100), have, need
    )


def transcript_courses(results: list[CourseResult]) -> list[list[str | int]]:
    return [
        [
            r.enrolment.section.course.code,
            r.enrolment.section.course.title_en[:60],
            r.credits,
            r.letter,
            r.enrolment.section.term,
        ]
        for r in results
    ]


@transaction.atomic
def issue_transcript(
    student: Any, programme: Programme, *, show_name: bool = False, name: str = ""
) -> Certificate:
    """Sign a transcript of the student's finished courses in the programme."""
    if not ProgrammeEnrolment.objects.filter(programme=programme, student=student).exists():
        raise EducationError(_("You are not a student of this programme."))
    name = normalise_text(name)[:120] if show_name else ""
    if show_name and not name:
        raise EducationError(_("Write the name to print, or choose not to print a name."), "name")
    state = progress(student, programme)
    if not state.results:
        raise EducationError(_("There are no finished courses to put on a transcript yet."))
    outcome = "complete" if state.complete else "in progress"  # signed: one language
    cert = certificate_service.issue(
        holder_pseudonym=pseudonym_of(student),
        holder_name=name,
        title=f"Transcript: {programme.name_en}"[:200],
        school=programme.school,
        result=f"{state.credits} credits; courses passed: {state.passed}; {outcome}"[:100],
        courses=transcript_courses(state.results),
    )
    Transcript.objects.create(certificate=cert, student=student, programme=programme)
    audit.record(student, "education.transcript_issue", cert, summary=str(programme.pk))
    return cert
