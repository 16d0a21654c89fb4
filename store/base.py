"""The Store interface every backend implements, and its errors.

All timestamps are ISO 8601 UTC strings with a `Z` suffix, produced by the caller or by `utcnow()`.
Credit movements are atomic: a reservation either fits the remaining balance or raises
`InsufficientCredits`, so two concurrent requests can never overspend.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

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


class InsufficientCredits(Exception):
    """The account's remaining credits do not cover the reservation."""

    def __init__(self, required: int, remaining: int) -> None:
        super().__init__(f"{required} credits required, {remaining} remaining")
        self.required = required
        self.remaining = remaining


class StoreUnavailable(Exception):
    """The database cannot be reached right now (the API answers 503)."""


class Store(Protocol):
    kind: str

    def migrate(self) -> None:
        """Create or upgrade the schema; safe to run repeatedly."""

    def close(self) -> None: ...

    def ping(self) -> None:
        """Raise StoreUnavailable when the database is not reachable."""

    # accounts and keys
    def create_account(self, name: str, credits: int, page_limit: int) -> Account: ...

    def get_account(self, account_id: str) -> Account | None: ...

    def add_credits(self, account_id: str, credits: int) -> Account: ...

    def create_key(
        self, account_id: str, name: str, key_hash: str, prefix: str, test: bool, expires_at: str | None,
        webhook_url: str | None = None,
    ) -> ApiKey: ...

    def webhook_secret(self, account_id: str, rotate: bool = False) -> str:
        """The account's webhook signing secret, made on first use; `rotate` replaces it."""

    def find_key(self, key_hash: str) -> ApiKey | None:
        """The key with this hash, revoked or not (the caller decides what a revoked key means)."""

    def list_keys(self) -> list[ApiKey]: ...

    def revoke_key(self, key_id: str) -> bool: ...

    # requests
    def create_request(self, new: NewRequest) -> RequestRecord | IdempotentHit:
        """Insert the request, its input and its credit reservation in one transaction.

        With an idempotency key already used by this account, nothing is written and the earlier
        request is returned as an IdempotentHit. Raises InsufficientCredits when the reservation does not fit.
        """

    def create_batch(self, batch_id: str, account_id: str, created_at: str,
                     items: list[NewRequest]) -> list[RequestRecord]:
        """Insert the batch and every item with its reservation in one transaction: all or nothing (raises
        InsufficientCredits when the items together do not fit)."""

    def batch_requests(self, batch_id: str, account_id: str) -> tuple[str, list[RequestRecord]] | None:
        """The batch's creation time and its items, when the batch belongs to the account."""

    def delete_batch(self, batch_id: str, account_id: str) -> bool:
        """Erase every item of the account's batch, as DELETE of each would, and the batch itself."""

    def get_request(self, request_id: str, account_id: str | None = None) -> RequestRecord | None:
        """The request; with account_id, only when it belongs to that account."""

    def request_state(self, request_id: str, account_id: str) -> RequestState | None:
        """The account's request with its encoded response and its webhook delivery, in one read."""

    def watch_finished(self, on_finished: Callable[[str], None]) -> None:
        """Call `on_finished(request_id)`, from any thread, whenever a request becomes terminal, whichever process
        finished it, until `close()`. A notice can be lost (while the database is unreachable): a waiter that
        depends on one reads the request again after a while anyway."""

    def list_requests(
        self, account_id: str, limit: int, after: str | None = None, before: str | None = None
    ) -> tuple[list[RequestRecord], bool]:
        """Newest first. `after` pages to older requests than that id, `before` to newer. Returns (rows, has_more)."""

    def load_input(self, request_id: str) -> RequestInput | None: ...

    def claim_request(self, request_id: str, now: str, stage: str, progress: int,
                      max_attempts: int) -> ClaimedRequest | None:
        """Start an attempt: mark the request parsing at `stage`, count the attempt, and return it with its
        input, its account's page limit and balance, and whether it has a webhook, in one statement (a worker
        pays one round trip to start). An attempt beyond `max_attempts` keeps the stage the earlier ones
        reached, for the failure it is about to record. None when the request is terminal or gone."""

    def mark_stage(self, request_id: str, stage: str, progress: int) -> bool:
        """Record the stage now running; False when the request is terminal or gone (stop working on it)."""

    def complete(
        self, request_id: str, response: dict[str, Any], raw_text: str | None, credits: int, now: str
    ) -> bool:
        """Store the completed document, charge `credits` and release the rest of the reservation.

        Only a non-terminal request completes, so a duplicate delivery cannot charge twice.
        """

    def fail(self, request_id: str, response: dict[str, Any], now: str) -> bool:
        """Store the failed document and refund the whole reservation (non-terminal requests only)."""

    def delete_request(self, request_id: str, account_id: str) -> bool:
        """Erase the stored file, text and result of the account's request; refunds a pending reservation."""

    def unstarted_requests(self, before: str) -> list[str]:
        """Requests no worker has started, accepted and last re-sent before this time (to be sent again)."""

    def stuck_requests(self, before: str) -> list[str]:
        """Requests parsing since before this time and not re-sent since (their worker died or lost them)."""

    def mark_sent(self, request_id: str, now: str) -> None:
        """Record that the sweeper sent the request again, so it waits a full interval before the next send."""

    def purge_expired(self, now: str) -> int:
        """Delete requests past their retention; returns how many were removed."""

    def webhook_status(self, request_id: str) -> dict[str, Any] | None:
        """The request's webhook delivery (url, status, attempts, next_attempt_at), if it has one."""

    def due_webhooks(self, now: str) -> list[str]:
        """Requests whose webhook is due: terminal, not delivered or given up, and past any retry time."""

    def claim_webhook(self, request_id: str, now: str, lease_until: str) -> WebhookJob | None:
        """Take one due delivery until `lease_until`, so concurrent sweepers never send it twice at once."""

    def record_webhook_attempt(self, request_id: str, attempts: list[dict[str, Any]], status: str,
                               next_attempt_at: str | None) -> None: ...

    def count_parses_since(self, account_id: str, since: str) -> int: ...
