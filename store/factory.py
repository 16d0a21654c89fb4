"""Choose the store from the settings: PostgreSQL when a database URL is set, SQLite otherwise."""

from __future__ import annotations

from resume_parser.settings import Settings
from store.base import Store


def open_store(settings: Settings) -> Store:
    if settings.database_url:
        from store.postgres import PostgresStore

        return PostgresStore(settings.database_url, timeout=settings.database_timeout)
    from store.sqlite import SqliteStore

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteStore(settings.data_dir / "resume_parser.sqlite3")
