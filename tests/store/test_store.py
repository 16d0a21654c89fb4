"""One suite of store behaviour, run against both backends: SQLite and a real PostgreSQL."""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from resume_parser.clock import iso_after, now_iso
from schemas.records import IdempotentHit, NewRequest, RequestRecord
from store.base import InsufficientCredits, Store
from store.postgres import PostgresStore
from store.sqlite import SqliteStore


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    backend: Store
    if request.param == "sqlite":
        backend = SqliteStore(tmp_path / "store.sqlite3")
    else:
        backend = PostgresStore(request.getfixturevalue("postgres_schema_url"))
    backend.migrate()
    yield backend
    backend.close()


_counter = iter(range(1_000_000))


def new_request(account_id: str, credits: int = 1, **overrides: object) -> NewRequest:
    number = next(_counter)
    values: dict[str, object] = {
        "request_id": f"req_{number:08d}", "account_id": account_id, "key_id": "key_x", "input_type": "file",
        "config": {"parse": {"model_tier": "basic"}}, "estimated_credits": credits, "test_mode": False,
        "created_at": now_iso(), "expires_at": iso_after(3600), "file_name": "cv.pdf", "file_bytes": b"%PDF-1.7 x",
        "body_hash": "hash", "accepted_response": {"request_id": f"req_{number:08d}"},
    }
    values.update(overrides)
    return NewRequest(**values)  # type: ignore[arg-type]


def created(store: Store, new: NewRequest) -> RequestRecord:
    record = store.create_request(new)
    assert isinstance(record, RequestRecord)
    return record


def ledger(store: Store, request_id: str) -> list[tuple[str, int]]:
    assert isinstance(store, SqliteStore | PostgresStore)
    rows = store.read("SELECT kind, amount FROM credit_ledger WHERE request_id = ? ORDER BY id", (request_id,))
    return [(str(row[0]), int(row[1])) for row in rows]


def test_migrate_is_repeatable_and_ping_works(store: Store) -> None:
    store.migrate()
    store.ping()


def test_accounts_keys_and_revocation(store: Store) -> None:
    account = store.create_account("acme", 10, 4)
    assert store.get_account(account.id) == account
    assert store.add_credits(account.id, 5).credits_total == 15
    key = store.create_key(account.id, "ci", "h" * 64, "rp_live_abc", False, None)
    assert store.find_key("h" * 64) == key
    assert store.find_key("x" * 64) is None
    assert [k.id for k in store.list_keys()] == [key.id]
    assert store.revoke_key(key.id)
    assert not store.revoke_key(key.id)
    found = store.find_key("h" * 64)
    assert found is not None and found.revoked_at is not None


def test_request_lifecycle_charges_on_completion(store: Store) -> None:
    account = store.create_account("acme", 10, 4)
    record = created(store, new_request(account.id, credits=3))
    assert record.status == "created"
    assert store.get_account(account.id).remaining == 7  # type: ignore[union-attr]
    stored = store.load_input(record.request_id)
    assert stored is not None and stored.file_bytes == b"%PDF-1.7 x"
    claimed = store.claim_request(record.request_id, now_iso(), "extract", 5, 3)
    assert claimed is not None and claimed.input == stored
    assert (claimed.record.status, claimed.record.current_stage, claimed.record.progress_percentage,
            claimed.record.attempts) == ("parsing", "extract", 5, 1)
    assert (claimed.page_limit, claimed.balance, claimed.has_webhook) == (4, 7, False)
    assert store.mark_stage(record.request_id, "parse", 45)
    running = store.get_request(record.request_id)
    assert running is not None
    assert (running.status, running.current_stage, running.progress_percentage, running.attempts) == (
        "parsing", "parse", 45, 1)
    assert store.complete(record.request_id, {"status": "completed"}, "text", 3, now_iso())
    assert not store.complete(record.request_id, {"status": "completed"}, "text", 3, now_iso())
    assert not store.fail(record.request_id, {"status": "failed"}, now_iso())
    done = store.get_request(record.request_id)
    assert done is not None and done.status == "completed" and done.response == {"status": "completed"}
    assert done.credits_consumed == 3
    account_after = store.get_account(account.id)
    assert account_after is not None
    assert (account_after.credits_used, account_after.credits_reserved, account_after.remaining) == (3, 0, 7)
    assert ledger(store, record.request_id) == [("reserve", 3), ("charge", 3)]
    assert store.claim_request(record.request_id, now_iso(), "extract", 5, 3) is None
    assert not store.mark_stage(record.request_id, "parse", 50)
    after = store.load_input(record.request_id)
    assert after is not None and after.file_bytes is None


