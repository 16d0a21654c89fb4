"""The job executor on a real SQLite store: completion, failure with refund, deletion, duplicates, deadlines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from api.intake import Intake, build_request
from resume_parser.settings import Settings
from schemas.request import ParseRequestConfig, resolve_config
from store.base import Store
from store.sqlite import SqliteStore
from tests import samples
from tests.conftest import issue_key
from workers.dispatch import Dispatcher
from workers.runner import MAX_ATTEMPTS, execute_request
from workers.sweeper import Sweeper


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    sqlite = SqliteStore(tmp_path / "store.sqlite3")
    sqlite.migrate()
    yield sqlite
    sqlite.close()


def submit(store: Store, settings: Settings, account_id: str, key_id: str, **source: Any) -> str:
    config = ParseRequestConfig()
    intake = Intake(input_type=source.pop("input_type", "file"), config=config,
                    resolved=resolve_config(config, False), body_hash="h", **source)
    account = store.get_account(account_id)
    assert account is not None
    new = build_request(intake, account, key_id, False, settings, None)
    created = store.create_request(new)
    return new.request_id if created else ""


def test_completes_and_charges_once_even_when_delivered_twice(store: Store) -> None:
    settings = Settings()
    key = issue_key(store, credits=10)
    request_id = submit(store, settings, key.account_id, key.key_id, file_name="cv.pdf",
                        file_bytes=samples.resume_pdf(), source_format="pdf")
    assert execute_request(store, request_id, settings) == "completed"
    assert execute_request(store, request_id, settings) is None
    record = store.get_request(request_id)
    assert record is not None and record.status == "completed"
    assert record.response is not None
    assert record.response["result"]["personal_info"]["email"] == samples.EMAIL
    account = store.get_account(key.account_id)
    assert account is not None
    assert (account.credits_used, account.credits_reserved, account.remaining) == (1, 0, 9)


def test_corrupt_file_fails_with_refund(store: Store) -> None:
    settings = Settings()
    key = issue_key(store, credits=5)
    request_id = submit(store, settings, key.account_id, key.key_id, file_name="cv.docx",
                        file_bytes=b"PK\x03\x04" + b"\x00" * 64, source_format="docx")
    assert execute_request(store, request_id, settings) == "failed"
    record = store.get_request(request_id)
    assert record is not None and record.response is not None
    assert record.response["error_code"] == "EXTRACTION_FAILED"
    assert record.response["credits_consumed"] == 0
    account = store.get_account(key.account_id)
    assert account is not None and account.remaining == 5 and account.credits_reserved == 0


def test_deadline_ends_as_timeout_with_refund(store: Store) -> None:
    settings = Settings(task_time_limit=0.0)
    key = issue_key(store, credits=5)
    request_id = submit(store, settings, key.account_id, key.key_id, input_type="text",
                        raw_text=samples.resume_text())
    assert execute_request(store, request_id, settings) == "failed"
    record = store.get_request(request_id)
    assert record is not None and record.response is not None
    assert record.response["error_code"] == "TIMEOUT"
    account = store.get_account(key.account_id)
    assert account is not None and account.remaining == 5


def test_a_request_whose_attempts_all_died_fails_instead_of_looping(store: Store) -> None:
    settings = Settings()
    key = issue_key(store, credits=5)
    request_id = submit(store, settings, key.account_id, key.key_id, input_type="text",
                        raw_text=samples.resume_text())
    for _ in range(MAX_ATTEMPTS):
        assert store.claim_request(request_id, "2020-01-01T00:00:00.000000Z", "extract", 5, MAX_ATTEMPTS)
        assert store.mark_stage(request_id, "skills", 70)
    assert execute_request(store, request_id, settings) == "failed"
    record = store.get_request(request_id)
    assert record is not None and record.response is not None
    assert record.response["error_code"] == "TIMEOUT" and record.attempts == MAX_ATTEMPTS + 1
    assert record.response["error_stage"] == "skills"  # where the attempts died, not where a new one would start
    account = store.get_account(key.account_id)
    assert account is not None and account.remaining == 5 and account.credits_reserved == 0


def test_deleted_request_is_not_run(store: Store) -> None:
    settings = Settings()
    key = issue_key(store, credits=5)
    request_id = submit(store, settings, key.account_id, key.key_id, input_type="text",
                        raw_text=samples.resume_text())
    assert store.delete_request(request_id, key.account_id)
    assert execute_request(store, request_id, settings) is None
    account = store.get_account(key.account_id)
    assert account is not None and account.remaining == 5


class RecordingDispatcher:
    """A dispatcher that runs nothing and remembers what it was sent (the sweeper is under test, not it)."""

    kind = "recording"

    def __init__(self) -> None:
        self.sent: list[str] = []

    def submit(self, request_id: str) -> None:
        self.sent.append(request_id)

    def submit_soon(self, request_id: str) -> None:
        self.submit(request_id)

    def close(self) -> None:
        self.sent.clear()


def test_sweeper_resends_unstarted_and_fails_stuck_requests(store: Store) -> None:
    settings = Settings()
    key = issue_key(store, credits=10)
    waiting = submit(store, settings, key.account_id, key.key_id, input_type="text", raw_text="a" * 300)
    stuck = submit(store, settings, key.account_id, key.key_id, input_type="text", raw_text="b" * 300)
    for _ in range(3):
        assert store.claim_request(stuck, "2020-01-01T00:00:00.000000Z", "extract", 5, MAX_ATTEMPTS)
    dispatcher = RecordingDispatcher()
    checked: Dispatcher = dispatcher
    report = Sweeper(store, checked, settings).sweep_once(resend_after=0, stuck_after=0)
    assert dispatcher.sent == [waiting]
    assert (report.resent, report.timed_out) == (1, 1)
    record = store.get_request(stuck)
    assert record is not None and record.status == "failed"
    assert record.response is not None and record.response["error_code"] == "TIMEOUT"
    account = store.get_account(key.account_id)
    assert account is not None and account.credits_reserved == 1


def test_sweeper_sends_a_waiting_request_again_only_once_per_interval(store: Store) -> None:
    settings = Settings(resend_after=30)
    key = issue_key(store, credits=10)
    waiting = submit(store, settings, key.account_id, key.key_id, input_type="text", raw_text="a" * 300)
    assert isinstance(store, SqliteStore)
    with store.transaction() as tx:
        tx.run("UPDATE requests SET created_at = ?", ("2020-01-01T00:00:00.000000Z",))
    dispatcher = RecordingDispatcher()
    sweeper = Sweeper(store, dispatcher, settings)
    for _ in range(3):
        sweeper.sweep_once()
    assert dispatcher.sent == [waiting]


def test_completed_document_matches_the_wire_schema(store: Store) -> None:
    from schemas.response import Completed

    settings = Settings()
    key = issue_key(store, credits=5)
    request_id = submit(store, settings, key.account_id, key.key_id, input_type="text",
                        raw_text=samples.resume_text())
    execute_request(store, request_id, settings)
    record = store.get_request(request_id)
    assert record is not None and record.response is not None
    decoded = msgspec.convert(record.response, Completed)
    assert decoded.result is not None and decoded.result.personal_info.name == samples.NAME
