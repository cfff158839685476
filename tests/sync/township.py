"""A week at a township node: two servers (hub and node), each its own process, database, key
ring and files, set up with the operator's commands (docs/NODE.md). Used by
``test_township_week.py`` and by ``bench/sync.py`` (the township-week figures).

What people do runs in a long-lived process per site that calls the ``site_*`` functions here.
The databases are SQLite files, or, when ``DATABASE_URL`` names PostgreSQL, two databases
``<name>_wk_hub`` and ``<name>_wk_town`` (the node's made from the hub's as NODE.md says).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PYITHU = str(Path(sys.executable).with_name("pyithu"))
PASSPHRASES = {"hub": "naypyitaw hub operator 2026", "lashio": "lashio node tea shop 2026"}
LASHIO = "MMR015001"
SCHOOL = "lashio-online"
OTHER_SCHOOL = "yangon-online"
STAFF_PASS = "staff pass phrase for the week"
ESSAY = "Rivers carry the monsoon rain to the sea; the delta feeds the country."
PSEUDONYM = "Moe from ward 7"
DOCUMENT = b"%PDF-1.4 grade 10 transcript of the applicant, ward 7, " * 40
LESSON_FILE = b"%PDF-1.4 lesson 1: the Ayeyarwady basin and its tributaries. " * 120
SUBMISSION_FILE = b"%PDF-1.4 homework: map of the delta with the main towns marked. " * 60
SKIP = "--skip-checks"


# --- what people do, run inside one site's process --------------------------------------------


def _upload(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _user(handle: str) -> Any:
    from pyithu.accounts.models import User

    return User.objects.get(handle=handle)


def site_prepare_hub(students: int = 0) -> dict[str, Any]:
    """Before the shutdown, on the hub: a school with a class (a lesson with a file, an
    assignment, one student, and ``students`` more for the benchmark), a recommender who works
    at Lashio, an exam with a code, and a second school that Lashio does not serve."""
    from datetime import timedelta

    from django.utils import timezone

    from pyithu.accounts import services as accounts
    from pyithu.accounts.models import Role, User
    from pyithu.education.admissions.services import admissions
    from pyithu.education.classes.services import classes
    from pyithu.education.exams.services import papers
    from pyithu.education.exams.services.exams import register_candidates
    from pyithu.education.models import Question, Recommender, School

    for handle, role, unit in (
        ("admin-hla", Role.SCHOOL_ADMIN, SCHOOL),
        ("teacher-moe", Role.TEACHER, SCHOOL),
        ("nilar-exams", Role.EXAM_OFFICER, ""),
        ("admin-yangon", Role.SCHOOL_ADMIN, OTHER_SCHOOL),
        ("saya-tin", Role.TEACHER, SCHOOL),
    ):
        user = accounts.create_staff_account(handle, STAFF_PASS, display_name=handle.title())
        accounts.grant_role(user, role, "education", unit=unit)
    school = School.objects.create(
        slug=SCHOOL, name_en="Lashio Online School", status=School.Status.RECOGNISED
    )
    other = School.objects.create(
        slug=OTHER_SCHOOL, name_en="Yangon Online School", status=School.Status.RECOGNISED
    )
    admin, teacher = _user("admin-hla"), _user("teacher-moe")
    course = classes.create_course(school, "GEO10", "Geography", admin, credits=3)
    section = classes.create_section(course, "2026 term 2", admin, teachers=[teacher])
    student, _codes = accounts.create_citizen_account("kyaw-student", STAFF_PASS)
    classes.enrol(section, student, teacher)
    for i in range(students):
        extra = User.objects.create(handle=f"student-{i:04d}")
        classes.enrol(section, extra, teacher)
    classes.add_lesson(
        section, "The Ayeyarwady basin", "Read, then map the delta.", teacher,
        attachment=_upload("lesson1.pdf", LESSON_FILE),
    )  # fmt: skip
    classes.create_assignment(
        section, "Map of the delta", timezone.now() + timedelta(days=10), teacher, max_marks=10
    )
    # Yangon's class must not reach Lashio.
    other_course = classes.create_course(other, "HIS10", "History", _user("admin-yangon"))
    classes.create_section(other_course, "2026 term 2", _user("admin-yangon"))
    officer = _user("nilar-exams")
    recommender = admissions.register_recommender(
        Recommender.Kind.TEACHER, "Saya Tin of Lashio", officer, user=_user("saya-tin")
    )
    hub_voucher = admissions.issue_vouchers(recommender, 1, officer)[0]
    bank = papers.create_bank("Grade 10 geography", officer, school=school)
    choice = papers.add_question(
        bank, Question.Kind.CHOICE, "Which river flows through Mandalay?",
        options=["Ayeyarwady", "Thanlwin"], correct_option=0,
    )  # fmt: skip
    essay = papers.add_question(bank, Question.Kind.SHORT, "Why does the delta flood?", marks=4)
    paper = papers.create_paper("Geography", [choice, essay], officer, school=school, minutes=30)
    now = timezone.now()
    sitting = papers.open_sitting(
        paper, "Geography, Lashio", now - timedelta(minutes=5), now + timedelta(days=8), officer
    )
    codes = register_candidates(sitting, school, 1, officer)
    return {"exam_code": codes[0][1], "hub_voucher": hub_voucher}


def site_week_at_node(
    exam_code: str, hub_voucher: str, bookings_per_day: int = 2, busy: bool = False
) -> dict[str, Any]:
    """Seven days at Lashio with no link at all (``busy``: for the benchmark, attendance every
    day and work handed in by every student, one in four with a file)."""
    from datetime import date, timedelta

    from django.utils import timezone

    from pyithu.accounts import services as accounts
    from pyithu.education.admissions.services import admissions
    from pyithu.education.classes.services import classes
    from pyithu.education.errors import EducationError
    from pyithu.education.exams.services import exams
    from pyithu.education.models import Assignment, Lesson, Question, Recommender, School, Section
    from pyithu.geo.models import Township
    from pyithu.health.services.booking import Booking, book_consultation

    out: dict[str, Any] = {"bookings": []}
    section = Section.objects.get(course__code="GEO10")
    teacher, kyaw = _user("teacher-moe"), _user("kyaw-student")
    assignment = Assignment.objects.get(section=section)
    start = timezone.now()
    for day in range(7):
        today = start + timedelta(days=day, hours=9)
        # Every day: two bookings at the township's health point.
        for i in range(bookings_per_day):
            _case, code = book_consultation(
                Booking(
                    symptoms=f"day {day + 1}, patient {i + 1}: fever and cough",
                    age_band="20-39",
                    sex="female",
                    language="my",
                    township=Township.objects.get(pcode=LASHIO),
                )
            )
            out["bookings"].append(code)
        if day == 0:
            # The lesson's file came on the first bundle and opens here.
            lesson = Lesson.objects.get(section=section)
            with lesson.attachment.open() as fh:
                out["lesson_file_ok"] = fh.read() == LESSON_FILE
            # A new student signs up at the node and the teacher enrols her.
            mya, _codes = accounts.create_citizen_account("mya-student", STAFF_PASS)
            classes.enrol(section, mya, teacher)
        if day == 1:
            classes.add_lesson(section, "Deltas of the world", "Compare with the Nile.", teacher)
            classes.submit(assignment, kyaw, ESSAY, _upload("map.pdf", SUBMISSION_FILE), now=today)
        if busy and day != 2:
            statuses = {e.pk: "present" for e in section.enrolments.all()}
            classes.take_attendance(section, date.today() + timedelta(days=day), statuses, teacher)
        if busy and day == 6:
            for n, enrolment in enumerate(
                section.enrolments.filter(student__handle__startswith="student-")
            ):
                upload = (
                    _upload("work.pdf", SUBMISSION_FILE + str(n).encode()) if n % 4 == 0 else None
                )
                classes.submit(
                    assignment, enrolment.student, f"My answer, number {n}.", upload, now=today
                )
        if day == 2:
            statuses = {e.pk: "present" for e in section.enrolments.all()}
            classes.take_attendance(section, date.today() + timedelta(days=day), statuses, teacher)
        if day == 3:
            classes.submit(assignment, _user("mya-student"), "The delta is low land.", now=today)
            # The teacher marks Kyaw's work here; Mya's is marked at the hub next week.
            mine = assignment.submissions.get(student=kyaw)
            classes.mark_submission(mine, 8, "Good map.", teacher)
            classes.record_mark(
                section.enrolments.get(student=kyaw), "participation", "Week 1", 4, 5, teacher
            )
        if day == 4:
            # A recommender at the township issues a voucher; a family applies with it here.
            recommender = Recommender.objects.get()
            code = admissions.issue_vouchers(recommender, 1, _user("saya-tin"))[0]
            _application, app_code = admissions.apply(
                pseudonym=PSEUDONYM,
                school=School.objects.get(slug=SCHOOL),
                programme="Grade 10",
                voucher_code=code,
                document=_upload("transcript.pdf", DOCUMENT),
                address="10.0.0.21",
            )
            out["voucher"], out["application_code"] = code, app_code
            # The hub's voucher is refused here, with a message the family can act on.
            try:
                admissions.apply(
                    pseudonym="Someone else",
                    school=School.objects.get(slug=SCHOOL),
                    programme="Grade 10",
                    voucher_code=hub_voucher,
                    address="10.0.0.22",
                )
            except EducationError as exc:
                out["hub_voucher_refused"] = str(exc)
        if day == 5:
            attempt = exams.start_attempt(exam_code, "tablet-token-1")
            for item in attempt.candidate.sitting.paper.items.select_related("question"):
                if item.question.kind == Question.Kind.CHOICE:
                    exams.save_answer(attempt, "tablet-token-1", item, choice=0)
                else:
                    exams.save_answer(attempt, "tablet-token-1", item, text=ESSAY)
            exams.hand_in(attempt, "tablet-token-1")
    return out


def site_hub_after_week(application_code: str, voucher: str) -> dict[str, Any]:
    """Back at the hub, after the node's bundle: the school decides, a teacher marks the work
    handed in at the node, and the node's voucher is refused here."""
    from pyithu.education.admissions.services import admissions
    from pyithu.education.classes.services import classes
    from pyithu.education.errors import EducationError
    from pyithu.education.models import Application, School, Submission

    application = admissions.status_for_code(application_code, "10.0.0.30")
    with application.document.open() as fh:
        document_ok = fh.read() == DOCUMENT
    document_name = application.document.name
    refused = ""
    try:
        admissions.apply(
            pseudonym="Twice",
            school=School.objects.get(slug=SCHOOL),
            programme="Grade 10",
            voucher_code=voucher,
            address="10.0.0.31",
        )
    except EducationError as exc:
        refused = str(exc)
    admissions.decide(application, True, _user("admin-hla"))
    mya = Submission.objects.get(student__handle="mya-student")
    classes.mark_submission(mya, 6, "Name the towns next time.", _user("teacher-moe"))
    kyaw = Submission.objects.get(student__handle="kyaw-student")
    with kyaw.file.open() as fh:
        kyaw_file_ok = fh.read() == SUBMISSION_FILE
    return {
        "document_ok": document_ok,
        "document_name": document_name,
        "document_gone": not Application.document.field.storage.exists(document_name),
        "refused_again": refused,
        "kyaw": [kyaw.marks, kyaw.feedback, kyaw_file_ok],
    }


