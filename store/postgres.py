"""The distributed store: PostgreSQL through psycopg 3 and a connection pool that heals after restarts.

Connections run in autocommit: a single-statement read is one round trip, and only writes pay for
BEGIN and COMMIT, sent in one batch with the statements where the caller asks for it. A connection is
checked with a ping only when it has been idle a while (a restarted server leaves idle connections dead);
one that broke in use is discarded by the pool, and a read that meets a dead connection is retried once
on a fresh one.

A request's completion or failure sends a NOTIFY with its commit; a process that watches for finished
requests LISTENs on its own connection, so a long poll in the API hears of a result a worker stored at once.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import msgspec
import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from resume_parser.clock import now_iso
from store.base import StoreUnavailable
from store.sql import Cursor, SqlStore, Tx

log = logging.getLogger("resume_parser.store")

FINISHED_CHANNEL = "resume_parser_finished"


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
        super().__init__()
        self._url = url
        self._listener: _FinishedListener | None = None
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
        shared version reads the reservation back first), and the notice of its completion leaves with the
        commit. Nothing but the UPDATE's own check is written when the request is already terminal or gone."""
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
                "SELECT count(*) FROM (SELECT pg_notify(?, ?) FROM done) AS notified",
                (now, credits, msgspec.json.encode(response).decode(), raw_text, request_id, credits, request_id,
                 now_iso(), credits, credits, request_id, FINISHED_CHANNEL, request_id),
            )
        row = done.fetchone()
        if row is None or row[0] != 1:
            return False
        self._announce_finished(request_id)
        return True

    def _lock_for_migration(self, tx: Any) -> None:
        tx.run("SELECT pg_advisory_xact_lock(7234001)")

    def _notify_finished(self, tx: Tx, request_id: str) -> None:
        tx.run("SELECT pg_notify(?, ?)", (FINISHED_CHANNEL, request_id))

    def _listen_finished(self, announce: Callable[[str], None]) -> None:
        self._listener = _FinishedListener(self._url, announce)
        self._listener.start()

    def close(self) -> None:
        if self._listener is not None:
            self._listener.stop()
        self._pool.close()


class _FinishedListener(threading.Thread):
    """LISTENs for finished requests on a connection of its own, and reconnects (doubling its pause up to 10 s)
    when the database goes away. The connection is checked every second, so a dead one is replaced quickly."""

    CHECK_SECONDS = 1.0

    def __init__(self, url: str, announce: Callable[[str], None]) -> None:
        super().__init__(name="finished-listener", daemon=True)
        self._url = url
        self._announce = announce
        self._stopping = threading.Event()

    def run(self) -> None:
        pause = 0.5
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._url, autocommit=True, connect_timeout=5) as connection:
                    connection.execute(f"LISTEN {FINISHED_CHANNEL}")
                    pause = 0.5
                    while not self._stopping.is_set():
                        for notice in connection.notifies(timeout=self.CHECK_SECONDS):
                            self._announce(notice.payload)
                        connection.execute("SELECT 1")
            except psycopg.Error as exc:
                log.warning("not listening for finished requests (%s); retrying in %.1f s", type(exc).__name__, pause)
                self._stopping.wait(pause)
                pause = min(pause * 2, 10.0)

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=2 * self.CHECK_SECONDS)