def test_failure_refunds_the_reservation(store: Store) -> None:
    account = store.create_account("acme", 4, 4)
    record = created(store, new_request(account.id, credits=4))
    assert store.get_account(account.id).remaining == 0  # type: ignore[union-attr]
    assert store.fail(record.request_id, {"status": "failed"}, now_iso())
    refunded = store.get_account(account.id)
    assert refunded is not None and (refunded.remaining, refunded.credits_used) == (4, 0)


def test_test_mode_requests_reserve_nothing(store: Store) -> None:
    account = store.create_account("acme", 0, 4)
    record = created(store, new_request(account.id, credits=2, test_mode=True))
    assert store.complete(record.request_id, {}, None, 0, now_iso())
    assert store.get_account(account.id).credits_used == 0  # type: ignore[union-attr]
    assert ledger(store, record.request_id) == []


def test_a_completion_charging_less_than_reserved_releases_the_rest(store: Store) -> None:
    account = store.create_account("acme", 10, 4)
    record = created(store, new_request(account.id, credits=3))
    assert store.complete(record.request_id, {}, None, 1, now_iso())
    assert ledger(store, record.request_id) == [("reserve", 3), ("charge", 1), ("release", 2)]
    settled = store.get_account(account.id)
    assert settled is not None and (settled.credits_used, settled.credits_reserved) == (1, 0)


def test_insufficient_credits_write_nothing(store: Store) -> None:
    account = store.create_account("acme", 1, 4)
    with pytest.raises(InsufficientCredits) as caught:
        store.create_request(new_request(account.id, credits=2, idempotency_key="k1"))
    assert caught.value.remaining == 1
    assert store.list_requests(account.id, 10) == ([], False)
    again = store.create_request(new_request(account.id, credits=1, idempotency_key="k1"))
    assert isinstance(again, RequestRecord)


def test_concurrent_reservations_never_overspend(store: Store) -> None:
    account = store.create_account("acme", 7, 4)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            store.create_request(new_request(account.id, credits=1))
            outcomes.append("ok")
        except InsufficientCredits:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 7 and outcomes.count("refused") == 13
    final = store.get_account(account.id)
    assert final is not None and final.credits_reserved == 7 and final.remaining == 0


def test_concurrent_completions_of_one_request_charge_once(store: Store) -> None:
    account = store.create_account("acme", 10, 4)
    record = created(store, new_request(account.id, credits=2))
    outcomes: list[bool] = []

    def complete() -> None:
        outcomes.append(store.complete(record.request_id, {"status": "completed"}, "text", 2, now_iso()))

    threads = [threading.Thread(target=complete) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count(True) == 1
    assert ledger(store, record.request_id) == [("reserve", 2), ("charge", 2)]
    settled = store.get_account(account.id)
    assert settled is not None and (settled.credits_used, settled.credits_reserved) == (2, 0)


def test_idempotency_key_returns_the_first_request(store: Store) -> None:
    account = store.create_account("acme", 10, 4)
    first = created(store, new_request(account.id, idempotency_key="abc"))
    replay = store.create_request(new_request(account.id, idempotency_key="abc"))
    assert isinstance(replay, IdempotentHit)
    assert replay.request_id == first.request_id and replay.same_body
    assert replay.response == {"request_id": first.request_id}
    other_body = store.create_request(new_request(account.id, idempotency_key="abc", body_hash="other"))
    assert isinstance(other_body, IdempotentHit) and not other_body.same_body
    other_account = store.create_account("other", 10, 4)
    assert isinstance(store.create_request(new_request(other_account.id, idempotency_key="abc")), RequestRecord)
    assert store.get_account(account.id).credits_reserved == 1  # type: ignore[union-attr]


def test_concurrent_identical_idempotent_requests_make_one_row(store: Store) -> None:
    account = store.create_account("acme", 10, 4)
    ids: list[str] = []

    def attempt() -> None:
        outcome = store.create_request(new_request(account.id, idempotency_key="same"))
        ids.append(outcome.request_id)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(ids)) == 1
    assert len(store.list_requests(account.id, 100)[0]) == 1


