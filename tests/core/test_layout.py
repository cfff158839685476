"""The house rules of the code base, checked: no two modules import each other, and the
service apps never import one another (the shared piece belongs lower down)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

SRC = Path(settings.BASE_DIR)
SERVICES = {"health", "education", "finance", "portal"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each module's imports of project modules (``from pkg import submodule`` names the
    submodule, not the package)."""
    paths = [p for p in SRC.rglob("*.py") if "migrations" not in p.parts]
    known = {_module_name(p) for p in paths}
    graph: dict[str, set[str]] = {}
    for path in paths:
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pyithu"):
                subs = {f"{node.module}.{a.name}" for a in node.names} & known
                deps |= subs or {node.module}
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name.startswith("pyithu")}
        graph[_module_name(path)] = deps & known
    return graph


def test_no_two_modules_import_each_other() -> None:
    graph = _imports()
    circles = sorted(
        {tuple(sorted((a, b))) for a, deps in graph.items() for b in deps if a in graph.get(b, ())}
    )
    assert circles == []


def test_service_apps_never_import_each_other() -> None:
    crossing = sorted(
        (module, dep)
        for module, deps in _imports().items()
        for dep in deps
        if module.split(".")[1] in SERVICES
        and dep.split(".")[1] in SERVICES
        and module.split(".")[1] != dep.split(".")[1]
    )
    assert crossing == []
