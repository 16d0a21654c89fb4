"""The distributed path end to end: API and Celery worker processes on the real Redis and PostgreSQL."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from tests import samples
from tests.api.test_webhooks import Receiver
from tests.fakes.anthropic import serve as serve_fake_anthropic
from tests.processes import Service, create_key, start_api, start_worker, wait_terminal
from workers.webhooks import verify_signature

pytestmark = pytest.mark.distributed


@pytest.fixture()
def services(env: dict[str, str], tmp_path: Path) -> Iterator[tuple[str, list[Service]]]:
    started: list[Service] = []
    api, base = start_api(env, tmp_path / "api.log")
    started.append(api)
    started.append(start_worker(env, tmp_path / "worker.log"))
    yield base, started
    for service in started:
        service.stop()


def test_upload_completes_through_celery(services: tuple[str, list[Service]], env: dict[str, str]) -> None:
    base, _ = services
    key = create_key(env)
    headers = {"Authorization": f"Bearer {key['key']}"}
    health = httpx.get(f"{base}/health").json()
    assert health["store"] == "postgres"
    assert health["dispatcher"] == "celery"
    response = httpx.post(f"{base}/v1/parse", files={"file": ("resume.pdf", samples.resume_pdf())}, headers=headers)
    assert response.status_code == 202, response.text
    done = wait_terminal(base, key["key"], response.json()["request_id"])
    assert done["status"] == "completed", done
    info = done["result"]["personal_info"]
    assert info["name"] == samples.NAME
    assert info["email"] == samples.EMAIL
    assert any(samples.COMPANY in (job["company"] or "") for job in done["result"]["experience"])
    usage = httpx.get(f"{base}/v1/usage", headers=headers).json()
    assert usage["credits"]["used"] == 1
    assert usage["credits"]["reserved"] == 0


def test_request_accepted_while_sending_fails_is_not_lost(
    env: dict[str, str], postgres_schema_url: str, tmp_path: Path
) -> None:
    broken_env = {**env, "RESUME_PARSER_BROKER_URL": "redis://127.0.0.1:1/0", "RESUME_PARSER_RESEND_AFTER": "3600"}
    key = create_key(env)
    headers = {"Authorization": f"Bearer {key['key']}"}
    broken_api, broken_base = start_api(broken_env, tmp_path / "broken-api.log")
    try:
        response = httpx.post(f"{broken_base}/v1/parse", json={"input": {"type": "text",
                              "raw_text": samples.resume_text()}}, headers=headers, timeout=30)
        assert response.status_code == 202, response.text
        request_id = response.json()["request_id"]
    finally:
        broken_api.stop()
    with psycopg.connect(postgres_schema_url) as conn:
        row = conn.execute("SELECT status FROM requests WHERE request_id = %s", (request_id,)).fetchone()
    assert row == ("created",)
    api, base = start_api(env, tmp_path / "api.log")
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        done = wait_terminal(base, key["key"], request_id)
        assert done["status"] == "completed"
        assert done["result"]["personal_info"]["email"] == samples.EMAIL
    finally:
        worker.stop()
        api.stop()


def test_requests_queued_before_a_worker_starts_complete_once_it_does(env: dict[str, str], tmp_path: Path) -> None:
    key = create_key(env)
    headers = {"Authorization": f"Bearer {key['key']}"}
    api, base = start_api({**env, "RESUME_PARSER_RESEND_AFTER": "3600"}, tmp_path / "api.log")
    worker: Service | None = None
    try:
        ids = [
            httpx.post(f"{base}/v1/parse", json={"input": {"type": "text", "raw_text": samples.resume_text()}},
                       headers=headers).json()["request_id"]
            for _ in range(3)
        ]
        assert httpx.get(f"{base}/v1/parse/{ids[0]}", headers=headers).json()["status"] == "created"
        worker = start_worker(env, tmp_path / "worker.log")
        for request_id in ids:
            assert wait_terminal(base, key["key"], request_id)["status"] == "completed"
        credits = httpx.get(f"{base}/v1/usage", headers=headers).json()["credits"]
        assert credits["used"] == 3
    finally:
        if worker is not None:
            worker.stop()
        api.stop()


def test_time_limit_ends_failed_with_timeout_and_refund(env: dict[str, str], tmp_path: Path) -> None:
    slow_env = {**env, "RESUME_PARSER_TASK_TIME_LIMIT": "0.001"}
    key = create_key(env, 5)
    headers = {"Authorization": f"Bearer {key['key']}"}
    api, base = start_api(env, tmp_path / "api.log")
    worker = start_worker(slow_env, tmp_path / "worker.log")
    try:
        response = httpx.post(f"{base}/v1/parse", json={"input": {"type": "text", "raw_text": samples.resume_text()}},
                              headers=headers)
        done = wait_terminal(base, key["key"], response.json()["request_id"])
        assert done["status"] == "failed"
        assert done["error_code"] == "TIMEOUT"
        assert done["credits_consumed"] == 0
        credits = httpx.get(f"{base}/v1/usage", headers=headers).json()["credits"]
        assert credits == {"total": 5, "used": 0, "reserved": 0, "remaining": 5}
    finally:
        worker.stop()
        api.stop()


def test_a_file_beyond_the_memory_limit_fails_and_the_worker_goes_on(env: dict[str, str], tmp_path: Path) -> None:
    from tests.workers.test_isolation import huge_image

    key = create_key(env, 5)
    headers = {"Authorization": f"Bearer {key['key']}"}
    api, base = start_api(env, tmp_path / "api.log")
    worker = start_worker({**env, "RESUME_PARSER_TASK_MEMORY_MB": "200"}, tmp_path / "worker.log")
    try:
        bad = httpx.post(f"{base}/v1/parse", files={"file": ("scan.png", huge_image())}, headers=headers)
        good = httpx.post(f"{base}/v1/parse", files={"file": ("cv.pdf", samples.resume_pdf())}, headers=headers)
        failed = wait_terminal(base, key["key"], bad.json()["request_id"])
        assert failed["status"] == "failed", failed
        assert failed["error_code"] == "EXTRACTION_FAILED" and "memory" in failed["error"]
        completed = wait_terminal(base, key["key"], good.json()["request_id"])
        assert completed["status"] == "completed"
        assert completed["result"]["personal_info"]["name"] == samples.NAME
        assert worker.process.poll() is None
    finally:
        worker.stop()
        api.stop()


def test_a_standard_tier_request_completes_through_celery_against_the_fake_model(
    env: dict[str, str], tmp_path: Path
) -> None:
    with serve_fake_anthropic() as fake:
        llm_env = {**env, "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": fake.url}
        api, base = start_api(llm_env, tmp_path / "api.log")
        worker = start_worker(llm_env, tmp_path / "worker.log")
        try:
            key = create_key(llm_env)
            response = httpx.post(f"{base}/v1/parse", headers={"Authorization": f"Bearer {key['key']}"},
                                  json={"input": {"type": "text", "raw_text": samples.resume_text()},
                                        "config": {"parse": {"model_tier": "standard"}}})
            assert response.status_code == 202, response.text
            done = wait_terminal(base, key["key"], response.json()["request_id"])
        finally:
            worker.stop()
            api.stop()
        assert done["status"] == "completed", done
        assert done["metadata"]["parse"]["llm"]["model"] == "claude-haiku-4-5"
        assert done["result"]["personal_info"]["name"] == samples.NAME
        assert done["credits_consumed"] == 3 and len(fake.requests) == 1


def test_the_worker_delivers_the_webhook_signed_with_the_accounts_secret(env: dict[str, str], tmp_path: Path) -> None:
    receiver = Receiver([])
    hook_env = {**env, "RESUME_PARSER_URL_ALLOWLIST": "127.0.0.1"}
    api, base = start_api(hook_env, tmp_path / "api.log")
    worker = start_worker(hook_env, tmp_path / "worker.log")
    try:
        key = create_key(hook_env, 100, "--webhook-url", receiver.url)
        response = httpx.post(f"{base}/v1/parse", headers={"Authorization": f"Bearer {key['key']}"},
                              json={"input": {"type": "text", "raw_text": samples.resume_text()}})
        assert response.status_code == 202, response.text
        request_id = response.json()["request_id"]
        receiver.wait_for(1, timeout=60)
        done = wait_terminal(base, key["key"], request_id)
        deadline = time.monotonic() + 10  # the worker records the delivery once the endpoint has answered
        while done["webhook"]["status"] == "sending" and time.monotonic() < deadline:
            time.sleep(0.1)
            done = wait_terminal(base, key["key"], request_id)
    finally:
        worker.stop()
        api.stop()
        receiver.server.shutdown()
    headers, body = receiver.received[0]
    assert verify_signature(key["webhook_secret"], headers["x-resumeparser-signature"], body)
    assert json.loads(body)["request_id"] == request_id
    assert done["webhook"]["status"] == "delivered"
