#!/usr/bin/env python
# ruff: noqa: S603, S607  (runs our own venv tools, pgbench and createdb with fixed arguments)
"""The national exam under load, against the real server, on PostgreSQL and on SQLite.

For each database: a scratch database (PostgreSQL: created and dropped here; SQLite: a temp
file), production settings (PYITHU_MODE=production, a generated secret and key file in a temp
dir, no SSL redirect), migrations and collected static files, a 60-question national paper and
N candidates with exam codes. Then gunicorn (the project's WSGI app, several sync workers)
serves on 127.0.0.1:8201 (PostgreSQL) / 8202 (SQLite) and a threaded HTTP client does what
candidates do, through the same pages:

  login phase    GET /education/exam/ (CSRF cookie), POST the code (302 to the question)
  answer phase   for each of the 60 questions: GET the page (its question id and options,
                 in the candidate's shuffled order), POST the answer (saved, 302 to the next);
                 some saves are sent twice (a flaky link); once, mid-phase, every server process
                 is killed with SIGKILL and restarted, and clients retry like a phone would.

Afterwards every answer a client saw acknowledged (302) is checked in the database: none may be
missing, different or duplicated. pgbench's simple-update (-N) tps on the same PostgreSQL gives
the ceiling. Prints a table.

    .venv/bin/python bench/exam_load.py            # scaled down, about two minutes
    .venv/bin/python bench/exam_load.py --full     # 60,000 log in; 600 of them sit the paper
    .venv/bin/python bench/exam_load.py --only sqlite --candidates 50
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST = "127.0.0.1"
PORTS = {"postgresql": 8201, "sqlite": 8202}
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
QUESTIONS = 60
FILL_EVERY = 5  # every fifth question is fill-in-the-blank, the rest multiple choice
RETRY_SHARE = 0.03  # saves sent twice, as a flaky link would

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUESTION_RE = re.compile(r'name="question" value="([^"]+)"')
CHOICE_RE = re.compile(r'name="choice" value="(\d+)"')


# --- inside Django (run as a subprocess with the server's environment) -----------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pyithu.settings")
    import django

    django.setup()


def seed(count: int, codes_path: str) -> None:
    _django()
    from datetime import timedelta

    from django.utils import timezone

    from pyithu.education.exams.services import papers
    from pyithu.education.exams.services.exams import register_candidates
    from pyithu.education.models import Question, School

    school = School.objects.create(
        slug="bench-school", name_en="Bench School", status=School.Status.RECOGNISED
    )
    bank = papers.create_bank("BECA bench", None)
    questions = []
    for i in range(QUESTIONS):
        if i % FILL_EVERY == FILL_EVERY - 1:
            q = papers.add_question(
                bank, Question.Kind.FILL, f"Fill {i}", accepted=["Myanmar", "မြန်မာ"]
            )
        else:
            q = papers.add_question(
                bank,
                Question.Kind.CHOICE,
                f"Question {i}: which is right?",
                options=["first", "second", "third", "fourth"],
                correct_option=i % 4,
            )
        questions.append(q)
    paper = papers.create_paper("BECA bench", questions, None, minutes=600, national=True)
    now = timezone.now()
    sitting = papers.open_sitting(
        paper, "BECA bench", now - timedelta(minutes=1), now + timedelta(hours=12), None
    )
    with open(codes_path, "w", encoding="utf-8") as fh:
        left = count
        while left:
            batch = min(left, 2000)
            for _n, code in register_candidates(sitting, school, batch, None):
                fh.write(code + "\n")
            left -= batch


def verify(expected_path: str) -> None:
    """Compare every acknowledged answer with the database; print a JSON verdict."""
    _django()
    from django.db.models import Count

    from pyithu.education.exams.services.exams import code_digest
    from pyithu.education.models import Answer

    expected: dict[str, dict[str, list[Any]]] = json.loads(Path(expected_path).read_text())
    stored: dict[tuple[str, str], tuple[Any, str]] = {}
    rows = Answer.objects.values_list(
        "attempt__candidate__code_digest", "question_id", "choice", "text"
    ).iterator(chunk_size=10000)
    # Texts are sealed; the field unseals them as they are read.
    for digest, qid, choice, text in rows:
        stored[(digest, str(qid))] = (choice, text)
    lost = wrong = 0
    acknowledged = 0
    for code, answers in expected.items():
        digest = code_digest(code)
        for qid, (kind, value) in answers.items():
            acknowledged += 1
            got = stored.get((digest, qid))
            if got is None:
                lost += 1
            elif (kind == "c" and got[0] != value) or (kind == "t" and got[1] != value):
                wrong += 1
    duplicated = (
        Answer.objects.values("attempt_id", "question_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    print(
        json.dumps(
            {
                "acknowledged": acknowledged,
                "rows": Answer.objects.count(),
                "lost": lost,
                "wrong": wrong,
                "duplicated": duplicated,
            }
        )
    )


# --- the servers ----------------------------------------------------------------------------


def environment(tmp: Path, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="pyithu.settings",
        PYTHONPATH=str(ROOT / "src"),
        PYITHU_MODE="production",
        PYITHU_SECRET_KEY_FILE=str(tmp / "secret_key"),
        PYITHU_KEY_FILE=str(tmp / "keys.json"),
        PYITHU_VAR_DIR=str(tmp),
        PYITHU_STATIC_ROOT=str(tmp / "static"),
        PYITHU_MEDIA_ROOT=str(tmp / "media"),
        PYITHU_SSL_REDIRECT="0",
        PYITHU_ALLOWED_HOSTS=HOST,
        PYITHU_DB_CONN_MAX_AGE="300",
        PYITHU_LOG_LEVEL="ERROR",
        DATABASE_URL=database_url,
    )
    env.pop("PYITHU_KEYS", None)
    return env


def django_command(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "-m", "django", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"django {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def this_script(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, __file__, *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(tmp: Path, env: dict[str, str], candidates: int) -> list[str]:
    (tmp / "secret_key").write_text(secrets.token_urlsafe(50))
    django_command({**env, "PYITHU_MODE": "development"}, "init_keys")
    django_command(env, "migrate", "--noinput")
    django_command(env, "collectstatic", "--noinput")
    codes_path = tmp / "codes.txt"
    this_script(env, "_seed", str(candidates), str(codes_path))
    return codes_path.read_text().split()


class Server:
    def __init__(self, env: dict[str, str], port: int, workers: int, log: Path) -> None:
        self.env, self.port, self.workers, self.log = env, port, workers, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        began = time.monotonic()
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "pyithu.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--backlog",
                "2048",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so kill() reaches every worker
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/education/exam/")
                if conn.getresponse().status == 200:
                    return time.monotonic() - began
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"gunicorn did not start on {self.port}; see {self.log}")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: no chance to finish anything."""
        if self.process:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