def test_ownership_and_pagination(store: Store) -> None:
    account = store.create_account("acme", 100, 4)
    stranger = store.create_account("stranger", 100, 4)
    ids = [created(store, new_request(account.id)).request_id for _ in range(5)]
    assert store.get_request(ids[0], stranger.id) is None
    assert store.get_request(ids[0], account.id) is not None
    newest_first = ids[::-1]
    page, more = store.list_requests(account.id, 2)
    assert [r.request_id for r in page] == newest_first[:2] and more
    page, more = store.list_requests(account.id, 2, after=page[-1].request_id)
    assert [r.request_id for r in page] == newest_first[2:4] and more
    page, more = store.list_requests(account.id, 2, after=page[-1].request_id)
    assert [r.request_id for r in page] == newest_first[4:] and not more
    page, more = store.list_requests(account.id, 2, before=newest_first[4])
    assert [r.request_id for r in page] == newest_first[2:4] and more
    assert store.list_requests(stranger.id, 10) == ([], False)
    assert store.list_requests(stranger.id, 10, after=ids[0]) == ([], False)


def test_delete_erases_and_releases(store: Store) -> None:
    account = store.create_account("acme", 5, 4)
    record = created(store, new_request(account.id, credits=2, idempotency_key="del"))
    stranger = store.create_account("stranger", 5, 4)
    assert not store.delete_request(record.request_id, stranger.id)
    assert store.delete_request(record.request_id, account.id)
    assert store.get_request(record.request_id) is None
    assert store.load_input(record.request_id) is None
    assert store.get_account(account.id).remaining == 5  # type: ignore[union-attr]
    assert not store.delete_request(record.request_id, account.id)
    reused = store.create_request(new_request(account.id, idempotency_key="del"))
    assert isinstance(reused, RequestRecord)


def test_sweeper_queries_and_retention(store: Store) -> None:
    account = store.create_account("acme", 10, 4)
    old = created(store, new_request(account.id, created_at="2020-01-01T00:00:00.000000Z"))
    fresh = created(store, new_request(account.id))
    assert store.unstarted_requests(iso_after(-60)) == [old.request_id]
    store.mark_sent(old.request_id, now_iso())
    assert store.unstarted_requests(iso_after(-60)) == []
    store.mark_sent(old.request_id, "2020-01-01T00:00:00.500000Z")
    assert store.unstarted_requests(iso_after(-60)) == [old.request_id]
    assert store.claim_request(old.request_id, "2020-01-01T00:00:01.000000Z", "extract", 5, 3) is not None
    assert store.stuck_requests(iso_after(-60)) == [old.request_id]
    assert store.unstarted_requests(iso_after(-60)) == []
    store.mark_sent(old.request_id, now_iso())
    assert store.stuck_requests(iso_after(-60)) == []
    expired = created(store, new_request(account.id, expires_at="2020-01-02T00:00:00.000000Z"))
    assert store.purge_expired(now_iso()) == 0
    assert store.complete(expired.request_id, {}, "t", 1, now_iso())
    assert store.purge_expired(now_iso()) == 1
    assert store.get_request(expired.request_id) is None
    assert store.get_request(fresh.request_id) is not None
    assert store.count_parses_since(account.id, "2021-01-01T00:00:00.000000Z") == 1