def site_counts() -> dict[str, Any]:
    """What each site holds of the week (the same on both once the bundles have crossed)."""
    from pyithu.accounts.models import User
    from pyithu.education.models import (
        Answer,
        Application,
        AttendanceRecord,
        Course,
        Enrolment,
        Lesson,
        Mark,
        Submission,
        Voucher,
    )
    from pyithu.health.models import Consultation

    return {
        "consultations": Consultation.objects.count(),
        "users": User.objects.filter(handle__in=["kyaw-student", "mya-student"]).count(),
        "courses": sorted(Course.objects.values_list("code", flat=True)),
        "enrolments": Enrolment.objects.count(),
        "lessons": Lesson.objects.count(),
        "submissions": sorted(
            [s.student.handle, s.marks, s.feedback, s.marked_by.handle if s.marked_by else ""]
            for s in Submission.objects.select_related("student", "marked_by")
        ),
        "attendance": AttendanceRecord.objects.count(),
        "marks": Mark.objects.count(),
        "answers": Answer.objects.count(),
        "applications": sorted(
            [a.pseudonym, a.status, bool(a.document)] for a in Application.objects.all()
        ),
        "vouchers_spent": Voucher.objects.filter(spent_at__isnull=False).count(),
    }


def site_application(code: str) -> dict[str, Any]:
    from pyithu.education.admissions.services import admissions

    application = admissions.status_for_code(code, "10.0.0.40")
    return {"status": application.status, "document": application.document.name}


