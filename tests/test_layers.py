"""Imports point downward: the view records, documents, timeline and chronology sit below
the services that fill them, so none of them may import ``app.services``."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BELOW_SERVICES = [
    *ROOT.joinpath("app", "domain").rglob("*.py"),
    *ROOT.joinpath("app", "documents").rglob("*.py"),
    *ROOT.joinpath("app", "deadlines").rglob("*.py"),
    ROOT / "app" / "timeline.py",
    ROOT / "app" / "chronology.py",
    *ROOT.joinpath("app", "policy").rglob("*.py"),
    *ROOT.joinpath("app", "storage").rglob("*.py"),
]


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_nothing_below_the_services_imports_them() -> None:
    assert len(BELOW_SERVICES) > 20
    upward = {
        str(path.relative_to(ROOT)): sorted(
            n for n in imported(path) if n.startswith("app.services")
        )
        for path in BELOW_SERVICES
    }
    assert {path: names for path, names in upward.items() if names} == {}
