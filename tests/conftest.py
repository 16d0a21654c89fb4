"""Shared fixtures: settings in a temporary data directory, the app over HTTP, keys, and the service URLs."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec
import psycopg
import pytest
import redis
from litestar.testing import TestClient

from resume_parser.keys import display_prefix, generate_key, hash_key
from resume_parser.settings import Settings
from store.base import Store

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "dev"

POSTGRES_CANDIDATES = (
    "postgresql://postgres@127.0.0.1:5432/test",
    "postgresql://root@127.0.0.1:5432/test",
)
REDIS_URL = os.environ.get("RESUME_PARSER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def find_postgres() -> str:
    """The test database URL: from the environment, else the local server; fails loudly when none answers."""
    explicit = os.environ.get("RESUME_PARSER_TEST_DATABASE_URL")
    for url in ([explicit] if explicit else []) + list(POSTGRES_CANDIDATES):
        try:
            with psycopg.connect(url, connect_timeout=3):
                return url
        except psycopg.OperationalError:
            continue
    pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432; run scripts/test-services.sh")


@pytest.fixture(scope="session")
def postgres_base_url() -> str:
    return find_postgres()


@pytest.fixture()
def postgres_schema_url(postgres_base_url: str) -> Iterator[str]:
    """A URL whose search_path is a fresh schema, dropped afterwards."""
    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(postgres_base_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{postgres_base_url}?options=-csearch_path%3D{schema}"
    with psycopg.connect(postgres_base_url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session")
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError:
        pytest.fail("Redis is not reachable on 127.0.0.1:6379; run scripts/test-services.sh")
    return REDIS_URL


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    """Embedded settings in a fresh data directory, with a short sweep interval for fast tests."""
    return Settings(data_dir=tmp_path / "data", sweep_interval=0.5, embedded_workers=2)


@pytest.fixture()
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    def build(**overrides: Any) -> Settings:
        base = {"data_dir": tmp_path / "data", "sweep_interval": 0.5, "embedded_workers": 2}
        return msgspec.convert({**base, **overrides}, Settings, dec_hook=lambda t, v: Path(v))

    return build


@pytest.fixture()
def client(settings: Settings) -> Iterator[TestClient[Any]]:
    from api.app import create_app

    with TestClient(app=create_app(settings)) as test_client:
        yield test_client


def store_of(test_client: TestClient[Any]) -> Store:
    store: Store = test_client.app.state.services.store
    return store


class KeyInfo(msgspec.Struct):
    key: str
    key_id: str
    account_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def issue_key(store: Store, credits: int = 100, test: bool = False, page_limit: int = 4,
              account_id: str | None = None, expires_at: str | None = None) -> KeyInfo:
    if account_id is None:
        account_id = store.create_account("acct-" + uuid.uuid4().hex[:6], credits, page_limit).id
    key = generate_key(test)
    record = store.create_key(account_id, "test key", hash_key(key), display_prefix(key), test, expires_at)
    return KeyInfo(key=key, key_id=record.id, account_id=account_id)


@pytest.fixture()
def key(client: TestClient[Any]) -> KeyInfo:
    return issue_key(store_of(client))
