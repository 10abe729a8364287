"""Alembic, driven from code: the migration scripts ship inside the package."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(database: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{database}")
    return cfg


def upgrade_to_head(database: Path) -> None:
    command.upgrade(alembic_config(database), "head")


def script_revisions() -> list[str]:
    """Revision ids of the shipped scripts, oldest first (checked against schema.py by a test)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config(Path("unused.sqlite")))
    return [s.revision for s in reversed(list(scripts.walk_revisions()))]
