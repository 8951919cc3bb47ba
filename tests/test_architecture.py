"""Which app may import which: a cheap check that the layers stay as drawn.

``preconditions`` is the base; ``places`` and ``assessments`` build on it; ``reports`` and
``workshop`` build on all of them. An import the other way round (even one tucked inside a
function) makes a cycle, so it fails here with the file and line that made it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "places": {"workshop"},
    "preconditions": {"places", "assessments", "reports", "workshop"},
    "assessments": {"reports", "workshop"},
}


def imported_apps(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in the file, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def forbidden_imports(app: str, forbidden: set[str]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line} imports {package}"
        for path in sorted((ROOT / app).rglob("*.py"))
        for line, package in imported_apps(path)
        if package in forbidden
    ]


@pytest.mark.parametrize(("app", "forbidden"), sorted(FORBIDDEN.items()))
def test_app_does_not_import_the_apps_built_on_it(app, forbidden):
    assert forbidden_imports(app, forbidden) == []


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "from places import models\n\ndef home():\n    from workshop.selectors import x\n"
    )
    assert imported_apps(module) == [(1, "places"), (4, "workshop")]
