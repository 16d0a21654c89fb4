"""The environment of the service processes the distributed tests start: a fresh PostgreSQL schema, the shared
Redis with a queue of the test's own, and a data folder in the test's temporary directory."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.processes import run_cli, service_env


@pytest.fixture()
def env(postgres_schema_url: str, redis_url: str, tmp_path: Path) -> dict[str, str]:
    values = service_env(
        RESUME_PARSER_DATABASE_URL=postgres_schema_url,
        RESUME_PARSER_BROKER_URL=redis_url,
        RESUME_PARSER_QUEUE="rp-test-" + uuid.uuid4().hex[:8],
        RESUME_PARSER_DATA_DIR=str(tmp_path / "data"),
        RESUME_PARSER_SWEEP_INTERVAL="0.5",
        RESUME_PARSER_RESEND_AFTER="1",
    )
    run_cli(values, "migrate")
    return values