# --- the candidates -------------------------------------------------------------------------


@dataclass
class Candidate:
    code: str
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    expected: dict[str, list[Any]] = field(default_factory=dict)
    positions: dict[str, int] = field(default_factory=dict)


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1


class Browser:
    """One phone: keeps cookies, retries when the server is unreachable."""

    def __init__(self, port: int, tally: Tally) -> None:
        self.port, self.tally = port, tally
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def send(
        self, who: Candidate, method: str, path: str, form: dict[str, str] | None, kind: str
    ) -> tuple[int, str, str]:
        body = None
        headers = {"Host": HOST}
        if who.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in who.cookies.items())
        if form is not None:
            from urllib.parse import urlencode

            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for _attempt in range(300):
            began = time.monotonic()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.tally.error("retried after connection error")
                time.sleep(0.1)
                continue
            self.tally.add(kind, time.monotonic() - began)
            for raw in response.msg.get_all("Set-Cookie") or []:
                name, _, rest = raw.partition("=")
                who.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
            return response.status, response.getheader("Location", ""), text
        raise RuntimeError(f"{path}: server unreachable")


def log_in(browser: Browser, who: Candidate) -> None:
    _status, _loc, page = browser.send(who, "GET", "/education/exam/", None, "login page")
    who.csrf = CSRF_RE.search(page).group(1)  # type: ignore[union-attr]
    status, location, _ = browser.send(
        who,
        "POST",
        "/education/exam/",
        {"csrfmiddlewaretoken": who.csrf, "code": who.code},
        "login",
    )
    if status != 302 or "/exam/q/" not in location:
        browser.tally.error(f"login refused ({status})")


def sit_paper(browser: Browser, who: Candidate, rng: random.Random) -> None:
    for n in range(1, QUESTIONS + 1):
        path = f"/education/exam/q/{n}/"
        status, _loc, page = browser.send(who, "GET", path, None, "question page")
        found = QUESTION_RE.search(page)
        if status != 200 or not found:
            browser.tally.error(f"question page {status}")
            continue
        qid = found.group(1)
        who.csrf = CSRF_RE.search(page).group(1)  # type: ignore[union-attr]
        who.positions[qid] = n
        is_choice = bool(CHOICE_RE.findall(page))
        save(browser, who, rng, qid, n, is_choice, "answer save")


