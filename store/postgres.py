"""The distributed store: PostgreSQL through psycopg 3 and a connection pool that heals after restarts.

Connections run in autocommit: a single-statement read is one round trip, and only writes pay for
BEGIN and COMMIT, sent in one batch with the statements where the caller asks for it. A connection is
checked with a ping only when it has been idle a while (a restarted server leaves idle connections dead);
one that broke in use is discarded by the pool, and a read that meets a dead connection is retried once
on a fresh one.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from store.base import StoreUnavailable
from store.sql import Cursor, SqlStore


class _PostgresTx:
    def __init__(self, connection: psycopg.Connection[Any], pipeline: psycopg.Pipeline | None, durable: bool) -> None:
        self._connection = connection
        self._pipeline = pipeline
        if not durable:
            connection.execute("SET LOCAL synchronous_commit = off")

    def run(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self._connection.execute(sql.replace("?", "%s"), params, prepare=True)

    def settle(self) -> None:
        if self._pipeline is not None:
            self._pipeline.sync()


IDLE_BEFORE_CHECK = 2.0


def _prefer_lz4(connection: psycopg.Connection[Any]) -> None:
    """Compress the large values this connection writes (a completed document and its text, tens of KB each)
    with lz4 rather than PostgreSQL's default pglz: a third of the server's CPU to store them, and faster to
    read back. A server built without lz4 (or older than 14) keeps its default."""
    with suppress(psycopg.errors.InvalidParameterValue, psycopg.errors.UndefinedObject):
        connection.execute("SET default_toast_compression = 'lz4'")


class _IdleCheck:
    """The pool's check and reset callbacks: ping a connection only when it comes back after a pause."""

    def __init__(self) -> None:
        self._returned: weakref.WeakKeyDictionary[psycopg.Connection[Any], float] = weakref.WeakKeyDictionary()

    def check(self, connection: psycopg.Connection[Any]) -> None:
        if time.monotonic() - self._returned.get(connection, 0.0) > IDLE_BEFORE_CHECK:
            ConnectionPool.check_connection(connection)

    def returned(self, connection: psycopg.Connection[Any]) -> None:
        self._returned[connection] = time.monotonic()


class PostgresStore(SqlStore):
    kind = "postgres"
    column_types = {"identity": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "blob": "BYTEA"}

    def __init__(self, url: str, min_size: int = 1, max_size: int = 10, timeout: float = 10.0) -> None:
        idle = _IdleCheck()
        self._pool = ConnectionPool(
            url, min_size=min_size, max_size=max_size, open=True, timeout=timeout,
            check=idle.check, reset=idle.returned, configure=_prefer_lz4,
            kwargs={"connect_timeout": 5, "autocommit": True},
        )

    @contextmanager
    def transaction(self, batched: bool = False, durable: bool = True) -> Iterator[_PostgresTx]:
        try:
            with self._pool.connection() as connection:
                if batched:
                    with connection.pipeline() as pipeline, connection.transaction():
                        yield _PostgresTx(connection, pipeline, durable)
                else:
                    with connection.transaction():
                        yield _PostgresTx(connection, None, durable)
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise StoreUnavailable(str(exc)) from exc

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        for attempt in range(2):
            try:
                with self._pool.connection() as connection:
                    return list(_PostgresTx(connection, None, True).run(sql, params).fetchall())
            except psycopg.OperationalError as exc:
                if attempt:
                    raise StoreUnavailable(str(exc)) from exc
            except PoolTimeout as exc:
                raise StoreUnavailable(str(exc)) from exc
        raise AssertionError("unreachable")

    def write(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self.transaction(batched=True, durable=False) as tx:
            done = tx.run(sql, params)
        return done.rowcount

    def write_returning(self, sql: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        """The rows are read once the pipeline has synced at COMMIT, so the statement costs one round trip."""
        with self.transaction(batched=True, durable=False) as tx:
            done = tx.run(sql, params)
        return list(done.fetchall())

    def _lock_for_migration(self, tx: Any) -> None:
        tx.run("SELECT pg_advisory_xact_lock(7234001)")

    def close(self) -> None:
        self._pool.close()
