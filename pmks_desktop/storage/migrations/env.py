"""Alembic environment: runs migrations on the database named in the config, in one transaction."""
from alembic import context
from sqlalchemy import create_engine, pool

from pmks_desktop.storage import models  # noqa: F401  (registers the tables)
from sqlmodel import SQLModel

config = context.config
target_metadata = SQLModel.metadata


def _include_name(name, type_, _parent_names) -> bool:
    # The FTS5 search index (person_fts and its shadow tables) is made by raw SQL, not models.
    return not (type_ == "table" and name and name.startswith("person_fts"))


def run_migrations() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True,  # SQLite alters tables by copying them
                          include_name=_include_name)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