def save(
    browser: Browser,
    who: Candidate,
    rng: random.Random,
    qid: str,
    n: int,
    is_choice: bool,
    kind_of_request: str,
) -> None:
    form = {"csrfmiddlewaretoken": who.csrf, "question": qid}
    if is_choice:
        value: Any = rng.randrange(4)
        form["choice"] = str(value)
        kind = "c"
    else:
        value = rng.choice(["Myanmar", "မြန်မာ", "Burma", "ျမန္မာ"])
        form["text"] = value
        kind = "t"
    path = f"/education/exam/q/{n}/"
    for _send in range(2 if rng.random() < RETRY_SHARE else 1):
        status, location, _ = browser.send(who, "POST", path, form, kind_of_request)
    if status == 302 and location.endswith(f"/q/{n + 1}/"):
        # Acknowledged: from now on it must be in the database exactly like this.
        who.expected[qid] = [kind, value if kind == "c" else _normalised(value)]
    else:
        browser.tally.error(f"save refused ({status})")


def revise(browser: Browser, who: Candidate, rng: random.Random) -> None:
    """Change a third of the answers, as a candidate reviewing the paper does: saves only."""
    for qid in rng.sample(sorted(who.positions), k=len(who.positions) // 3):
        is_choice = who.expected.get(qid, ["c"])[0] == "c"
        save(browser, who, rng, qid, who.positions[qid], is_choice, "answer revise")


def _normalised(value: str) -> str:
    # The server stores text after Zawgyi conversion; compare with what it will hold.
    return "မြန်မာ" if value == "ျမန္မာ" else value


def run_phase(
    candidates: list[Candidate], threads: int, port: int, tally: Tally, work: Any
) -> float:
    queue = iter(candidates)
    lock = threading.Lock()

    def next_candidate() -> Iterator[Candidate]:
        while True:
            with lock:
                who = next(queue, None)
            if who is None:
                return
            yield who

    def worker(seed: int) -> None:
        browser = Browser(port, tally)
        rng = random.Random(seed)
        for who in next_candidate():
            work(browser, who, rng)

    began = time.monotonic()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return time.monotonic() - began


# --- pgbench --------------------------------------------------------------------------------


def pg_env() -> dict[str, str]:
    return {**os.environ, "PGHOST": PG["host"], "PGPORT": PG["port"], "PGUSER": PG["user"]}


def pgbench_tps(database: str, clients: int, seconds: int) -> float:
    subprocess.run(
        ["pgbench", "-i", "-q", "-s", "10", database], env=pg_env(), check=True, capture_output=True
    )
    done = subprocess.run(
        ["pgbench", "-N", "-c", str(clients), "-j", "2", "-T", str(seconds), database],
        env=pg_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    found = re.search(r"tps = ([\d.]+)", done.stdout)
    return float(found.group(1)) if found else 0.0


# --- one database ---------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def bench(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix=f"exam-bench-{backend}-"))
    database = f"bench_exam_{os.getpid()}"
    if backend == "postgresql":
        subprocess.run(["createdb", database], env=pg_env(), check=True)
        url = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{database}"
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = environment(tmp, url)
    server = Server(env, PORTS[backend], args.workers, tmp / "gunicorn.log")
    try:
        print(f"[{backend}] preparing {args.candidates} candidates ...", flush=True)
        began = time.monotonic()
        codes = prepare(tmp, env, args.candidates)
        print(
            f"[{backend}] seeded in {time.monotonic() - began:.0f}s; starting gunicorn", flush=True
        )
        server.start()
        warm_up(server.port, args.workers)
        tally = Tally()
        candidates = [Candidate(code) for code in codes]
        login_seconds = run_phase(
            candidates, args.threads, server.port, tally, lambda b, w, _r: log_in(b, w)
        )
        print(f"[{backend}] {len(candidates)} logins in {login_seconds:.1f}s", flush=True)
        # Every candidate logs in; the paper is sat by all, or by --sitting of them (60,000 x 60
        # saves would take hours on a laptop: the save rate is what the sample measures).
        candidates = candidates[: args.sitting or len(candidates)]
        killer = threading.Thread(target=_kill_midway, args=(server, tally, args), daemon=True)
        if not args.no_kill:
            killer.start()
        answer_seconds = run_phase(candidates, args.threads, server.port, tally, sit_paper)
        print(f"[{backend}] answers in {answer_seconds:.1f}s", flush=True)
        revise_seconds = run_phase(candidates, args.threads, server.port, tally, revise)
        print(f"[{backend}] revisions in {revise_seconds:.1f}s", flush=True)
        server.stop()
        expected = {c.code: c.expected for c in candidates}
        (tmp / "expected.json").write_text(json.dumps(expected, ensure_ascii=False))
        verdict = json.loads(this_script(env, "_verify", str(tmp / "expected.json")))
        ceiling = (
            pgbench_tps(database, args.workers * 2, args.pgbench_seconds)
            if backend == "postgresql"
            else None
        )
        saves = tally.latencies.get("answer save", [])
        logins = tally.latencies.get("login", [])
        return {
            "backend": backend,
            "candidates": len(candidates),
            "logins_per_s": len(logins) / login_seconds,
            "login_p50": pct(logins, 0.5),
            "login_p99": pct(logins, 0.99),
            "saves": len(saves),
            "saves_per_s": len(saves) / answer_seconds,
            "save_p50": pct(saves, 0.5),
            "save_p99": pct(saves, 0.99),
            "page_p50": pct(tally.latencies.get("question page", []), 0.5),
            "revise_per_s": len(tally.latencies.get("answer revise", [])) / revise_seconds,
            "revise_p50": pct(tally.latencies.get("answer revise", []), 0.5),
            "revise_p99": pct(tally.latencies.get("answer revise", []), 0.99),
            "pgbench": ceiling,
            "verdict": verdict,
            "errors": tally.errors,
            "restart": tally.latencies.get("restart", [0.0])[0],
        }
    finally:
        server.stop()
        if backend == "postgresql":
            subprocess.run(["dropdb", "--if-exists", database], env=pg_env(), check=False)
        shutil.rmtree(tmp, ignore_errors=True)


def warm_up(port: int, workers: int) -> None:
    """Let every worker import and compile its templates before the clock starts."""
    for _ in range(workers * 6):
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        for path in ("/education/exam/", "/education/exam/q/1/"):
            conn.request("GET", path, headers={"Host": HOST})
            conn.getresponse().read()
            conn.close()


def _kill_midway(server: Server, tally: Tally, args: argparse.Namespace) -> None:
    """Once about 40% of the answers are in, kill every server process and start again."""
    target = int(min(args.candidates, args.sitting or args.candidates) * QUESTIONS * 0.4)
    while len(tally.latencies.get("answer save", [])) < target:
        time.sleep(0.2)
    server.kill()
    began = time.monotonic()
    server.start()
    tally.add("restart", time.monotonic() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=120)
    parser.add_argument("--full", action="store_true", help="60,000 candidates log in")
    parser.add_argument("--sitting", type=int, default=0, help="how many then sit (0: all)")
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 1))
    parser.add_argument("--threads", type=int, default=4, help="concurrent clients")
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    parser.add_argument("--no-kill", action="store_true", help="do not kill the server midway")
    parser.add_argument("--pgbench-seconds", type=int, default=10)
    args = parser.parse_args()
    if args.full:
        args.candidates = 60_000
        args.sitting = args.sitting or 600
    results = [bench(b, args) for b in ("postgresql", "sqlite") if args.only in (None, b)]
    print_table(results, args)


