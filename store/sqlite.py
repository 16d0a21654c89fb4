"""The embedded store: SQLite in the data directory, one connection per thread, WAL mode.

Write transactions start with BEGIN IMMEDIATE, which takes the database's write lock at once, so credit
reservations are atomic across threads and processes. Single-statement reads take no lock: WAL lets them
run beside a writer.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from store.base import StoreUnavailable
from store.sql import Cursor, SqlStore


class _SqliteTx:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def run(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self._connection.execute(sql, params)

    def settle(self) -> None:
        """Each statement has run when `run` returns."""


class SqliteStore(SqlStore):
    kind = "sqlite"
    column_types = {"identity": "INTEGER PRIMARY KEY AUTOINCREMENT", "blob": "BLOB"}

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            try:
                connection = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            except sqlite3.Error as exc:
                raise StoreUnavailable(str(exc)) from exc
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA busy_timeout=30000")
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    @contextmanager
    def transaction(self, batched: bool = False, durable: bool = True) -> Iterator[_SqliteTx]:
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield _SqliteTx(connection)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        try:
            return self._connection().execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(str(exc)) from exc

    def write(self, sql: str, params: Sequence[Any] = ()) -> int:
        try:
            return self._connection().execute(sql, params).rowcount
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(str(exc)) from exc

    def write_returning(self, sql: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        try:
            return self._connection().execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(str(exc)) from exc

    def _lock_for_migration(self, tx: Any) -> None:
        """BEGIN IMMEDIATE already holds the database's write lock."""

    def _listen_finished(self, announce: Callable[[str], None]) -> None:
        """The embedded mode runs its workers in this process: its own announcements are all there are."""

    def _notify_finished(self, tx: Any, request_id: str) -> None:
        """No other process to tell."""

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()
