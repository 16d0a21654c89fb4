"""Every error status of the API, each in the one envelope with a stable code."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from resume_parser.settings import Settings
from tests import samples
from tests.conftest import KeyInfo, issue_key, store_of

TEXT_BODY = {"input": {"type": "text", "raw_text": samples.resume_text()}}


def assert_envelope(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["field_errors"], list)
    return body


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"input": {"type": "text"}}, "input.raw_text"),
        ({"input": {"type": "pdf", "raw_text": "x"}}, "input.type"),
        ({"input": {"type": "text", "raw_text": "x"}, "config": {"matching": {"top_skills": 11}}},
         "config.matching.top_skills"),
        ({"input": {"type": "text", "raw_text": "x"}, "config": {"parse": {"modle_tier": "basic"}}},
         "config.parse.modle_tier"),
        ({"input": {"type": "text", "raw_text": "x", "job_description": "too short"}}, "input.job_description"),
        ({"input": {"type": "url", "data": "ftp://example.com/cv.pdf"}}, "input.data"),
        ({"input": {"type": "result", "data": {"no": "result"}}}, "input.data"),
        ({"input": {"type": "text", "raw_text": "x"}, "config": {"matching": {"skip": False}}},
         "input.job_description"),
        ({}, "input"),
    ],
)
def test_invalid_parameters_are_400_with_the_field_path(
    client: TestClient[Any], key: KeyInfo, body: dict[str, Any], path: str
) -> None:
    envelope = assert_envelope(client.post("/v1/parse", json=body, headers=key.headers), 400, "INVALID_REQUEST")
    assert [error["path"] for error in envelope["field_errors"]] == [path]


def test_malformed_json_is_400(client: TestClient[Any], key: KeyInfo) -> None:
    headers = {**key.headers, "content-type": "application/json"}
    response = client.post("/v1/parse", content=b'{"input": ', headers=headers)
    assert_envelope(response, 400, "INVALID_REQUEST")


def test_multipart_config_errors_carry_the_config_prefix(client: TestClient[Any], key: KeyInfo) -> None:
    response = client.post("/v1/parse", files={"file": ("r.txt", samples.resume_text().encode())},
                           data={"config": '{"matching": {"top_skills": 0}}'}, headers=key.headers)
    envelope = assert_envelope(response, 400, "INVALID_REQUEST")
    assert envelope["field_errors"][0]["path"] == "config.matching.top_skills"


def test_missing_file_part_is_400(client: TestClient[Any], key: KeyInfo) -> None:
    response = client.post("/v1/parse", files={"other": ("r.txt", b"hello")}, headers=key.headers)
    assert assert_envelope(response, 400, "INVALID_REQUEST")["field_errors"][0]["path"] == "file"


def test_auth_failures_are_401(client: TestClient[Any], key: KeyInfo) -> None:
    assert_envelope(client.post("/v1/parse", json=TEXT_BODY), 401, "UNAUTHORIZED")
    assert_envelope(client.get("/v1/parse", headers={"Authorization": "Bearer rp_live_nope"}), 401, "UNAUTHORIZED")
    assert_envelope(client.get("/v1/usage", headers={"X-API-Key": key.key + "x"}), 401, "UNAUTHORIZED")
    assert client.get("/v1/usage", headers={"X-API-Key": key.key}).status_code == 200
    store = store_of(client)
    assert store.revoke_key(key.key_id)
    assert_envelope(until_refused(client, key.headers), 401, "UNAUTHORIZED")
    expired = issue_key(store, expires_at="2020-01-01T00:00:00.000000Z")
    assert_envelope(client.get("/v1/usage", headers=expired.headers), 401, "UNAUTHORIZED")


def until_refused(client: TestClient[Any], headers: dict[str, str]) -> Any:
    """The answer to a key revoked a moment ago, once the API's key cache lets it go (within its 5 s)."""
    deadline = time.monotonic() + Settings().key_cache_seconds + 2
    response = client.get("/v1/usage", headers=headers)
    while response.status_code == 200 and time.monotonic() < deadline:
        time.sleep(0.25)
        response = client.get("/v1/usage", headers=headers)
    return response


