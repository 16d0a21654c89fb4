"""Personal data on the distributed path: never in the logs, and gone from PostgreSQL and Redis after DELETE or
the retention purge. Each test parses a resume whose e-mail and phone are new, so nothing another test left in
the shared Redis can be mistaken for a copy."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pymupdf
import pytest
import redis

from tests import samples
from tests.processes import CLI, Service, create_key, start_api, wait_terminal

pytestmark = pytest.mark.distributed


class Person:
    """The identifying values of one test's resume, and every form in which a store could hold them."""

    def __init__(self) -> None:
        token = uuid.uuid4().hex[:10]
        self.email = f"privacy.{token}@example.org"
        self.phone_digits = "415555" + str(int(token, 16) % 10_000).zfill(4)
        self.phone = f"+1 {self.phone_digits[:3]} {self.phone_digits[3:6]} {self.phone_digits[6:]}"
        self.name = samples.NAME

    def text(self) -> str:
        return samples.resume_text().replace(samples.EMAIL, self.email).replace(samples.PHONE, self.phone)

    def pdf(self) -> bytes:
        doc = pymupdf.open()
        page = doc.new_page()
        for row, line in enumerate(self.text().splitlines()):
            page.insert_text((56, 60 + 14 * row), line, fontsize=10, fontname="hebo" if row == 0 else "helv")
        data: bytes = doc.tobytes()
        doc.close()
        return data

    def needles(self) -> list[str]:
        """The values as text, and as the hex a bytea column prints them in."""
        values = [self.email, self.phone_digits, self.email.encode().hex()]
        return [value.lower() for value in values]

    def found_in(self, haystack: str) -> list[str]:
        lowered = haystack.lower()
        return [needle for needle in self.needles() if needle in lowered]


def _database_dump(database_url: str) -> str:
    """Every row of every table of the test's schema, as JSON text (bytea as hex)."""
    with psycopg.connect(database_url) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")]
        assert "requests" in tables and "request_files" in tables
        rows = [str(row[0]) for table in tables
                for row in conn.execute(f'SELECT row_to_json(t)::text FROM "{table}" t')]
    return "\n".join(rows)


def _redis_dump(url: str) -> str:
    """The value of every key in the Redis database the services use, whatever its type."""
    client = redis.Redis.from_url(url)
    parts: list[str] = []
    for key in client.scan_iter(count=500):
        raw_kind = client.type(key)
        kind = raw_kind.decode() if isinstance(raw_kind, bytes) else str(raw_kind)
        value: Any
        if kind == "string":
            value = client.get(key)
        elif kind == "list":
            value = client.lrange(key, 0, -1)
        elif kind == "hash":
            value = client.hgetall(key)
        elif kind == "set":
            value = client.smembers(key)
        elif kind == "zset":
            value = client.zrange(key, 0, -1)
        else:
            value = kind
        parts.append(f"{key!r} {value!r}")
    client.close()
    return "\n".join(parts)


def _files_under(folder: Path) -> str:
    if not folder.exists():
        return ""
    return "\n".join(path.read_bytes().decode("latin-1") for path in folder.rglob("*") if path.is_file())


def _services(env: dict[str, str], tmp_path: Path) -> tuple[Service, Service, str]:
    """The API and a worker logging at DEBUG, so that even its most talkative output is checked."""
    api, base = start_api(env, tmp_path / "api.log")
    worker = Service([*CLI, "worker", "--concurrency", "1", "--loglevel", "DEBUG"], env, tmp_path / "worker.log")
    return api, worker, base


def _assert_erased(person: Person, env: dict[str, str], tmp_path: Path, services: list[Service]) -> None:
    for service in services:
        service.stop()
    assert person.found_in(_database_dump(env["RESUME_PARSER_DATABASE_URL"])) == []
    assert person.found_in(_redis_dump(env["RESUME_PARSER_BROKER_URL"])) == []
    assert person.found_in(_files_under(tmp_path / "data")) == []
    for service in services:
        log = service.output()
        assert person.found_in(log) == [], service.log.name
        assert person.name not in log, service.log.name


def test_delete_leaves_no_copy_in_the_database_redis_files_or_logs(env: dict[str, str], tmp_path: Path) -> None:
    person = Person()
    api, worker, base = _services(env, tmp_path)
    try:
        key = create_key(env)
        headers = {"Authorization": f"Bearer {key['key']}"}
        response = httpx.post(f"{base}/v1/parse", files={"file": ("resume.pdf", person.pdf())},
                              data={"job_description": samples.JOB_DESCRIPTION}, headers=headers, timeout=30)
        assert response.status_code == 202, response.text
        request_id = response.json()["request_id"]
        done = wait_terminal(base, key["key"], request_id)
        assert done["status"] == "completed", done
        assert done["result"]["personal_info"]["email"] == person.email
        assert person.found_in(_database_dump(env["RESUME_PARSER_DATABASE_URL"])), "the check must see the copy"
        assert httpx.delete(f"{base}/v1/parse/{request_id}", headers=headers).status_code == 200
        assert httpx.get(f"{base}/v1/parse/{request_id}", headers=headers).status_code == 404
        assert request_id in worker.output(), "the worker's log names requests by id"
    finally:
        _assert_erased(person, env, tmp_path, [api, worker])


def test_the_retention_purge_leaves_no_copy(env: dict[str, str], tmp_path: Path) -> None:
    """The request is left alone until the purge takes it; its charge in the ledger shows it completed first
    (only finished requests are purged, and only a completed one is charged)."""
    person = Person()
    short = {**env, "RESUME_PARSER_RETENTION_DAYS": str(8 / 86400)}
    api, worker, base = _services(short, tmp_path)
    try:
        key = create_key(short)
        headers = {"Authorization": f"Bearer {key['key']}"}
        response = httpx.post(f"{base}/v1/parse", json={"input": {"type": "text", "raw_text": person.text()}},
                              headers=headers, timeout=30)
        assert response.status_code == 202, response.text
        request_id = response.json()["request_id"]
        deadline = time.monotonic() + 120
        while httpx.get(f"{base}/v1/parse/{request_id}", headers=headers, timeout=30).status_code != 404:
            assert time.monotonic() < deadline, "the request outlived its retention period"
            time.sleep(0.5)
        with psycopg.connect(short["RESUME_PARSER_DATABASE_URL"]) as conn:
            kinds = [row[0] for row in conn.execute("SELECT kind FROM credit_ledger WHERE request_id = %s",
                                                    (request_id,))]
        assert sorted(kinds) == ["charge", "reserve"], kinds
    finally:
        _assert_erased(person, short, tmp_path, [api, worker])
