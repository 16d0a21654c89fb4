"""The store logic shared by SQLite and PostgreSQL: the same SQL, run through a backend's transactions.

Statements use `?` placeholders; the PostgreSQL backend rewrites them to `%s`. Every state change of a
request is a conditional UPDATE on its status, which is what makes duplicate deliveries and concurrent
writers harmless.
"""

from __future__ import annotations

import secrets
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from importlib import resources
from typing import Any, Protocol

import msgspec

from resume_parser.clock import iso_after, now_iso
from schemas.records import (
    Account,
    ApiKey,
    ClaimedRequest,
    IdempotentHit,
    NewRequest,
    RequestInput,
    RequestRecord,
    RequestState,
    WebhookJob,
)
from store.base import InsufficientCredits

IDEMPOTENCY_SECONDS = 24 * 3600
NON_TERMINAL = ("created", "parsing")

_ACCOUNT_COLUMNS = "id, name, credits_total, credits_used, credits_reserved, page_limit, created_at"
_KEY_COLUMNS = "id, account_id, name, prefix, test, created_at, revoked_at, expires_at, webhook_url"
_REQUEST_COLUMNS = (
    "request_id, account_id, key_id, status, current_stage, progress_percentage, input_type, file_name, "
    "file_size_bytes, estimated_credits, credits_consumed, test_mode, created_at, started_at, completed_at, "
    "attempts, response"
)
_INPUT_COLUMNS = "input_type, config, file_name, input_text, input_data, job_description, test_mode, document_kind"
_REQUEST_COLUMNS_OF_R = ", ".join(f"r.{column.strip()}" for column in _REQUEST_COLUMNS.split(","))


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Sequence[Any] | None: ...

    def fetchall(self) -> Sequence[Sequence[Any]]: ...