def test_insufficient_credits_is_402(client: TestClient[Any]) -> None:
    poor = issue_key(store_of(client), credits=0)
    assert_envelope(client.post("/v1/parse", json=TEXT_BODY, headers=poor.headers), 402, "INSUFFICIENT_CREDITS")


def test_other_accounts_requests_are_404(client: TestClient[Any], key: KeyInfo) -> None:
    request_id = client.post("/v1/parse", json=TEXT_BODY, headers=key.headers).json()["request_id"]
    stranger = issue_key(store_of(client))
    assert_envelope(client.get(f"/v1/parse/{request_id}", headers=stranger.headers), 404, "NOT_FOUND")
    assert_envelope(client.delete(f"/v1/parse/{request_id}", headers=stranger.headers), 404, "NOT_FOUND")
    assert client.get("/v1/parse", headers=stranger.headers).json()["data"] == []
    assert_envelope(client.get("/v1/parse/req_unknown", headers=key.headers), 404, "NOT_FOUND")
    assert client.get(f"/v1/parse/{request_id}", headers=key.headers).status_code == 200


def test_unknown_routes_and_methods_use_the_envelope(client: TestClient[Any], key: KeyInfo) -> None:
    assert_envelope(client.get("/v2/nothing", headers=key.headers), 404, "NOT_FOUND")
    assert_envelope(client.put("/v1/parse", json=TEXT_BODY, headers=key.headers), 405, "METHOD_NOT_ALLOWED")


def test_unsupported_file_type_is_415(client: TestClient[Any], key: KeyInfo) -> None:
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 8
    response = client.post("/v1/parse", files={"file": ("resume.pdf", exe)}, headers=key.headers)
    assert_envelope(response, 415, "UNSUPPORTED_FILE_TYPE")


def test_page_limit_is_422_before_any_work(client: TestClient[Any], key: KeyInfo) -> None:
    response = client.post("/v1/parse", files={"file": ("long.pdf", samples.resume_pdf(pages=5))}, headers=key.headers)
    assert_envelope(response, 422, "PAGE_LIMIT_EXCEEDED")
    pro = issue_key(store_of(client), page_limit=8)
    ok = client.post("/v1/parse", files={"file": ("long.pdf", samples.resume_pdf(pages=5))}, headers=pro.headers)
    assert ok.status_code == 202
    assert client.get("/v1/usage", headers=key.headers).json()["credits"]["remaining"] == 100


def test_prompt_levels_above_basic_are_501(client: TestClient[Any], key: KeyInfo) -> None:
    body = {**TEXT_BODY, "config": {"validate": {"prompt": {"skip": False, "level": "advanced"}}}}
    assert_envelope(client.post("/v1/parse", json=body, headers=key.headers), 501, "NOT_IMPLEMENTED")


def test_llm_tier_without_anthropic_key_is_refused_at_create(client: TestClient[Any], key: KeyInfo) -> None:
    body = {**TEXT_BODY, "config": {"parse": {"model_tier": "standard"}}}
    envelope = assert_envelope(client.post("/v1/parse", json=body, headers=key.headers), 400, "INVALID_REQUEST")
    assert envelope["field_errors"][0]["path"] == "config.parse.model_tier"


def test_file_over_the_size_limit_is_413(make_settings: Any) -> None:
    settings: Settings = make_settings(max_file_bytes=20_000)
    with TestClient(app=create_app(settings)) as small:
        key = issue_key(store_of(small))
        big = samples.resume_pdf() + b"%" + b"0" * 30_000
        response = small.post("/v1/parse", files={"file": ("big.pdf", big)}, headers=key.headers)
        assert_envelope(response, 413, "FILE_TOO_LARGE")
        huge = b"0" * 400_000
        response = small.post("/v1/parse", files={"file": ("huge.pdf", huge)}, headers=key.headers)
        assert_envelope(response, 413, "FILE_TOO_LARGE")


