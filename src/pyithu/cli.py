"""`pyithu`: one command for operators, wrapping Django's management commands.

pyithu run            set up (migrate, reference data, demo) and serve on 127.0.0.1:8000
pyithu setup          translations, migrations and reference data only
pyithu demo           load demo data and print how to sign in as each role
pyithu rotate-keys    add a sealing key and re-seal everything under it
pyithu backup-key     make the offline recovery key pair for backups
pyithu backup         write one encrypted backup (database and sealed files)
pyithu restore        restore a backup into an empty database and check it
pyithu backup-keys    the sealing keys, encrypted to a second, different recipient
pyithu <command>      any other management command; dashes work for underscores
"""

from __future__ import annotations

import os
import sys

from django.conf import settings


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pyithu.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    import django
    from django.core.management import call_command, execute_from_command_line

    command = args[0].replace("-", "_")
    if command in {"run", "setup", "test", "runserver"}:
        # Compile the catalogues before Django loads any: compiled later in the same process,
        # a fresh clone's first `pyithu run` would serve English until restarted.
        from pyithu.core.translations import compile_catalogues

        compile_catalogues()
    if command == "run":
        django.setup()
        call_command("setup")
        if not settings.PRODUCTION:
            call_command("demo")
        address = args[1] if len(args) > 1 else os.environ.get("PYITHU_ADDRESS", "127.0.0.1:8000")
        print(f"\nPyithu is serving on http://{address}/  (Ctrl-C stops it)\n")
        execute_from_command_line(["pyithu", "runserver", "--noreload", address])
        return
    if command == "serve":
        if os.environ.get("PYITHU_SYNC_ROLE", "").strip().lower() == "node":
            # A node's sealing keys are locked: unlock them once, then serve from this process
            # so every worker inherits the unlocked keys (docs/NODE.md).
            django.setup()
            call_command("node", "serve")
            return
        serve(args[1:])
        return
    execute_from_command_line(["pyithu", command, *args[1:]])


def serve(extra: list[str]) -> None:
    """Several gunicorn workers: what a ministry hub or a busy node runs instead of `run`."""
    workers = os.environ.get("PYITHU_WORKERS", str(2 * (os.cpu_count() or 1) + 1))
    bind = os.environ.get("PYITHU_BIND", "127.0.0.1:8000")
    prepare_metrics_dir()
    os.execvp(  # noqa: S606 (replaces this process with gunicorn, arguments are ours)
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "pyithu.wsgi:application",
            "--bind",
            bind,
            "--workers",
            workers,
            *extra,
        ],
    )


def prepare_metrics_dir() -> None:
    """Workers share their metrics through files (prometheus_client's multiprocess mode): a
    directory of their own, emptied at each start so a restart does not add old counts."""
    from pathlib import Path

    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(Path(settings.VAR_DIR) / "metrics")
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


if __name__ == "__main__":
    main()
