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

import msgspec
import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from resume_parser.clock import now_iso
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

    def complete(self, request_id: str, response: dict[str, Any], raw_text: str | None, credits: int, now: str) -> bool:
        """The shared completion as one statement: the conditional UPDATE of the request feeds the settlement of
        its reservation, the ledger and the erasure of its file, so a worker finishes in one round trip (the
        shared version reads the reservation back first). Nothing but the UPDATE's own check is written when
        the request is already terminal or gone."""
        with self.transaction(batched=True, durable=False) as tx:
            done = tx.run(
                "WITH done AS (UPDATE requests SET status = 'completed', current_stage = NULL, "
                "progress_percentage = 100, completed_at = ?, credits_consumed = ?, response = ?, raw_text = ? "
                "WHERE request_id = ? AND status IN ('created', 'parsing') "
                "RETURNING account_id, CASE WHEN test_mode THEN 0 ELSE estimated_credits END AS reserved), "
                "settled AS (UPDATE accounts SET credits_used = credits_used + ?::integer, "
                "credits_reserved = credits_reserved - done.reserved FROM done WHERE accounts.id = done.account_id), "
                "ledger AS (INSERT INTO credit_ledger (account_id, request_id, kind, amount, created_at) "
                "SELECT done.account_id, ?, entry.kind, entry.amount, ? FROM done CROSS JOIN LATERAL "
                "(VALUES ('charge', ?::integer), ('release', done.reserved - ?::integer)) AS entry (kind, amount) "
                "WHERE entry.amount <> 0), "
                "erased AS (DELETE FROM request_files WHERE request_id = ? AND EXISTS (SELECT 1 FROM done)) "
                "SELECT count(*) FROM done",
                (now, credits, msgspec.json.encode(response).decode(), raw_text, request_id, credits, request_id,
                 now_iso(), credits, credits, request_id),
            )
        row = done.fetchone()
        return row is not None and row[0] == 1

    def _lock_for_migration(self, tx: Any) -> None:
        tx.run("SELECT pg_advisory_xact_lock(7234001)")

    def close(self) -> None:
        self._pool.close()