def test_a_batch_reserves_for_every_item_or_writes_nothing(store: Store) -> None:
    account = store.create_account("acme", 3, 4)
    with pytest.raises(InsufficientCredits):
        store.create_batch("batch_a", account.id, now_iso(), [new_request(account.id, 2), new_request(account.id, 2)])
    assert store.batch_requests("batch_a", account.id) is None
    assert store.list_requests(account.id, 10) == ([], False)
    items = [new_request(account.id, 1), new_request(account.id, 2)]
    store.create_batch("batch_b", account.id, now_iso(), items)
    found = store.batch_requests("batch_b", account.id)
    assert found is not None and [r.request_id for r in found[1]] == [item.request_id for item in items]
    assert store.batch_requests("batch_b", "acct_other") is None
    assert store.delete_batch("batch_b", account.id)
    assert store.batch_requests("batch_b", account.id) is None
    assert store.get_request(items[0].request_id) is None
    refreshed = store.get_account(account.id)
    assert refreshed is not None and refreshed.credits_reserved == 0


def test_a_webhook_is_claimed_once_and_its_attempts_kept(store: Store) -> None:
    account = store.create_account("acme", 5, 4)
    record = created(store, new_request(account.id, callback_url="https://hooks.example/cv"))
    assert store.due_webhooks(now_iso()) == []
    assert store.claim_webhook(record.request_id, now_iso(), iso_after(60)) is None
    claimed = store.claim_request(record.request_id, now_iso(), "extract", 5, 3)
    assert claimed is not None and claimed.has_webhook
    assert store.complete(record.request_id, {"request_id": record.request_id, "status": "completed"}, "text", 1,
                          now_iso())
    assert store.due_webhooks(now_iso()) == [record.request_id]
    job = store.claim_webhook(record.request_id, now_iso(), iso_after(60))
    assert job is not None and job.url == "https://hooks.example/cv" and job.secret.startswith("whsec_")
    assert job.payload["status"] == "completed"
    assert store.claim_webhook(record.request_id, now_iso(), iso_after(60)) is None
    store.record_webhook_attempt(record.request_id, [{"attempt": 1}], "retrying", iso_after(-1))
    assert store.due_webhooks(now_iso()) == [record.request_id]
    assert store.webhook_secret(account.id) == job.secret != store.webhook_secret(account.id, rotate=True)
    store.record_webhook_attempt(record.request_id, [{"attempt": 1}, {"attempt": 2}], "delivered", None)
    status = store.webhook_status(record.request_id)
    assert status is not None and status["status"] == "delivered" and len(status["attempts"]) == 2
    assert store.due_webhooks(now_iso()) == []


def test_postgres_reads_and_writes_heal_after_the_server_drops_the_connections(postgres_schema_url: str) -> None:
    """Connections are pinged only after a pause; one the server killed meanwhile must not fail a request."""
    import psycopg

    store = PostgresStore(postgres_schema_url, min_size=1, max_size=1)
    try:
        store.migrate()
        account = store.create_account("acme", 5, 4)
        record = created(store, new_request(account.id))
        pooled = store.read("SELECT pg_backend_pid()")[0][0]
        with psycopg.connect(postgres_schema_url, autocommit=True) as admin:
            assert admin.execute("SELECT pg_terminate_backend(%s)", (pooled,)).fetchone() == (True,)
        assert store.get_request(record.request_id) is not None
        assert store.claim_request(record.request_id, now_iso(), "extract", 5, 3) is not None
        assert store.complete(record.request_id, {"status": "completed"}, "text", 1, now_iso())
        assert store.get_account(account.id).credits_used == 1  # type: ignore[union-attr]
    finally:
        store.close()