def site_file_exists(name: str) -> bool:
    from pyithu.core.fields import sealed_storage

    return sealed_storage.exists(name)


def site_log_mentions(words: list[str]) -> list[str]:
    """Which of these words any change in this site's log still holds (payloads opened)."""
    from pyithu.sync.models import ChangeLog, MissingFile

    found = set()
    for change in ChangeLog.objects.all().iterator():
        text = f"{change.model} {change.object_id} {change.payload}"
        found |= {w for w in words if w in text}
    for missing in MissingFile.objects.all():
        found |= {w for w in words if w in missing.name}
    return sorted(found)


def site_versions(label: str) -> int:
    """How many versions of records of this kind the log still holds with their content."""
    from pyithu.sync.models import ChangeLog

    return ChangeLog.objects.filter(model=label).count()


def site_invariants() -> dict[str, Any]:
    """Every change once, nothing half applied, nothing missing."""
    from django.db.models import Count

    from pyithu.sync.models import ChangeLog, MissingFile

    twice = (
        ChangeLog.objects.filter(counter__isnull=False)
        .values("origin", "counter")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return {"changes_twice": twice, "missing_files": MissingFile.objects.count()}


def _identity() -> Any:
    from pyithu.sync import config
    from pyithu.sync.identity import unlock_identity

    return unlock_identity(config.node_key_file(), config.node_passphrase() or "")


def site_call(fn: str, kwargs: dict[str, Any] | None = None) -> Any:
    """Run a helper of another test module inside this site (``tests/sync/money.py``)."""
    import importlib

    sys.path.insert(0, str(ROOT))
    module, name = fn.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)(**(kwargs or {}))


