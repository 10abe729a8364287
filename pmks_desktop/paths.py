"""Where PMKS Desktop reads its bundled files and writes its data.

Nothing here touches the disk at import time: `main()` of the GUI and of the CLI calls
`resolve_data_dir()` once and passes the result down.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from pmks_desktop import APP_ID

DATA_DIR_ENV = "PMKS_DATA_DIR"
DATABASE_NAME = "pmks.sqlite"


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: `--data-dir` wins, then PMKS_DATA_DIR, then the platform's user data dir."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env_value = os.environ.get(DATA_DIR_ENV)
    if env_value:
        return Path(env_value).expanduser().resolve()
    import platformdirs  # only needed when no override is given

    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False, roaming=True))


@dataclass(frozen=True)
class DataPaths:
    """Every file the application writes lives under one data folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def backups(self) -> Path:
        return self.root / "backup"

    @property
    def node_marker(self) -> Path:
        # Kept outside the database so a restored or copied database can be told apart.
        return self.root / "node.json"

    @property
    def exports(self) -> Path:
        return self.root / "ekspor"

    @property
    def emblem(self) -> Path:
        return self.root / "lambang.png"

    def ensure(self) -> "DataPaths":
        self.root.mkdir(parents=True, exist_ok=True)
        self.backups.mkdir(exist_ok=True)
        return self


def _bundled_dir(name: str) -> Path:
    """forms/ or resources/: frozen build, source checkout, or installed package, in that order."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen_root:
        candidates.append(Path(frozen_root) / name)
    package_dir = Path(__file__).resolve().parent
    candidates.append(package_dir.parent / name)  # source checkout or editable install
    candidates.append(package_dir / name)  # wheel install: mapped into the package
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Folder {name}/ aplikasi tidak ditemukan (dicari di: {candidates})")


def forms_dir() -> Path:
    return _bundled_dir("forms")


def resources_dir() -> Path:
    return _bundled_dir("resources")
