"""Fixtures of the fault tests: private servers, a fresh database per test, and the deployment under test."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import samples
from tests.faults.servers import PrivatePostgres, PrivateRedis, wait_until
from tests.processes import Service, create_key, run_cli, service_env, start_api, start_worker

TERMINAL = ("completed", "failed")


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture()
def postgres(private_postgres: PrivatePostgres) -> Iterator[PrivatePostgres]:
    """The private server, running at the start and left running for the next test."""
    if not private_postgres.running():
        private_postgres.start()
    yield private_postgres
    if not private_postgres.running():
        private_postgres.start()


@pytest.fixture()
def broker() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture()
def database_url(postgres: PrivatePostgres) -> Iterator[str]:
    name = "t_" + uuid.uuid4().hex[:12]
    with postgres.connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres.url.rsplit("/", 1)[0] + "/" + name
    if not postgres.running():
        postgres.start()
    with postgres.connect() as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


class Deployment:
    """The distributed service under test: an API and Celery workers as real processes, and their store."""

    def __init__(self, env: dict[str, str], logs: Path, postgres: PrivatePostgres, broker: PrivateRedis) -> None:
        self.env = env
        self.logs = logs
        self.postgres = postgres
        self.broker = broker
        self.services: list[Service] = []
        self.base = ""
        self._api: Service | None = None
        self._names = 0

    @property
    def database_url(self) -> str:
        return self.env["RESUME_PARSER_DATABASE_URL"]

    @property
    def queue(self) -> str:
        return self.env["RESUME_PARSER_QUEUE"]

    def _log(self, kind: str) -> Path:
        self._names += 1
        return self.logs / f"{kind}-{self._names}.log"

    def start_api(self, **overrides: str) -> Service:
        api, self.base = start_api({**self.env, **overrides}, self._log("api"))
        self._api = api
        self.services.append(api)
        return api

    @property
    def api(self) -> Service:
        assert self._api is not None, "start_api() first"
        return self._api

    def start_worker(self, **overrides: str) -> Service:
        worker = start_worker({**self.env, **overrides}, self._log("worker"))
        self.services.append(worker)
        return worker

    def key(self, credits: int = 100) -> dict[str, Any]:
        return create_key(self.env, credits)

    def post_text(self, key: str, timeout: float = 30) -> httpx.Response:
        return httpx.post(f"{self.base}/v1/parse", json={"input": {"type": "text", "raw_text": samples.resume_text()}},
                          headers={"Authorization": f"Bearer {key}"}, timeout=timeout)

    def post_scan(self, key: str, pages: int = 3) -> httpx.Response:
        """A PDF read with forced OCR: several seconds of work, long enough to hit it mid-parse."""
        return httpx.post(f"{self.base}/v1/parse", headers={"Authorization": f"Bearer {key}"},
                          files={"file": ("scan.pdf", samples.resume_pdf(pages=pages))},
                          data={"config": json.dumps({"extract": {"type": "ocr"}})}, timeout=30)

    def rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        with self.postgres.connect(self.database_url) as conn:
            return list(conn.execute(sql, params).fetchall())

    def request_row(self, request_id: str) -> tuple[Any, ...]:
        """status, current_stage, attempts, credits_consumed of one request."""
        rows = self.rows("SELECT status, current_stage, attempts, credits_consumed FROM requests "
                         "WHERE request_id = %s", request_id)
        assert len(rows) == 1, request_id
        return rows[0]

    def wait_parsing(self, request_id: str, stage: str = "extract", timeout: float = 60) -> None:
        wait_until(lambda: self.request_row(request_id)[:2] == ("parsing", stage), timeout,
                   f"{request_id} to be parsing at {stage}")

    def wait_terminal(self, request_ids: list[str], timeout: float = 120) -> None:
        def all_terminal() -> bool:
            rows = self.rows("SELECT COUNT(*) FROM requests WHERE request_id = ANY(%s) AND status IN (%s, %s)",
                             request_ids, *TERMINAL)
            return bool(rows[0][0] == len(set(request_ids)))

        wait_until(all_terminal, timeout, "every request to end completed or failed", interval=0.25)

    def assert_credits_add_up(self, account_id: str) -> None:
        """The account and the ledger agree with the requests: one reservation each, settled exactly once."""
        requests = self.rows("SELECT request_id, status, estimated_credits, credits_consumed FROM requests "
                             "WHERE account_id = %s", account_id)
        ledger: dict[str, list[tuple[str, int]]] = {}
        for request_id, kind, amount in self.rows(
                "SELECT request_id, kind, amount FROM credit_ledger WHERE account_id = %s AND request_id IS NOT NULL",
                account_id):
            ledger.setdefault(request_id, []).append((kind, amount))
        charged = 0
        for request_id, status, estimated, consumed in requests:
            entries = sorted(ledger.get(request_id, []))
            assert status in TERMINAL, (request_id, status)
            if status == "completed":
                assert consumed == estimated and entries == sorted([("reserve", estimated), ("charge", consumed)]), \
                    (request_id, entries)
                charged += consumed
            else:
                assert consumed == 0 and entries == sorted([("reserve", estimated), ("refund", estimated)]), \
                    (request_id, entries)
        account = self.rows("SELECT credits_used, credits_reserved FROM accounts WHERE id = %s", account_id)[0]
        assert account == (charged, 0), account

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()


@pytest.fixture()
def deployment(database_url: str, postgres: PrivatePostgres, broker: PrivateRedis,
               tmp_path: Path) -> Iterator[Deployment]:
    env = service_env(
        RESUME_PARSER_DATABASE_URL=database_url,
        RESUME_PARSER_BROKER_URL=broker.url,
        RESUME_PARSER_QUEUE="rp-faults",
        RESUME_PARSER_DATA_DIR=str(tmp_path / "data"),
        RESUME_PARSER_SWEEP_INTERVAL="0.5",
        RESUME_PARSER_RESEND_AFTER="2",
        RESUME_PARSER_DATABASE_TIMEOUT="2",
        RESUME_PARSER_RATE_LIMIT="100000",
    )
    run_cli(env, "migrate")
    deployed = Deployment(env, tmp_path, postgres, broker)
    try:
        yield deployed
    finally:
        deployed.stop()