def test_rate_limit_is_429_with_ietf_headers(make_settings: Any) -> None:
    settings: Settings = make_settings(rate_limit=3, rate_limit_window=60)
    with TestClient(app=create_app(settings)) as limited:
        key = issue_key(store_of(limited))
        for expected_remaining in (2, 1, 0):
            response = limited.get("/v1/usage", headers=key.headers)
            assert response.status_code == 200
            assert response.headers["ratelimit-limit"] == "3"
            assert response.headers["ratelimit-remaining"] == str(expected_remaining)
            assert 1 <= int(response.headers["ratelimit-reset"]) <= 60
        blocked = limited.get("/v1/usage", headers=key.headers)
        assert_envelope(blocked, 429, "RATE_LIMITED")
        assert int(blocked.headers["retry-after"]) >= 1
        other = issue_key(store_of(limited))
        assert limited.get("/v1/usage", headers=other.headers).status_code == 200


def test_idempotency_key_replays_and_conflicts(client: TestClient[Any], key: KeyInfo) -> None:
    headers = {**key.headers, "Idempotency-Key": "order-1"}
    first = client.post("/v1/parse", json=TEXT_BODY, headers=headers)
    second = client.post("/v1/parse", json=TEXT_BODY, headers=headers)
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    listed = client.get("/v1/parse", headers=key.headers).json()["data"]
    assert len(listed) == 1
    other_body = {"input": {"type": "text", "raw_text": samples.resume_text() + "\nExtra line"}}
    assert_envelope(client.post("/v1/parse", json=other_body, headers=headers), 409, "IDEMPOTENCY_CONFLICT")
    usage = client.get("/v1/usage", headers=key.headers).json()["credits"]
    assert usage["used"] + usage["reserved"] == 1


def test_concurrent_identical_posts_create_one_request(client: TestClient[Any], key: KeyInfo) -> None:
    headers = {**key.headers, "Idempotency-Key": "same-twice"}
    answers: list[Any] = []

    def post() -> None:
        answers.append(client.post("/v1/parse", json=TEXT_BODY, headers=headers))

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {answer.status_code for answer in answers} == {202}
    assert len({answer.json()["request_id"] for answer in answers}) == 1
    assert len(client.get("/v1/parse", headers=key.headers).json()["data"]) == 1


def test_concurrent_posts_cannot_overspend(client: TestClient[Any]) -> None:
    poor = issue_key(store_of(client), credits=3)
    answers: list[int] = []

    def post() -> None:
        answers.append(client.post("/v1/parse", json=TEXT_BODY, headers=poor.headers).status_code)

    threads = [threading.Thread(target=post) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [202] * 3 + [402] * 7
    credits = client.get("/v1/usage", headers=poor.headers).json()["credits"]
    assert credits["used"] + credits["reserved"] == 3
    assert credits["remaining"] == 0


def test_an_unreachable_database_is_503_not_500(make_settings: Any) -> None:
    settings: Settings = make_settings(database_url="postgresql://postgres@127.0.0.1:1/test", database_timeout=1.0)
    with TestClient(app=create_app(settings)) as down:
        health = down.get("/health")
        assert health.status_code == 503
        assert health.json()["checks"]["store"] == "unavailable"
        response = down.get("/v1/usage", headers={"Authorization": "Bearer rp_live_" + "x" * 40})
        envelope = assert_envelope(response, 503, "SERVICE_UNAVAILABLE")
        assert "Traceback" not in envelope["message"]
        assert response.headers["retry-after"] == "5"


def test_test_keys_are_rate_limited_like_any_key(make_settings: Any) -> None:
    settings: Settings = make_settings(rate_limit=2, rate_limit_window=60)
    with TestClient(app=create_app(settings)) as limited:
        test_key = issue_key(store_of(limited), test=True)
        for _ in range(2):
            assert limited.get("/v1/usage", headers=test_key.headers).status_code == 200
        assert_envelope(limited.get("/v1/usage", headers=test_key.headers), 429, "RATE_LIMITED")
