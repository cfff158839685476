"""A fresh clone's first run speaks Burmese: catalogues compile before Django loads them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pyithu

PACKAGE = Path(pyithu.__file__).parent

FIRST_RUN = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from pyithu.cli import main

    main(["setup"])  # what `pyithu run` does first, in the same process

    from django.test import Client

    html = Client(HTTP_ACCEPT_LANGUAGE="my", SERVER_NAME="localhost").get("/").content.decode()
    assert "အကောင့်ဖွင့်ရန်" in html, "the home page is not in Burmese"
    mo = sorted(p.name for p in Path(sys.argv[1]).rglob("*.mo"))
    print("served in Burmese", mo)
    """
)


def test_the_first_setup_serves_burmese_in_the_same_process(tmp_path: Path) -> None:
    # Given a clone whose catalogues were never compiled (only the .po files)
    for name in ("locale", "locale_django"):
        shutil.copytree(PACKAGE / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    assert not list(tmp_path.rglob("*.mo"))
    (tmp_path / "fresh_settings.py").write_text(
        "from pyithu.settings import *  # noqa: F403\n"
        f"LOCALE_PATHS = [{str(tmp_path / 'locale')!r}, {str(tmp_path / 'locale_django')!r}]\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(PACKAGE.parent)]),
        "DJANGO_SETTINGS_MODULE": "fresh_settings",
        "PYITHU_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'first.sqlite3'}",
        "PYITHU_MODE": "development",
    }
    env.pop("PYITHU_KEY_FILE", None)

    # When the first set-up runs and, in that same process, the home page is asked for
    done = subprocess.run(
        [sys.executable, "-c", FIRST_RUN, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    # Then it is served in Burmese, from catalogues compiled by that run
    assert done.returncode == 0, done.stderr[-3000:]
    assert "served in Burmese" in done.stdout
    assert "django.mo" in done.stdout
