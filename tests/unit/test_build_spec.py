"""build.spec: checked as text (fast), and, on request, by a real build (PMKS_BUILD_TEST=1)."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "build.spec"
PACKAGE = REPO / "pmks_desktop"
# Qt modules the app will use even where no module imports them yet (letters, recaps, printing).
QT_REQUIRED = {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtPdf", "QtPdfWidgets",
               "QtCharts"}


def _spec_constants() -> dict[str, object]:
    """The literal assignments at the top level of build.spec (DATAS, QT_EXCLUDES, ...)."""
    constants = {}
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            try:
                constants[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass  # computed, not data
    return constants


def _qt_modules_imported_by_app() -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                       else [node.module] if isinstance(node, ast.ImportFrom) and node.module
                       else [])
            names.update(m.split(".")[1] for m in modules if m.startswith("PySide6."))
    return names


def test_bundled_folders_are_datas():
    datas = dict(_spec_constants()["DATAS"])
    assert datas.get("forms") == "forms"  # paths.py: sys._MEIPASS/forms
    assert datas.get("resources") == "resources"
    for source in datas:
        assert (REPO / source).is_dir(), source


def test_migrations_land_where_migrate_py_looks():
    from pmks_desktop.storage.migrate import MIGRATIONS_DIR

    # In the frozen app __file__ of migrate is <bundle>/pmks_desktop/storage/migrate.pyc, so the
    # scripts must sit at the same relative place in the bundle as in the source tree.
    relative = MIGRATIONS_DIR.relative_to(REPO).as_posix()
    assert dict(_spec_constants()["DATAS"]).get(relative) == relative
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert list((MIGRATIONS_DIR / "versions").glob("*.py"))


def test_qt_modules_in_use_are_not_excluded():
    constants = _spec_constants()
    excluded = set(constants["QT_EXCLUDES"])
    needed = QT_REQUIRED | _qt_modules_imported_by_app()
    assert not needed & excluded, f"build.spec excludes Qt modules in use: {needed & excluded}"
    hidden = {m.split(".", 1)[1] for m in constants["HIDDEN_IMPORTS"] if m.startswith("PySide6.")}
    assert {"QtPdf", "QtPdfWidgets", "QtCharts", "QtPrintSupport"} <= hidden


def test_platform_plugins_and_image_formats_are_kept():
    plugins = _spec_constants()["QT_PLUGINS"]
    assert {"qxcb", "qoffscreen", "qminimal", "qwindows"} <= set(plugins["platforms"])
    assert {"qjpeg", "qsvg"} <= set(plugins["imageformats"])
    for folder in ("styles", "printsupport", "iconengines"):
        assert folder in plugins


def test_lazy_imports_are_hidden_imports():
    hidden = set(_spec_constants()["HIDDEN_IMPORTS"])
    assert {"pmks_desktop.ui.setup_wizard", "pmks_desktop.ui.main_window", "alembic.op",
            "sqlalchemy.dialects.sqlite", "num2words.lang_ID", "logging.config"} <= hidden
    assert "id" in _spec_constants()["BABEL_LOCALES"]


def _frozen_selftest(exe: Path, data_dir: Path) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PMKS_DATA_DIR", None)
    result = subprocess.run([str(exe), "--selftest", "--data-dir", str(data_dir)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    if os.name == "nt" and not result.stdout:
        return "OK (windowed build, no console to print to)"
    return result.stdout


@pytest.mark.slow
@pytest.mark.timeout(1200)
@pytest.mark.skipif(os.environ.get("PMKS_BUILD_TEST") != "1",
                    reason="real PyInstaller build takes about a minute; set PMKS_BUILD_TEST=1")
def test_frozen_build_passes_selftest(tmp_path):
    pytest.importorskip("PyInstaller")
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm",
                    "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "build"),
                    str(SPEC)], cwd=REPO, check=True, capture_output=True, timeout=1100)
    exe = tmp_path / "dist" / "pmks-desktop" / ("pmks-desktop.exe" if os.name == "nt"
                                                else "pmks-desktop")
    assert exe.is_file()

    assert _frozen_selftest(exe, tmp_path / "empty").startswith("OK")  # set-up wizard

    demo = tmp_path / "demo"
    subprocess.run([sys.executable, "-m", "pmks_desktop.cli", "--data-dir", str(demo), "demo",
                    "--persons", "200"], cwd=REPO, check=True, capture_output=True, timeout=300)
    assert _frozen_selftest(exe, demo).startswith("OK")  # main window