def print_table(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print()
    print(
        f"exam_load: {args.candidates} candidates log in, "
        f"{args.sitting or args.candidates} sit {QUESTIONS} questions, "
        f"gunicorn {args.workers} sync workers, {args.threads} client threads, "
        f"{os.cpu_count()} CPUs shared by server, database and client"
    )
    rows = [
        ("logins/s", lambda r: f"{r['logins_per_s']:.1f}"),
        ("login p50 / p99 ms", lambda r: f"{r['login_p50']:.1f} / {r['login_p99']:.1f}"),
        ("answer saves (page + save)", lambda r: f"{r['saves']}"),
        ("  saves/s", lambda r: f"{r['saves_per_s']:.1f}"),
        ("  save p50 / p99 ms", lambda r: f"{r['save_p50']:.1f} / {r['save_p99']:.1f}"),
        ("  question page p50 ms", lambda r: f"{r['page_p50']:.1f}"),
        ("revisions (saves only)/s", lambda r: f"{r['revise_per_s']:.1f}"),
        ("  revise p50 / p99 ms", lambda r: f"{r['revise_p50']:.1f} / {r['revise_p99']:.1f}"),
        ("pgbench -N tps (ceiling)", lambda r: f"{r['pgbench']:.0f}" if r["pgbench"] else "-"),
        (
            "saves-only / ceiling",
            lambda r: f"{100 * r['revise_per_s'] / r['pgbench']:.0f}%" if r["pgbench"] else "-",
        ),
        ("server killed, restart s", lambda r: f"{r['restart']:.1f}" if r["restart"] else "-"),
        ("acknowledged answers", lambda r: f"{r['verdict']['acknowledged']}"),
        (
            "lost / wrong / duplicated",
            lambda r: "{lost} / {wrong} / {duplicated}".format(**r["verdict"]),
        ),
    ]
    names = [r["backend"] for r in results]
    print(f"{'':28}" + "".join(f"{n:>20}" for n in names))
    print("-" * (28 + 20 * len(names)))
    for label, show in rows:
        print(f"{label:28}" + "".join(f"{show(r):>20}" for r in results))
    for r in results:
        print(f"{r['backend']}: client notes: {r['errors'] or 'none'}")
    print(
        "targets: 60,000 logins in 15 min (67/s); >= 500 saves/s and >= half the pgbench "
        "ceiling; zero lost/wrong/duplicated"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_seed":
        seed(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "_verify":
        verify(sys.argv[2])
    else:
        main()
