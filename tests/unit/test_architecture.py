"""Rules of the house that a machine can check."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "pmks_desktop"
QT_ALLOWED = {"ui", "__main__.py"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules_outside_ui():
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] not in QT_ALLOWED:
            yield relative, path


def test_no_qt_below_the_ui_layer():
    offenders = [str(rel) for rel, path in _modules_outside_ui()
                 if any(name.split(".")[0] == "PySide6" for name in _imports(path))]
    assert offenders == []


def test_domain_imports_neither_storage_nor_services():
    for path in (PACKAGE / "domain").glob("*.py"):
        bad = {n for n in _imports(path) if n.startswith(("pmks_desktop.storage",
                                                            "pmks_desktop.services",
                                                            "sqlalchemy", "sqlmodel"))}
        assert not bad, (path.name, bad)


def test_widgets_do_not_open_database_sessions():
    for path in (PACKAGE / "ui").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "db.read(" not in text and "db.write(" not in text, path.name
        assert not any(n.startswith("sqlmodel") or n.startswith("sqlalchemy")
                       for n in _imports(path)), path.name