class Tx(Protocol):
    def run(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...

    def settle(self) -> None:
        """Wait for the statements sent so far, so that their row counts are known."""


def _new_id(prefix: str) -> str:
    return prefix + secrets.token_hex(8)


def _json(value: Any) -> str | None:
    return None if value is None else msgspec.json.encode(value).decode()


def _unjson(value: str | bytes | None) -> Any:
    return None if value is None else msgspec.json.decode(value)


def _account(row: Sequence[Any]) -> Account:
    return Account(id=row[0], name=row[1], credits_total=row[2], credits_used=row[3], credits_reserved=row[4],
                   page_limit=row[5], created_at=row[6])


def _key(row: Sequence[Any]) -> ApiKey:
    return ApiKey(id=row[0], account_id=row[1], name=row[2], prefix=row[3], test=bool(row[4]), created_at=row[5],
                  revoked_at=row[6], expires_at=row[7], webhook_url=row[8])


def _request(row: Sequence[Any]) -> RequestRecord:
    return RequestRecord(
        request_id=row[0], account_id=row[1], key_id=row[2], status=row[3], current_stage=row[4],
        progress_percentage=row[5], input_type=row[6], file_name=row[7], file_size_bytes=row[8],
        estimated_credits=row[9], credits_consumed=row[10], test_mode=bool(row[11]), created_at=row[12],
        started_at=row[13], completed_at=row[14], attempts=row[15], response=_unjson(row[16]),
    )


def _input(request_id: str, row: Sequence[Any]) -> RequestInput:
    """A request's input from the `_INPUT_COLUMNS` and its file, in that order."""
    return RequestInput(request_id=request_id, input_type=row[0], config=_unjson(row[1]), file_name=row[2],
                        raw_text=row[3], input_data=_unjson(row[4]), job_description=row[5], test_mode=bool(row[6]),
                        document_kind=row[7], file_bytes=bytes(row[8]) if row[8] is not None else None)


class SqlStore(ABC):
    """Store semantics over any DB-API backend that provides transactions."""

    kind: str
    column_types: dict[str, str]

    def __init__(self) -> None:
        self._finished_watchers: list[Callable[[str], None]] = []
        self._watchers_lock = threading.Lock()

    def watch_finished(self, on_finished: Callable[[str], None]) -> None:
        """Requests finished by this process are announced at once, after their commit; a backend that can
        also announce those finished by other processes does so in `_listen_finished`."""
        with self._watchers_lock:
            self._finished_watchers.append(on_finished)
            first = len(self._finished_watchers) == 1
        if first:
            self._listen_finished(self._announce_finished)

    @abstractmethod
    def _listen_finished(self, announce: Callable[[str], None]) -> None:
        """Announce the requests that other processes finish."""

    @abstractmethod
    def _notify_finished(self, tx: Tx, request_id: str) -> None:
        """Tell other processes, with the commit of `tx`, that the request finished."""

    def _announce_finished(self, request_id: str) -> None:
        for on_finished in list(self._finished_watchers):
            on_finished(request_id)

    @abstractmethod
    def transaction(self, batched: bool = False, durable: bool = True) -> AbstractContextManager[Tx]:
        """A transaction that takes the write lock at once (SQLite) or runs at READ COMMITTED (PostgreSQL).

        `batched` sends statements without waiting for each answer where the backend can (PostgreSQL's
        pipeline): a row count is then known only after `settle()` or a fetch. `durable=False` lets the
        commit return before its WAL record is flushed (PostgreSQL), as SQLite's synchronous=NORMAL does: a
        database crash may lose the last fraction of a second of such commits, never leave them half done.
        """

    @abstractmethod
    def read(self, sql: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        """The rows of one read-only statement, run outside any explicit transaction (one round trip)."""

    @abstractmethod
    def write(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One statement that is a transaction by itself and not `durable`; returns its row count (one round
        trip). For progress marks and the start of an attempt, whose loss in a database crash the sweeper
        repairs (the request is run again)."""

    @abstractmethod
    def write_returning(self, sql: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        """Like `write`, for a statement with a RETURNING clause: its rows (one round trip)."""

    @abstractmethod
    def close(self) -> None: ...

    def ping(self) -> None:
        self.read("SELECT 1")

    # schema
    def migrate(self) -> None:
        with self.transaction() as tx:
            self._lock_for_migration(tx)
            tx.run("CREATE TABLE IF NOT EXISTS schema_migrations "
                   "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            applied = {row[0] for row in tx.run("SELECT version FROM schema_migrations").fetchall()}
            for version, statements in self._migrations():
                if version in applied:
                    continue
                for statement in statements:
                    tx.run(statement)
                tx.run("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", (version, now_iso()))

    @abstractmethod
    def _lock_for_migration(self, tx: Tx) -> None:
        """Serialise concurrent migrators (several API replicas starting at once)."""

    def _migrations(self) -> Iterator[tuple[int, list[str]]]:
        """The migration files in order, with the column types this dialect spells differently filled in."""
        folder = resources.files("store").joinpath("migrations")
        for entry in sorted(folder.iterdir(), key=lambda item: item.name):
            if entry.name.endswith(".sql"):
                version = int(entry.name.split("_", 1)[0])
                text = entry.read_text(encoding="utf-8").format(**self.column_types)
                yield version, [part.strip() for part in text.split(";") if part.strip()]

    # accounts and keys
    def create_account(self, name: str, credits: int, page_limit: int) -> Account:
        account = Account(id=_new_id("acct_"), name=name, credits_total=credits, credits_used=0, credits_reserved=0,
                          page_limit=page_limit, created_at=now_iso())
        with self.transaction() as tx:
            tx.run(f"INSERT INTO accounts ({_ACCOUNT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (account.id, account.name, account.credits_total, 0, 0, account.page_limit, account.created_at))
            if credits:
                self._ledger(tx, account.id, None, "grant", credits)
        return account

    def get_account(self, account_id: str) -> Account | None:
        rows = self.read(f"SELECT {_ACCOUNT_COLUMNS} FROM accounts WHERE id = ?", (account_id,))
        return _account(rows[0]) if rows else None

    def add_credits(self, account_id: str, credits: int) -> Account:
        with self.transaction() as tx:
            tx.run("UPDATE accounts SET credits_total = credits_total + ? WHERE id = ?", (credits, account_id))
            self._ledger(tx, account_id, None, "grant", credits)
            row = tx.run(f"SELECT {_ACCOUNT_COLUMNS} FROM accounts WHERE id = ?", (account_id,)).fetchone()
        if row is None:
            raise KeyError(account_id)
        return _account(row)

    def create_key(
        self, account_id: str, name: str, key_hash: str, prefix: str, test: bool, expires_at: str | None,
        webhook_url: str | None = None,
    ) -> ApiKey:
        record = ApiKey(id=_new_id("key_"), account_id=account_id, name=name, prefix=prefix, test=test,
                        created_at=now_iso(), expires_at=expires_at, webhook_url=webhook_url)
        with self.transaction() as tx:
            tx.run(
                "INSERT INTO api_keys (id, account_id, name, prefix, key_hash, test, created_at, expires_at, "
                "webhook_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (record.id, account_id, name, prefix, key_hash, test, record.created_at, expires_at, webhook_url),
            )
        return record

    def webhook_secret(self, account_id: str, rotate: bool = False) -> str:
        with self.transaction() as tx:
            fresh = "whsec_" + secrets.token_hex(24)
            condition = "" if rotate else " AND webhook_secret IS NULL"
            tx.run(f"UPDATE accounts SET webhook_secret = ? WHERE id = ?{condition}", (fresh, account_id))
            row = tx.run("SELECT webhook_secret FROM accounts WHERE id = ?", (account_id,)).fetchone()
        if row is None:
            raise KeyError(account_id)
        return str(row[0])

    def find_key(self, key_hash: str) -> ApiKey | None:
        rows = self.read(f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE key_hash = ?", (key_hash,))
        return _key(rows[0]) if rows else None

    def list_keys(self) -> list[ApiKey]:
        return [_key(row) for row in self.read(f"SELECT {_KEY_COLUMNS} FROM api_keys ORDER BY created_at, id")]

    def revoke_key(self, key_id: str) -> bool:
        with self.transaction() as tx:
            done = tx.run("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                          (now_iso(), key_id))
        return done.rowcount == 1

    # requests
    def create_request(self, new: NewRequest) -> RequestRecord | IdempotentHit:
        """One transaction, its statements sent as one batch where the backend can. Durable: once the 202 is
        sent, a database crash must not lose the request."""
        with self.transaction(batched=True) as tx:
            if new.idempotency_key is not None:
                hit = self._claim_idempotency_key(tx, new)
                if hit is not None:
                    return hit
            return self._insert_request(tx, new)

    def create_batch(self, batch_id: str, account_id: str, created_at: str,
                     items: list[NewRequest]) -> list[RequestRecord]:
        with self.transaction() as tx:
            tx.run("INSERT INTO batches (batch_id, account_id, created_at) VALUES (?, ?, ?)",
                   (batch_id, account_id, created_at))
            return [self._insert_request(tx, item, batch_id) for item in items]

    def batch_requests(self, batch_id: str, account_id: str) -> tuple[str, list[RequestRecord]] | None:
        with self.transaction() as tx:
            batch = tx.run("SELECT created_at FROM batches WHERE batch_id = ? AND account_id = ?",
                           (batch_id, account_id)).fetchone()
            if batch is None:
                return None
            rows = tx.run(f"SELECT {_REQUEST_COLUMNS} FROM requests WHERE batch_id = ? AND account_id = ? "
                          "ORDER BY created_at, request_id", (batch_id, account_id)).fetchall()
        return str(batch[0]), [_request(row) for row in rows]

    def delete_batch(self, batch_id: str, account_id: str) -> bool:
        found = self.batch_requests(batch_id, account_id)
        if found is None:
            return False
        for record in found[1]:
            self.delete_request(record.request_id, account_id)
        with self.transaction() as tx:
            tx.run("DELETE FROM batches WHERE batch_id = ? AND account_id = ?", (batch_id, account_id))
        return True

    def _insert_request(self, tx: Tx, new: NewRequest, batch_id: str | None = None) -> RequestRecord:
        """The reservation and the inserts go out together; a reservation that did not fit is found once they
        are settled, and raising then rolls the whole transaction back."""
        reserve = 0 if new.test_mode else new.estimated_credits
        reserved = None
        if reserve:
            reserved = tx.run(
                "UPDATE accounts SET credits_reserved = credits_reserved + ? "
                "WHERE id = ? AND credits_total - credits_used - credits_reserved >= ?",
                (reserve, new.account_id, reserve),
            )
            self._ledger(tx, new.account_id, new.request_id, "reserve", reserve)
        size = len(new.file_bytes) if new.file_bytes is not None else None
        tx.run(
            "INSERT INTO requests (request_id, account_id, key_id, status, input_type, config, file_name, "
            "file_size_bytes, estimated_credits, test_mode, created_at, expires_at, input_text, input_data, "
            "job_description, batch_id, document_kind) "
            "VALUES (?, ?, ?, 'created', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new.request_id, new.account_id, new.key_id, new.input_type, _json(new.config), new.file_name, size,
             new.estimated_credits, new.test_mode, new.created_at, new.expires_at, new.raw_text,
             _json(new.input_data), new.job_description, batch_id, new.document_kind),
        )
        if new.file_bytes is not None:
            tx.run("INSERT INTO request_files (request_id, data) VALUES (?, ?)", (new.request_id, new.file_bytes))
        if new.callback_url is not None:
            tx.run("INSERT INTO webhook_deliveries (request_id, url, status, attempts, updated_at) "
                   "VALUES (?, ?, 'waiting', '[]', ?)", (new.request_id, new.callback_url, new.created_at))
        tx.settle()
        if reserved is not None and reserved.rowcount != 1:
            row = tx.run("SELECT credits_total - credits_used - credits_reserved FROM accounts WHERE id = ?",
                         (new.account_id,)).fetchone()
            raise InsufficientCredits(reserve, int(row[0]) if row else 0)
        return RequestRecord(
            request_id=new.request_id, account_id=new.account_id, key_id=new.key_id, status="created",
            current_stage=None, progress_percentage=0, input_type=new.input_type, file_name=new.file_name,
            file_size_bytes=size, estimated_credits=new.estimated_credits, credits_consumed=0,
            test_mode=new.test_mode, created_at=new.created_at, started_at=None, completed_at=None, attempts=0,
        )

    def _claim_idempotency_key(self, tx: Tx, new: NewRequest) -> IdempotentHit | None:
        """Insert the key, or return the earlier request that holds it (keys older than 24 h are reusable)."""
        tx.run("DELETE FROM idempotency_keys WHERE account_id = ? AND key = ? AND created_at < ?",
               (new.account_id, new.idempotency_key, iso_after(-IDEMPOTENCY_SECONDS)))
        inserted = tx.run(
            "INSERT INTO idempotency_keys (account_id, key, body_hash, request_id, response, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, key) DO NOTHING",
            (new.account_id, new.idempotency_key, new.body_hash or "", new.request_id,
             _json(new.accepted_response or {}), new.created_at),
        )
        tx.settle()
        if inserted.rowcount == 1:
            return None
        row = tx.run("SELECT request_id, body_hash, response FROM idempotency_keys WHERE account_id = ? AND key = ?",
                     (new.account_id, new.idempotency_key)).fetchone()
        if row is None:
            raise RuntimeError("idempotency key vanished during the transaction")
        return IdempotentHit(request_id=row[0], same_body=row[1] == (new.body_hash or ""), response=_unjson(row[2]))

    def get_request(self, request_id: str, account_id: str | None = None) -> RequestRecord | None:
        sql = f"SELECT {_REQUEST_COLUMNS} FROM requests WHERE request_id = ?"
        params: tuple[Any, ...] = (request_id,)
        if account_id is not None:
            sql += " AND account_id = ?"
            params += (account_id,)
        rows = self.read(sql, params)
        return _request(rows[0]) if rows else None

    def request_state(self, request_id: str, account_id: str) -> RequestState | None:
        rows = self.read(
            f"SELECT {_REQUEST_COLUMNS_OF_R}, d.url, d.status, d.attempts, d.next_attempt_at FROM requests r "
            "LEFT JOIN webhook_deliveries d ON d.request_id = r.request_id "
            "WHERE r.request_id = ? AND r.account_id = ?",
            (request_id, account_id),
        )
        if not rows:
            return None
        row = rows[0]
        response = row[16]
        webhook = None
        if row[17] is not None:
            webhook = {"url": row[17], "status": row[18], "attempts": _unjson(row[19]), "next_attempt_at": row[20]}
        return RequestState(record=_request([*row[:16], None]),
                            encoded_response=response.encode() if isinstance(response, str) else response,
                            webhook=webhook)

    def list_requests(
        self, account_id: str, limit: int, after: str | None = None, before: str | None = None
    ) -> tuple[list[RequestRecord], bool]:
        with self.transaction() as tx:
            cursor_id = after or before
            if cursor_id is not None:
                anchor = tx.run("SELECT created_at, request_id FROM requests WHERE request_id = ? AND account_id = ?",
                                (cursor_id, account_id)).fetchone()
                if anchor is None:
                    return [], False
                if after is not None:
                    rows = tx.run(
                        f"SELECT {_REQUEST_COLUMNS} FROM requests WHERE account_id = ? AND "
                        "(created_at < ? OR (created_at = ? AND request_id < ?)) "
                        "ORDER BY created_at DESC, request_id DESC LIMIT ?",
                        (account_id, anchor[0], anchor[0], anchor[1], limit + 1),
                    ).fetchall()
                else:
                    newer = tx.run(
                        f"SELECT {_REQUEST_COLUMNS} FROM requests WHERE account_id = ? AND "
                        "(created_at > ? OR (created_at = ? AND request_id > ?)) "
                        "ORDER BY created_at ASC, request_id ASC LIMIT ?",
                        (account_id, anchor[0], anchor[0], anchor[1], limit + 1),
                    ).fetchall()
                    has_more = len(newer) > limit
                    return [_request(row) for row in reversed(newer[:limit])], has_more
            else:
                rows = tx.run(
                    f"SELECT {_REQUEST_COLUMNS} FROM requests WHERE account_id = ? "
                    "ORDER BY created_at DESC, request_id DESC LIMIT ?",
                    (account_id, limit + 1),
                ).fetchall()
        return [_request(row) for row in rows[:limit]], len(rows) > limit

    def load_input(self, request_id: str) -> RequestInput | None:
        rows = self.read(
            f"SELECT request_id, {_INPUT_COLUMNS}, "
            "(SELECT data FROM request_files f WHERE f.request_id = requests.request_id) "
            "FROM requests WHERE request_id = ?",
            (request_id,),
        )
        return _input(rows[0][0], rows[0][1:]) if rows else None

    def claim_request(self, request_id: str, now: str, stage: str, progress: int,
                      max_attempts: int) -> ClaimedRequest | None:
        """The UPDATE returns everything the attempt reads, so starting costs one round trip, not five."""
        rows = self.write_returning(
            "UPDATE requests SET status = 'parsing', attempts = attempts + 1, started_at = ?, "
            "current_stage = CASE WHEN attempts < ? THEN ? ELSE current_stage END, "
            "progress_percentage = CASE WHEN attempts < ? THEN ? ELSE progress_percentage END "
            "WHERE request_id = ? AND status IN ('created', 'parsing') "
            f"RETURNING {_REQUEST_COLUMNS}, {_INPUT_COLUMNS}, "
            "(SELECT data FROM request_files f WHERE f.request_id = requests.request_id), "
            "(SELECT page_limit FROM accounts a WHERE a.id = requests.account_id), "
            "(SELECT credits_total - credits_used - credits_reserved FROM accounts a "
            "WHERE a.id = requests.account_id), "
            "EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.request_id = requests.request_id)",
            (now, max_attempts, stage, max_attempts, progress, request_id),
        )
        if not rows:
            return None
        row = rows[0]
        columns = _REQUEST_COLUMNS.count(",") + 1
        record = _request(row[:columns])
        page_limit, balance, has_webhook = row[-3:]
        return ClaimedRequest(record=record, input=_input(record.request_id, row[columns:-3]),
                              page_limit=page_limit, balance=int(balance or 0), has_webhook=bool(has_webhook))

    def mark_stage(self, request_id: str, stage: str, progress: int) -> bool:
        return self.write(
            "UPDATE requests SET current_stage = ?, progress_percentage = ? "
            "WHERE request_id = ? AND status IN ('created', 'parsing')",
            (stage, progress, request_id),
        ) == 1

    def complete(self, request_id: str, response: dict[str, Any], raw_text: str | None, credits: int, now: str) -> bool:
        """Not `durable`: a completion lost in a database crash leaves the request parsing, to be run again."""
        with self.transaction(batched=True, durable=False) as tx:
            done = tx.run(
                "UPDATE requests SET status = 'completed', current_stage = NULL, progress_percentage = 100, "
                "completed_at = ?, credits_consumed = ?, response = ?, raw_text = ? "
                "WHERE request_id = ? AND status IN ('created', 'parsing')",
                (now, credits, _json(response), raw_text, request_id),
            )
            reservation = self._reservation(tx, request_id)
            if done.rowcount != 1 or reservation is None:
                return False
            account_id, reserved = reservation
            tx.run("UPDATE accounts SET credits_used = credits_used + ?, credits_reserved = credits_reserved - ? "
                   "WHERE id = ?", (credits, reserved, account_id))
            if credits:
                self._ledger(tx, account_id, request_id, "charge", credits)
            if reserved - credits:
                self._ledger(tx, account_id, request_id, "release", reserved - credits)
            tx.run("DELETE FROM request_files WHERE request_id = ?", (request_id,))
            self._notify_finished(tx, request_id)
        self._announce_finished(request_id)
        return True

    def fail(self, request_id: str, response: dict[str, Any], now: str) -> bool:
        with self.transaction(batched=True, durable=False) as tx:
            done = tx.run(
                "UPDATE requests SET status = 'failed', completed_at = ?, credits_consumed = 0, response = ? "
                "WHERE request_id = ? AND status IN ('created', 'parsing')",
                (now, _json(response), request_id),
            )
            reservation = self._reservation(tx, request_id)
            if done.rowcount != 1 or reservation is None:
                return False
            account_id, reserved = reservation
            if reserved:
                tx.run("UPDATE accounts SET credits_reserved = credits_reserved - ? WHERE id = ?",
                       (reserved, account_id))
                self._ledger(tx, account_id, request_id, "refund", reserved)
            tx.run("DELETE FROM request_files WHERE request_id = ?", (request_id,))
            self._notify_finished(tx, request_id)
        self._announce_finished(request_id)
        return True

    def _reservation(self, tx: Tx, request_id: str) -> tuple[str, int] | None:
        """The request's account and the credits it holds reserved (test requests hold none); the fetch also
        settles the statements sent before it."""
        row = tx.run("SELECT account_id, estimated_credits, test_mode FROM requests WHERE request_id = ?",
                     (request_id,)).fetchone()
        if row is None:
            return None
        return str(row[0]), 0 if row[2] else int(row[1])

    def delete_request(self, request_id: str, account_id: str) -> bool:
        with self.transaction() as tx:
            row = tx.run("SELECT status, estimated_credits, test_mode FROM requests "
                         "WHERE request_id = ? AND account_id = ?", (request_id, account_id)).fetchone()
            if row is None:
                return False
            if row[0] in NON_TERMINAL and not row[2] and row[1]:
                tx.run("UPDATE accounts SET credits_reserved = credits_reserved - ? WHERE id = ?",
                       (row[1], account_id))
                self._ledger(tx, account_id, request_id, "refund", int(row[1]))
            self._erase(tx, request_id)
        return True

    def _erase(self, tx: Tx, request_id: str) -> None:
        tx.run("DELETE FROM request_files WHERE request_id = ?", (request_id,))
        tx.run("DELETE FROM webhook_deliveries WHERE request_id = ?", (request_id,))
        tx.run("DELETE FROM idempotency_keys WHERE request_id = ?", (request_id,))
        tx.run("DELETE FROM requests WHERE request_id = ?", (request_id,))

    def unstarted_requests(self, before: str) -> list[str]:
        rows = self.read("SELECT request_id FROM requests WHERE status = 'created' AND created_at < ? "
                         "AND (sent_at IS NULL OR sent_at < ?) ORDER BY created_at LIMIT 500", (before, before))
        return [row[0] for row in rows]

    def stuck_requests(self, before: str) -> list[str]:
        rows = self.read("SELECT request_id FROM requests WHERE status = 'parsing' AND started_at < ? "
                         "AND (sent_at IS NULL OR sent_at < ?) ORDER BY started_at LIMIT 500", (before, before))
        return [row[0] for row in rows]

    def mark_sent(self, request_id: str, now: str) -> None:
        with self.transaction() as tx:
            tx.run("UPDATE requests SET sent_at = ? WHERE request_id = ?", (now, request_id))

    def purge_expired(self, now: str) -> int:
        with self.transaction() as tx:
            rows = tx.run("SELECT request_id FROM requests WHERE expires_at < ? AND status IN ('completed', 'failed')",
                          (now,)).fetchall()
            for row in rows:
                self._erase(tx, row[0])
            tx.run("DELETE FROM batches WHERE NOT EXISTS "
                   "(SELECT 1 FROM requests r WHERE r.batch_id = batches.batch_id)")
        return len(rows)

    # webhooks
    def webhook_status(self, request_id: str) -> dict[str, Any] | None:
        rows = self.read("SELECT url, status, attempts, next_attempt_at FROM webhook_deliveries WHERE request_id = ?",
                         (request_id,))
        if not rows:
            return None
        row = rows[0]
        return {"url": row[0], "status": row[1], "attempts": _unjson(row[2]), "next_attempt_at": row[3]}

    def due_webhooks(self, now: str) -> list[str]:
        rows = self.read(
            "SELECT d.request_id FROM webhook_deliveries d JOIN requests r ON r.request_id = d.request_id "
            "WHERE r.status IN ('completed', 'failed') AND d.status IN ('waiting', 'retrying', 'sending') "
            "AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?) ORDER BY d.updated_at LIMIT 200", (now,))
        return [row[0] for row in rows]

    def claim_webhook(self, request_id: str, now: str, lease_until: str) -> WebhookJob | None:
        with self.transaction() as tx:
            claimed = tx.run(
                "UPDATE webhook_deliveries SET status = 'sending', next_attempt_at = ?, updated_at = ? "
                "WHERE request_id = ? AND status IN ('waiting', 'retrying', 'sending') "
                "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) "
                "AND EXISTS (SELECT 1 FROM requests r WHERE r.request_id = webhook_deliveries.request_id "
                "AND r.status IN ('completed', 'failed'))",
                (lease_until, now, request_id, now))
            if claimed.rowcount != 1:
                return None
            row = tx.run(
                "SELECT d.url, d.attempts, r.response, r.account_id FROM webhook_deliveries d "
                "JOIN requests r ON r.request_id = d.request_id WHERE d.request_id = ?", (request_id,)).fetchone()
        if row is None:
            return None
        return WebhookJob(request_id=request_id, url=row[0], secret=self.webhook_secret(row[3]),
                          payload=_unjson(row[2]), attempts=_unjson(row[1]))

    def record_webhook_attempt(self, request_id: str, attempts: list[dict[str, Any]], status: str,
                               next_attempt_at: str | None) -> None:
        with self.transaction() as tx:
            tx.run("UPDATE webhook_deliveries SET attempts = ?, status = ?, next_attempt_at = ?, updated_at = ? "
                   "WHERE request_id = ?", (_json(attempts), status, next_attempt_at, now_iso(), request_id))

    def count_parses_since(self, account_id: str, since: str) -> int:
        rows = self.read("SELECT COUNT(*) FROM requests WHERE account_id = ? AND created_at >= ?",
                         (account_id, since))
        return int(rows[0][0]) if rows else 0

    def _ledger(self, tx: Tx, account_id: str, request_id: str | None, kind: str, amount: int) -> None:
        tx.run("INSERT INTO credit_ledger (account_id, request_id, kind, amount, created_at) VALUES (?, ?, ?, ?, ?)",
               (account_id, request_id, kind, amount, now_iso()))
