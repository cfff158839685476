"""Backups: one age-encrypted file per run, opened only by the offline recovery key.

A backup is a tar archive encrypted with age (``pyrage``) to the recovery public key
(``PYITHU_BACKUP_RECIPIENT``), so ``age -d -i recovery.key FILE | tar -x`` opens it too:

``manifest.json``      format, engine, migrations applied, row count of every table, the
                       SHA-256 of every other member, and a key check (a random text sealed and
                       digested with this site's keys)
``database.pgdump``    PostgreSQL: ``pg_dump --format=custom`` in one snapshot with the counts
``database.sqlite3``   SQLite: a copy made with the online backup API
``files/...``          everything under ``MEDIA_ROOT`` (the sealed files)

The sealing keys are never in it: they go to a second file for a different recipient
(``backup-keys``), or on paper (decision 0080). A restore refuses a file it cannot open with the
identity given, a truncated or altered file, keys that do not open the backup's key check, and a
database or media directory that is not empty unless ``force``; then it checks what it restored.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import pyrage
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from pyithu.core import sealing
from pyithu.core.rotation import sealed_columns

FORMAT = "pyithu-backup"
VERSION = 1
CHECK_PURPOSE = "backup-check"
# Sealed values opened per column and sealed files opened after a restore: enough to prove the
# keys fit every table, cheap on a large database.
SAMPLES_PER_COLUMN = 3
SAMPLE_FILES = 20


class BackupError(Exception):
    """A backup could not be made or restored; the message says why and what to do."""


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    sealed_values_opened: int = 0
    sealed_files_opened: int = 0
    pending_migrations: list[str] = field(default_factory=list)
    ledger: str = ""


# --- keys -----------------------------------------------------------------------------------


def new_recovery_identity() -> tuple[str, str]:
    """A fresh age X25519 key pair: (secret identity text, public recipient)."""
    identity = pyrage.x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def identity_file_text(secret: str, public: str) -> str:
    """The same layout as ``age-keygen`` writes, so the standard tool reads it."""
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"# created: {created}\n# public key: {public}\n{secret}\n"


def parse_recipient(text: str) -> pyrage.x25519.Recipient:
    try:
        return pyrage.x25519.Recipient.from_str(text.strip())
    except pyrage.RecipientError as exc:
        raise BackupError(f"not an age public key (age1...): {exc}") from exc


def load_identity(path: Path) -> pyrage.x25519.Identity:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BackupError(f"cannot read the identity file {path}: {exc.strerror}") from exc
    for line in lines:
        if line.strip().startswith("AGE-SECRET-KEY-"):
            try:
                return pyrage.x25519.Identity.from_str(line.strip())
            except pyrage.IdentityError as exc:
                raise BackupError(f"{path} holds a malformed age secret key") from exc
    raise BackupError(f"{path} holds no age secret key (AGE-SECRET-KEY-...)")


def configured_recipient() -> str:
    return os.environ.get("PYITHU_BACKUP_RECIPIENT", "").strip()


# --- making a backup --------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


def _pg_env() -> dict[str, str]:
    """libpq settings for pg_dump/pg_restore from Django's: the password never on a command line."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _run(args: list[str], env: dict[str, str] | None = None) -> None:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{args[0]} is not installed (Debian: postgresql-client)") from exc
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()[-2000:]}")


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def _count_rows(cursor: Any, tables: list[str]) -> dict[str, int]:
    qn = connection.ops.quote_name
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {qn(table)}")  # noqa: S608 (names from the schema)
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _migrations(cursor: Any) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _dump_database(work: Path) -> tuple[str, dict[str, int], dict[str, list[str]]]:
    """The database into ``work``, with the row counts and migrations of the same moment."""
    tables = _tables()
    if _engine() == "postgresql":
        target = work / "database.pgdump"
        # One snapshot for the dump and the counts: pg_dump joins the exported snapshot, so
        # writes during the backup change neither (the manifest matches the dump exactly).
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                env=_pg_env(),
            )
            counts = _count_rows(cursor, tables)
            migrations = _migrations(cursor)
        return target.name, counts, migrations
    if _engine() != "sqlite":
        raise BackupError(f"backups support PostgreSQL and SQLite, not {connection.vendor}")
    target = work / "database.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        # Counted in the copy itself: exactly what the file holds.
        cursor = copy.cursor()
        counts = _count_rows(cursor, tables)
        migrations = _migrations(cursor)
    finally:
        copy.close()
    return target.name, counts, migrations