def test_a_completion_of_a_deleted_request_changes_nothing(store: Store) -> None:
    account = store.create_account("acme", 5, 4)
    record = created(store, new_request(account.id))
    assert store.delete_request(record.request_id, account.id)
    assert not store.complete(record.request_id, {}, None, 1, now_iso())
    assert not store.fail(record.request_id, {}, now_iso())
    assert not store.mark_stage(record.request_id, "parse", 50)
    assert store.get_account(account.id).credits_used == 0  # type: ignore[union-attr]


def test_postgres_stores_a_completed_document_compressed_with_lz4(postgres_schema_url: str) -> None:
    store = PostgresStore(postgres_schema_url)
    try:
        store.migrate()
        account = store.create_account("acme", 5, 4)
        record = created(store, new_request(account.id))
        document = {"status": "completed", "raw_text": "Jane Doe, data engineer. " * 400}
        assert store.complete(record.request_id, document, str(document["raw_text"]), 1, now_iso())
        rows = store.read("SELECT pg_column_compression(response), pg_column_compression(raw_text) FROM requests "
                          "WHERE request_id = ?", (record.request_id,))
        assert rows == [("lz4", "lz4")]
    finally:
        store.close()


def test_request_state_reads_the_stored_response_and_the_webhook_at_once(store: Store) -> None:
    account = store.create_account("acme", 10, 4)
    stranger = store.create_account("other", 10, 4)
    hooked = created(store, new_request(account.id, callback_url="https://hooks.example.com/in"))
    plain = created(store, new_request(account.id))
    waiting = store.request_state(hooked.request_id, account.id)
    assert waiting is not None and waiting.record.status == "created" and waiting.encoded_response is None
    assert waiting.webhook == {"url": "https://hooks.example.com/in", "status": "waiting", "attempts": [],
                               "next_attempt_at": None}
    document = {"status": "completed", "result": {"name": "Jane Doe", "score": 0.93}}
    assert store.complete(plain.request_id, document, "text", 1, now_iso())
    done = store.request_state(plain.request_id, account.id)
    assert done is not None and done.record.status == "completed" and done.webhook is None
    assert done.encoded_response is not None and msgspec.json.decode(done.encoded_response) == document
    assert store.request_state(plain.request_id, stranger.id) is None
    assert store.request_state("req_missing", account.id) is None


def test_finished_requests_are_announced_to_watchers_in_this_process(store: Store) -> None:
    account = store.create_account("acme", 10, 4)
    completed_one, failed_one = created(store, new_request(account.id)), created(store, new_request(account.id))
    heard: list[str] = []
    store.watch_finished(heard.append)
    assert store.complete(completed_one.request_id, {"status": "completed"}, "text", 1, now_iso())
    assert completed_one.request_id in heard  # announced before complete() returns
    assert store.fail(failed_one.request_id, {"status": "failed"}, now_iso())
    assert failed_one.request_id in heard


def test_postgres_announces_requests_another_process_finished(postgres_schema_url: str) -> None:
    """The API's store hears of a completion a worker's store committed, through LISTEN/NOTIFY."""
    api_store, worker_store = PostgresStore(postgres_schema_url), PostgresStore(postgres_schema_url)
    try:
        api_store.migrate()
        account = worker_store.create_account("acme", 10, 4)
        record = created(worker_store, new_request(account.id))
        heard: queue.SimpleQueue[str] = queue.SimpleQueue()
        api_store.watch_finished(heard.put)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the listener connects in the background: finish others until it hears
            probe = created(worker_store, new_request(account.id, credits=0))
            assert worker_store.fail(probe.request_id, {"status": "failed"}, now_iso())
            with contextlib.suppress(queue.Empty):
                if heard.get(timeout=0.2) == probe.request_id:
                    break
        else:
            pytest.fail("the listener never heard a notice")
        while not heard.empty():
            heard.get()
        assert worker_store.complete(record.request_id, {"status": "completed"}, "text", 1, now_iso())
        assert heard.get(timeout=5) == record.request_id
    finally:
        api_store.close()
        worker_store.close()