def site_export(path: str, to: str, cap: int | None = None) -> dict[str, Any]:
    from django.db.models import Q

    from pyithu.sync.exchange import export_bundle
    from pyithu.sync.models import Peer

    peer = Peer.objects.get(Q(name=to) | Q(node_id=to))
    blob, count = export_bundle(_identity(), peer, byte_cap=cap)
    Path(path).write_bytes(blob)
    return {"changes": count, "bytes": len(blob)}


def site_import(path: str) -> dict[str, Any]:
    """Import a bundle; report what came and its size against zstd of its content (the
    records as plain JSON plus the files' bytes, at the bundles' zstd level)."""
    import zstandard

    from pyithu.sync import bundles
    from pyithu.sync.exchange import import_bundle

    identity = _identity()
    blob = Path(path).read_bytes()
    contents = bundles.open_body(bundles.read_envelope(blob), identity)
    records = [w["p"] for w in contents["changes"]]
    plain = json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    plain += contents["file_bytes"]
    floor = len(zstandard.ZstdCompressor(level=bundles.ZSTD_LEVEL).compress(plain))
    profile = os.environ.get("SYNC_WEEK_PROFILE")  # a file for cProfile's statistics
    if profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    t0, c0 = time.perf_counter(), time.process_time()
    report = import_bundle(blob, identity)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    if profile:
        profiler.disable()
        profiler.dump_stats(f"{profile}.{len(records)}")
    return {
        "records": len(records),
        "new": report.new,
        "files": report.files,
        "file_count": len(contents.get("files") or []),
        "bytes": len(blob),
        "zstd_floor": floor,
        "seconds": seconds,
        "cpu_seconds": cpu,
    }


# --- the harness --------------------------------------------------------------------------------

WORKER = f"""
import json, sys, traceback, importlib.util, django
django.setup()
spec = importlib.util.spec_from_file_location("township", {str(Path(__file__))!r})
site = importlib.util.module_from_spec(spec)
spec.loader.exec_module(site)
for line in sys.stdin:
    msg = json.loads(line)
    try:
        reply = {{"ok": getattr(site, "site_" + msg["fn"])(**msg["args"])}}
    except Exception:
        reply = {{"fail": traceback.format_exc()}}
    sys.stdout.write(json.dumps(reply) + "\\n")
    sys.stdout.flush()
"""


