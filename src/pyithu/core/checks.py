"""System checks: refuse to run in production with missing or unsafe configuration."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_sealing_keys(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    if settings.PYITHU_KEYS_JSON:
        return []
    path = Path(settings.PYITHU_KEY_FILE)
    if not path.exists():
        if settings.PRODUCTION:
            return [
                Error(
                    f"Sealing key file {path} is missing.",
                    hint="Create it with `pyithu init-keys` and keep it off the database host.",
                    id="pyithu.E001",
                )
            ]
        return []
    if path.stat().st_mode & 0o077:
        return [
            Warning(
                f"Sealing key file {path} is readable by other users.",
                hint=f"chmod 600 {path}",
                id="pyithu.W001",
            )
        ]
    return []


@register(Tags.security)
def check_private_files(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """The laptop's database, keys and uploads live in var/: nobody else on the machine may
    read them (a shared laptop, a stolen backup of /home)."""
    paths = [Path(settings.VAR_DIR)]
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        paths.append(Path(settings.DATABASES["default"]["NAME"]))
    return [
        Warning(
            f"{path} can be read by other users of this machine.",
            hint=f"chmod {'700' if path.is_dir() else '600'} {path}",
            id="pyithu.W002",
        )
        for path in paths
        if path.exists() and path.stat().st_mode & 0o077
    ]
