"""Stage marks on a real SQLite store: a stage that lasts is recorded, a quick one is not, a gone request stops."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from resume_parser.clock import now_iso
from resume_parser.settings import Settings
from store.base import Store
from store.sqlite import SqliteStore
from tests.conftest import issue_key
from tests.workers.test_runner import submit
from workers.progress import MARK_AFTER, RequestGone, StageMarks
from workers.runner import MAX_ATTEMPTS


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    sqlite = SqliteStore(tmp_path / "store.sqlite3")
    sqlite.migrate()
    yield sqlite
    sqlite.close()


def claimed_request(store: Store) -> str:
    key = issue_key(store, credits=5)
    request_id = submit(store, Settings(), key.account_id, key.key_id, input_type="text", raw_text="a" * 300)
    assert store.claim_request(request_id, now_iso(), "extract", 5, MAX_ATTEMPTS) is not None
    return request_id


def stage_of(store: Store, request_id: str) -> tuple[str | None, int]:
    record = store.get_request(request_id)
    assert record is not None
    return record.current_stage, record.progress_percentage


def wait_for_stage(store: Store, request_id: str, expected: tuple[str, int]) -> None:
    deadline = time.monotonic() + 10 * MARK_AFTER + 5
    while stage_of(store, request_id) != expected:
        assert time.monotonic() < deadline, f"{expected} was never recorded"
        time.sleep(0.02)


def test_a_stage_still_running_after_the_delay_is_recorded_and_quick_ones_are_not(store: Store) -> None:
    request_id = claimed_request(store)
    progress = StageMarks().start(store, request_id, "extract")
    progress.enter("extract", 5)
    progress.enter("validate", 30)
    progress.enter("parse", 45)
    assert stage_of(store, request_id) == ("extract", 5)
    wait_for_stage(store, request_id, ("parse", 45))
    progress.enter("skills", 70)
    progress.finish()
    time.sleep(3 * MARK_AFTER)
    assert stage_of(store, request_id) == ("parse", 45)


def test_a_request_deleted_while_running_stops_at_its_next_stage(store: Store) -> None:
    request_id = claimed_request(store)
    record = store.get_request(request_id)
    assert record is not None
    progress = StageMarks().start(store, request_id, "extract")
    progress.enter("parse", 45)
    assert store.delete_request(request_id, record.account_id)
    deadline = time.monotonic() + 10 * MARK_AFTER + 5
    while not progress.gone:
        assert time.monotonic() < deadline, "the mark never found the request gone"
        time.sleep(0.02)
    with pytest.raises(RequestGone):
        progress.enter("skills", 70)