def database_urls(base: Path) -> dict[str, str]:
    """SQLite files under ``base``, or PostgreSQL databases named after ``DATABASE_URL``."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return {"hub": f"{url}_wk_hub", "lashio": f"{url}_wk_town"}
    return {name: f"sqlite:///{base / name / 'pyithu.sqlite3'}" for name in ("hub", "lashio")}


def _pg(url: str, *statements: str) -> None:
    import dj_database_url
    import psycopg

    db = dj_database_url.parse(url)
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
    ) as conn:
        for statement in statements:
            conn.execute(statement.format(name=db["NAME"]))


class Site:
    """One server: its folder, its database, its keys; `pyithu` commands and a worker."""

    def __init__(self, name: str, base: Path, role: str, url: str) -> None:
        self.name = name
        self.base = base
        self.url = url
        base.mkdir(parents=True, exist_ok=True)
        (base / "passphrase").write_text(PASSPHRASES[name])
        (base / "passphrase").chmod(0o600)
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("PYITHU_", "DATABASE_URL"))
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="pyithu.settings",
            DATABASE_URL=url,
            PYITHU_VAR_DIR=str(base / "var"),
            PYITHU_SYNC_ROLE=role,
            PYTHONPATH=str(ROOT / "src"),
        )
        self.worker: subprocess.Popen[str] | None = None
        self.node_id = ""

    @property
    def postgres(self) -> bool:
        return not self.url.startswith("sqlite")

    def pyithu(self, *args: str) -> str:
        """Run `pyithu ARGS`, handing it the operator passphrase on a pipe (never in env)."""
        read, write = os.pipe()
        os.write(write, PASSPHRASES[self.name].encode())
        os.close(write)
        env = {**self.env, "PYITHU_NODE_PASSPHRASE_FD": str(read)}
        try:
            done = subprocess.run(
                [PYITHU, args[0], SKIP, *args[1:]],
                env=env,
                cwd=self.base,
                pass_fds=(read,),
                capture_output=True,
                text=True,
                timeout=600,
            )
        finally:
            os.close(read)
        if done.returncode != 0:
            raise AssertionError(f"{self.name}: pyithu {' '.join(args)}\n{done.stderr}")
        return done.stdout

    def setup(self) -> None:
        """What `pyithu setup` does, less compiling translations (the tree's are compiled)."""
        if self.postgres:
            _pg(self.url, 'DROP DATABASE IF EXISTS "{name}"', 'CREATE DATABASE "{name}"')
        for step in (["migrate", "--no-input", "-v", "0"], ["load-geography"], ["load-catalogue"]):
            self.pyithu(*step)

    def copy_from(self, other: Site) -> None:
        """The node's disk prepared from a fresh hub install (NODE.md, step 1)."""
        if self.postgres:
            _pg(
                self.url,
                'DROP DATABASE IF EXISTS "{name}"',
                f'CREATE DATABASE "{{name}}" TEMPLATE "{other.url.rsplit("/", 1)[1]}"',
            )
        else:
            (self.base / "pyithu.sqlite3").write_bytes((other.base / "pyithu.sqlite3").read_bytes())

    def send(self, other: Site) -> dict[str, Any]:
        """Export a bundle for ``other`` and import it there (as ``test_sites.Site`` does)."""
        path = self.base / f"to-{other.name}.bundle"
        self("export", path=str(path), to=other.node_id)
        return other("import", path=str(path))

    def __call__(self, fn: str, /, **args: Any) -> Any:
        if self.worker is None:
            env = {**self.env, "PYITHU_NODE_PASSPHRASE_FILE": str(self.base / "passphrase")}
            self.worker = subprocess.Popen(
                [sys.executable, "-c", WORKER],
                env=env,
                cwd=self.base,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        assert self.worker.stdin and self.worker.stdout
        self.worker.stdin.write(json.dumps({"fn": fn, "args": args}) + "\n")
        self.worker.stdin.flush()
        reply = json.loads(self.worker.stdout.readline())
        if "fail" in reply:
            raise AssertionError(f"{self.name}: {reply['fail']}")
        return reply["ok"]

    def stop(self) -> None:
        if self.worker is not None:
            assert self.worker.stdin
            self.worker.stdin.close()
            self.worker.wait(timeout=60)
            self.worker = None

    def drop(self) -> None:
        self.stop()
        if self.postgres:
            _pg(self.url, 'DROP DATABASE IF EXISTS "{name}"')


def federation(base: Path) -> tuple[Site, Site, Path]:
    """A hub and the Lashio node, set up and introduced as NODE.md says; a USB stick."""
    urls = database_urls(base)
    hub = Site("hub", base / "hub", "hub", urls["hub"])
    lashio = Site("lashio", base / "lashio", "node", urls["lashio"])
    usb = base / "usb"
    usb.mkdir()
    hub.setup()
    lashio.copy_from(hub)
    hub.pyithu("node", "init")
    (usb / "hub.card").write_text(hub.pyithu("node", "show"))
    lashio.pyithu("node", "init")
    (usb / "lashio.card").write_text(lashio.pyithu("node", "show"))
    for site in (hub, lashio):
        site.node_id = json.loads((usb / f"{site.name}.card").read_text())["node_id"]
    hub_card = str(usb / "hub.card")
    lashio.pyithu("node", "register", hub_card, "--name", "Naypyitaw hub", "--role", "hub")
    hub.pyithu(
        "node", "register", str(usb / "lashio.card"), "--name", "Lashio point",
        "--townships", LASHIO, "--schools", SCHOOL,
    )  # fmt: skip
    return hub, lashio, usb
