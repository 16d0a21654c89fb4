"""The distributed store: PostgreSQL through psycopg 3 and a connection pool that heals after restarts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from store.base import StoreUnavailable
from store.sql import Cursor, SqlStore


class _PostgresTx:
    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self._connection = connection

    def run(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self._connection.execute(sql.replace("?", "%s"), params, prepare=True)


class PostgresStore(SqlStore):
    kind = "postgres"
    column_types = {"identity": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "blob": "BYTEA"}

    def __init__(self, url: str, min_size: int = 1, max_size: int = 10, timeout: float = 10.0) -> None:
        self._pool = ConnectionPool(
            url, min_size=min_size, max_size=max_size, open=True, timeout=timeout,
            check=ConnectionPool.check_connection, kwargs={"connect_timeout": 5},
        )

    @contextmanager
    def transaction(self) -> Iterator[_PostgresTx]:
        try:
            with self._pool.connection() as connection, connection.transaction():
                yield _PostgresTx(connection)
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise StoreUnavailable(str(exc)) from exc

    def _lock_for_migration(self, tx: Any) -> None:
        tx.run("SELECT pg_advisory_xact_lock(7234001)")

    def close(self) -> None:
        self._pool.close()