def _key_check() -> dict[str, str]:
    """A random text sealed and digested now: a restore proves its keys open this site's data
    and make the same digests (look-ups by code fail silently with another digest key)."""
    text = secrets.token_hex(16)
    return {
        "text": text,
        "sealed": sealing.seal_text(text),
        "digest": sealing.digest(CHECK_PURPOSE, text),
    }


def _media_files() -> Iterator[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, path.relative_to(root).as_posix()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pyithu")
    except PackageNotFoundError:
        return "unknown"


def backup_name(now: datetime | None = None) -> str:
    return f"pyithu-{(now or datetime.now(UTC)).strftime('%Y%m%dT%H%M%SZ')}.age"


def create_backup(output: Path, recipient: str) -> dict[str, Any]:
    """Write one encrypted backup to ``output`` (atomically); return its manifest."""
    to = parse_recipient(recipient)
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".pyithu-backup-", dir=output.parent))
    try:
        db_name, counts, migrations = _dump_database(work)
        members = {db_name: _sha256(work / db_name)}
        files = {}
        for path, rel in _media_files():
            files[f"files/{rel}"] = (path, _sha256(path))
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": datetime.now(UTC).isoformat(),
            "pyithu_version": _version(),
            "engine": _engine(),
            "database": db_name,
            "migrations": migrations,
            "tables": counts,
            "members": members | {name: digest for name, (_p, digest) in files.items()},
            "key_versions": sorted(sealing.keyring().keys),
            "key_check": _key_check(),
        }
        archive = work / "backup.tar"
        with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
            raw = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode = len(raw), 0o600
            tar.addfile(info, io.BytesIO(raw))
            tar.add(work / db_name, arcname=db_name, recursive=False)
            for name, (path, _digest) in files.items():
                tar.add(path, arcname=name, recursive=False)
        (work / db_name).unlink()
        partial = work / "backup.age"
        pyrage.encrypt_file(str(archive), str(partial), [to])
        archive.unlink()
        os.chmod(partial, 0o600)
        os.replace(partial, output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups (by the time in their names) in ``directory``."""
    found = sorted(directory.glob("pyithu-*Z.age"))
    doomed = found[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink()
    return doomed


def backup_keys(output: Path, recipient: str) -> list[str]:
    """The sealing key file (as it is: passphrase-locked on a node), the secret key and the
    node identity, encrypted to a *different* recipient than the data backups."""
    to = parse_recipient(recipient)
    if recipient.strip() == configured_recipient():
        raise BackupError(
            "the key backup must go to a different recipient than PYITHU_BACKUP_RECIPIENT: "
            "a key that opens both would open the whole site"
        )
    parts: dict[str, bytes] = {}
    key_file = Path(settings.PYITHU_KEY_FILE)
    if settings.PYITHU_KEYS_JSON:
        parts["keys.json"] = settings.PYITHU_KEYS_JSON.encode("utf-8")
    elif key_file.exists():
        parts["keys.json"] = key_file.read_bytes()
    else:
        raise BackupError(f"no sealing keys to back up ({key_file} does not exist)")
    parts["secret_key"] = settings.SECRET_KEY.encode("utf-8")
    node_key = Path(
        os.environ.get("PYITHU_NODE_KEY_FILE") or Path(settings.VAR_DIR) / "node_key.json"
    )
    if node_key.exists():
        parts["node_key.json"] = node_key.read_bytes()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, raw in parts.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(raw), 0o600
            tar.addfile(info, io.BytesIO(raw))
    output.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pyrage.encrypt(buffer.getvalue(), [to]))
    return sorted(parts)


# --- restoring --------------------------------------------------------------------------------


@contextmanager
def opened(path: Path, identity: pyrage.x25519.Identity) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Decrypt and unpack a backup into a private temporary directory; check every member."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    work = Path(tempfile.mkdtemp(prefix=".pyithu-restore-"))
    try:
        archive = work / "backup.tar"
        try:
            pyrage.decrypt_file(str(path), str(archive), [identity])
        except (pyrage.DecryptError, OSError) as exc:
            # pyrage says "No matching keys found" for another key; a cut or altered file fails
            # its authentication ("decryption error") as an OSError from the streaming reader.
            reason = str(exc)
            if "No matching keys" in reason or "no matching" in reason.lower():
                raise BackupError(
                    f"{path} was not made for this recovery key (age: {reason})"
                ) from exc
            raise BackupError(f"{path} is truncated or was altered (age: {reason})") from exc
        unpacked = work / "backup"
        unpacked.mkdir(mode=0o700)
        try:
            tar = tarfile.open(archive)  # noqa: SIM115 (closed by the `with` below)
        except tarfile.TarError as exc:
            raise BackupError(f"{path} opens, but is not a Pyithu backup") from exc
        with tar:
            for member in tar.getmembers():
                name = PurePosixPath(member.name)
                if (
                    not member.isfile()
                    or name.is_absolute()
                    or ".." in name.parts
                    or not (
                        str(name) in {"manifest.json", "database.pgdump", "database.sqlite3"}
                        or name.parts[0] == "files"
                    )
                ):
                    raise BackupError(f"{path} holds an unexpected member {member.name!r}")
            tar.extractall(unpacked, filter="data")
        archive.unlink()
        try:
            manifest = json.loads((unpacked / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BackupError(f"{path} has no readable manifest") from exc
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise BackupError(f"{path} is not a Pyithu backup of format version {VERSION}")
        listed = set(manifest["members"])
        present = {
            p.relative_to(unpacked).as_posix()
            for p in unpacked.rglob("*")
            if p.is_file() and p.name != "manifest.json"
        }
        if listed != present:
            raise BackupError(f"{path}: the members do not match its manifest")
        for name, digest in manifest["members"].items():
            if _sha256(unpacked / name) != digest:
                raise BackupError(f"{path}: {name} does not match its checksum")
        yield unpacked, manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check_keys(manifest: dict[str, Any]) -> None:
    """Refuse before touching anything when this site's keys cannot read the backup."""
    missing = sorted(set(manifest["key_versions"]) - set(sealing.keyring().keys))
    if missing:
        raise BackupError(
            f"the backup's data may be sealed with key version(s) {missing}, which the sealing "
            "key file here lacks: restore the key backup made at the time of this backup"
        )
    check = manifest["key_check"]
    try:
        opened_text = sealing.unseal_text(check["sealed"])
    except sealing.SealingError as exc:
        raise BackupError(
            "the sealing keys here do not open this backup's data: restore the key backup "
            f"first (PYITHU_KEY_FILE), then run restore again ({exc})"
        ) from exc
    if (
        opened_text != check["text"]
        or sealing.digest(CHECK_PURPOSE, check["text"]) != check["digest"]
    ):
        raise BackupError(
            "the digest key here differs from the backup's: look-ups by code would find "
            "nothing. Restore the key backup first."
        )


_PG_FUNCTIONS = """
    SELECT p.oid::regprocedure::text FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = current_schema()
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""


def _functions() -> list[str]:
    """PostgreSQL functions the schema holds (the append-only triggers' and others')."""
    if _engine() != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(_PG_FUNCTIONS)
        return [row[0] for row in cursor.fetchall()]


def database_is_empty() -> bool:
    return not _tables() and not _functions()


def media_is_empty() -> bool:
    return next(_media_files(), None) is None


def _drop_everything() -> None:
    qn = connection.ops.quote_name
    tables, functions = _tables(), _functions()
    with transaction.atomic(), connection.cursor() as cursor:
        if _engine() == "postgresql":
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {qn(table)} CASCADE")
            for function in functions:  # regprocedure text is already quoted and typed
                cursor.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {qn(table)}")


def _load_database(source: Path, manifest: dict[str, Any]) -> None:
    if manifest["engine"] != _engine():
        raise BackupError(
            f"this backup holds a {manifest['engine']} database; this site uses "
            f"{_engine()}. Restore it into a {manifest['engine']} database."
        )
    if _engine() == "postgresql":
        connection.close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={settings.DATABASES['default']['NAME']}",
                str(source),
            ],
            env=_pg_env(),
        )
        return
    connection.ensure_connection()
    with sqlite3.connect(source) as copy:
        copy.backup(connection.connection)
    connection.close()


def _restore_files(unpacked: Path) -> int:
    root = Path(settings.MEDIA_ROOT)
    files = unpacked / "files"
    count = 0
    if not files.is_dir():
        return 0
    for path in sorted(files.rglob("*")):
        if not path.is_file():
            continue
        target = root / path.relative_to(files)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        os.chmod(target, 0o600)
        count += 1
    return count


def verify(manifest: dict[str, Any], report: RestoreReport) -> None:
    """What was restored is what was backed up, and this site's keys open it."""
    with connection.cursor() as cursor:
        counts = _count_rows(cursor, sorted(manifest["tables"]))
        applied = _migrations(cursor)
    wrong = {t: (n, counts[t]) for t, n in manifest["tables"].items() if counts[t] != n}
    if wrong:
        raise BackupError(f"row counts differ from the manifest (table: expected, found): {wrong}")
    if applied != manifest["migrations"]:
        raise BackupError("the restored migrations differ from the manifest")
    report.tables, report.rows = len(counts), sum(counts.values())
    qn = connection.ops.quote_name
    restored_tables = set(counts)
    with connection.cursor() as cursor:
        for table, _pk, column in sealed_columns():
            if table not in restored_tables:
                continue
            cursor.execute(
                f"SELECT {qn(column)} FROM {qn(table)} "  # noqa: S608 (names from the models)
                f"WHERE {qn(column)} LIKE %s LIMIT {SAMPLES_PER_COLUMN}",
                [f"{sealing.TEXT_PREFIX}%"],
            )
            for (value,) in cursor.fetchall():
                try:
                    sealing.unseal_text(value)
                except sealing.SealingError as exc:
                    raise BackupError(f"a sealed value in {table}.{column} does not open") from exc
                report.sealed_values_opened += 1
    sealed_dir = Path(settings.MEDIA_ROOT) / "sealed"
    for path in sorted(sealed_dir.rglob("*.sealed"))[:SAMPLE_FILES] if sealed_dir.is_dir() else []:
        try:
            sealing.unseal_bytes(path.read_bytes())
        except sealing.SealingError as exc:
            raise BackupError(f"the sealed file {path.name} does not open") from exc
        report.sealed_files_opened += 1


def pending_migrations() -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


def restore_backup(path: Path, identity_path: Path, force: bool = False) -> RestoreReport:
    identity = load_identity(identity_path)
    report = RestoreReport()
    with opened(path, identity) as (unpacked, manifest):
        check_keys(manifest)
        if not force and not database_is_empty():
            raise BackupError(
                "the database is not empty: restore into a fresh database, or add --force to "
                "replace everything in it"
            )
        if not force and not media_is_empty():
            raise BackupError(
                f"{settings.MEDIA_ROOT} already holds files: restore into an empty media "
                "directory, or add --force to overwrite"
            )
        if force:
            _drop_everything()
        _load_database(unpacked / manifest["database"], manifest)
        report.files = _restore_files(unpacked)
        verify(manifest, report)
    report.pending_migrations = pending_migrations()
    if not report.pending_migrations:
        out = io.StringIO()
        try:
            call_command("ledger", "check", stdout=out, stderr=out)
        except Exception as exc:  # CommandError with the problems in ``out``
            raise BackupError(f"ledger check failed after restore: {out.getvalue()}") from exc
        report.ledger = out.getvalue().strip()
    return report
