"""Requests from strangers: security headers on every answer, CORS off unless configured, and hostile bodies
(malformed multipart, huge or deeply nested JSON, invalid UTF-8, control characters, enormous fields) answered
with the one error envelope, never a 500."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from api.app import create_app
from tests import samples
from tests.api.test_errors import assert_envelope
from tests.conftest import KeyInfo, issue_key, store_of

JSON = {"content-type": "application/json"}
SECURITY_HEADERS = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "no-referrer",
                    "cache-control": "no-store"}


def _has_security_headers(response: Any) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name


def test_every_answer_carries_the_security_headers(client: TestClient[Any], key: KeyInfo) -> None:
    accepted = client.post("/v1/parse", json={"input": {"type": "text", "raw_text": samples.resume_text()}},
                           headers=key.headers)
    answers = [client.get("/health"), accepted, client.get("/v1/parse/req_missing", headers=key.headers),
               client.get("/v1/usage"), client.get("/nowhere"), client.get("/v1/schema")]
    for response in answers:
        _has_security_headers(response)
        assert response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    docs = client.get("/docs")
    _has_security_headers(docs)
    assert "content-security-policy" not in docs.headers


def test_cors_is_off_by_default(client: TestClient[Any], key: KeyInfo) -> None:
    origin = {"Origin": "https://jobs.example"}
    preflight = client.options("/v1/parse", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in client.get("/v1/usage", headers={**origin, **key.headers}).headers


def test_cors_answers_only_the_configured_origins(make_settings: Callable[..., Any]) -> None:
    with TestClient(app=create_app(make_settings(cors_origins="https://jobs.example"))) as client:
        key = issue_key(store_of(client))
        allowed = client.options("/v1/parse", headers={"Origin": "https://jobs.example",
                                                       "Access-Control-Request-Method": "POST",
                                                       "Access-Control-Request-Headers": "authorization"})
        assert allowed.headers["access-control-allow-origin"] == "https://jobs.example"
        response = client.get("/v1/usage", headers={"Origin": "https://jobs.example", **key.headers})
        assert response.headers["access-control-allow-origin"] == "https://jobs.example"
        other = client.options("/v1/parse", headers={"Origin": "https://evil.example",
                                                     "Access-Control-Request-Method": "POST"})
        assert other.headers.get("access-control-allow-origin") != "https://evil.example"


def _nested(depth: int) -> bytes:
    return b'{"input":{"type":"result","data":{"result":' + b'{"a":' * depth + b"1" + b"}" * depth + b"}}}"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code", "path"),
    [
        (_nested(50_000), "application/json", 400, "INVALID_REQUEST", "body"),
        (b'{"input":{"type":"result","data":' + b"[" * 100_000 + b"]" * 100_000 + b"}}", "application/json", 400,
         "INVALID_REQUEST", "input.data"),
        (b'{"input":{"type":"text","raw_text":"\xff\xfe not utf-8"}}', "application/json", 400, "INVALID_REQUEST",
         "body"),
        (b'{"input":{"type":"text","raw_text":"a\x01b"}}', "application/json", 400, "INVALID_REQUEST", "body"),
        (b'{"input":{"type":"text","raw_text":"' + b"a" * (12 * 1024 * 1024) + b'"}}', "application/json", 413,
         "FILE_TOO_LARGE", None),
        (json.dumps({"input": {"type": "text", "raw_text": "x" * 500_001}}).encode(), "application/json", 400,
         "INVALID_REQUEST", "input.raw_text"),
        (json.dumps({"input": {"type": "text", "raw_text": "Jane Doe", "job_description": "word " * 20_000}}).encode(),
         "application/json", 400, "INVALID_REQUEST", "input.job_description"),
        (b'--xx\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc',
         "multipart/form-data; boundary=xx", 400, "INVALID_REQUEST", None),
        (b"garbage", "multipart/form-data", 400, "INVALID_REQUEST", None),
        (b"garbage", "text/plain", 415, "UNSUPPORTED_FILE_TYPE", None),
    ],
    ids=["nested-objects", "nested-arrays", "invalid-utf8", "raw-control-character", "huge-body", "enormous-text",
         "enormous-job-description", "truncated-multipart", "multipart-without-boundary", "not-json-or-multipart"],
)
def test_hostile_bodies_get_the_envelope(client: TestClient[Any], key: KeyInfo, body: bytes, content_type: str,
                                         status: int, code: str, path: str | None) -> None:
    response = client.post("/v1/parse", content=body, headers={**key.headers, "content-type": content_type})
    envelope = assert_envelope(response, status, code)
    if path is not None:
        assert [error["path"] for error in envelope["field_errors"]] == [path]


def test_a_deeply_nested_multipart_config_is_400_on_config(client: TestClient[Any], key: KeyInfo) -> None:
    response = client.post("/v1/parse", files={"file": ("r.txt", samples.resume_text().encode())},
                           data={"config": '{"a":' * 50_000 + "1" + "}" * 50_000}, headers=key.headers)
    envelope = assert_envelope(response, 400, "INVALID_REQUEST")
    assert [error["path"].split(".")[0] for error in envelope["field_errors"]] == ["config"]


def test_escaped_control_characters_in_text_are_accepted_and_parsed(client: TestClient[Any], key: KeyInfo) -> None:
    text = samples.resume_text().replace("\n", "\u0000\n", 3) + "\u202e\u0007"
    response = client.post("/v1/parse", json={"input": {"type": "text", "raw_text": text}}, headers=key.headers)
    assert response.status_code == 202, response.text
    request_id = response.json()["request_id"]
    done = client.get(f"/v1/parse/{request_id}", params={"wait": 30}, headers=key.headers).json()
    assert done["status"] == "completed", done
    assert done["result"]["personal_info"]["email"] == samples.EMAIL


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
REQUEST_SHAPES = st.fixed_dictionaries({}, optional={
    "input": st.fixed_dictionaries({}, optional={
        "type": st.sampled_from(["text", "url", "result", "pdf", ""]) | st.text(max_size=8),
        "raw_text": JSON_VALUES, "data": JSON_VALUES, "job_description": JSON_VALUES}),
    "config": JSON_VALUES,
}) | JSON_VALUES


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=REQUEST_SHAPES, mangle=st.sampled_from(["as-is", "truncate", "flip"]))
def test_any_request_body_gets_an_answer_never_a_500(client: TestClient[Any], key: KeyInfo, body: Any,
                                                       mangle: str) -> None:
    """Random JSON, random request shapes, truncated or byte-flipped: always a 202 or a 4xx envelope."""
    raw = json.dumps(body).encode()
    if mangle == "truncate":
        raw = raw[: len(raw) // 2]
    elif mangle == "flip" and raw:
        raw = raw[:-1] + bytes([raw[-1] ^ 0x80])
    response = client.post("/v1/parse", content=raw, headers={**key.headers, **JSON})
    assert response.status_code < 500, response.text
    if response.status_code != 202:
        assert_envelope(response, response.status_code, response.json()["code"])
