"""Webhooks through the real app (embedded mode) to a receiver on loopback, which only the allow-list lets the
service reach: the terminal response arrives signed, failures are retried with backoff and recorded on the
request, internal addresses are refused, and a delivery is never sent twice at once."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from resume_parser.keys import display_prefix, generate_key, hash_key
from tests import samples
from tests.api.test_errors import assert_envelope
from tests.conftest import KeyInfo, issue_key, store_of
from workers.webhooks import SIGNATURE_HEADER, deliver, sign, verify_signature

TEXT_BODY = {"input": {"type": "text", "raw_text": samples.resume_text()}}


class Receiver:
    """A loopback HTTP endpoint that records each POST and answers with the next planned status."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                time.sleep(0.05)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the test reads what arrived."""

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.received) >= count, f"{len(self.received)} of {count} deliveries arrived"


@pytest.fixture()
def receivers() -> Iterator[Callable[..., Receiver]]:
    started: list[Receiver] = []

    def start(*statuses: int) -> Receiver:
        receiver = Receiver(list(statuses))
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.server.shutdown()


@pytest.fixture()
def hooked(make_settings: Callable[..., Any]) -> Iterator[TestClient[Any]]:
    """The app allowed to reach loopback webhooks, retrying after 0.2 s twice."""
    settings = make_settings(url_allowlist="127.0.0.1", webhook_retry_delays="0.2,0.2", sweep_interval=0.2)
    with TestClient(app=create_app(settings)) as client:
        yield client


def _webhook_when(client: TestClient[Any], key: KeyInfo, request_id: str, status: str) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/v1/parse/{request_id}", params={"wait": 2}, headers=key.headers).json()
        if body.get("webhook", {}).get("status") == status:
            return body
        time.sleep(0.1)
    raise AssertionError(f"the webhook of {request_id} never became {status}: {body.get('webhook')}")


def test_the_terminal_response_arrives_signed(hooked: TestClient[Any], receivers: Callable[..., Receiver]) -> None:
    receiver = receivers(200)
    key = issue_key(store_of(hooked))
    response = hooked.post("/v1/parse", json={**TEXT_BODY, "callback_url": receiver.url}, headers=key.headers)
    assert response.status_code == 202, response.text
    request_id = response.json()["request_id"]
    done = _webhook_when(hooked, key, request_id, "delivered")
    receiver.wait_for(1)
    headers, body = receiver.received[0]
    delivered = json.loads(body)
    assert delivered["request_id"] == request_id and delivered["status"] == "completed"
    assert delivered["result"]["personal_info"]["email"] == samples.EMAIL
    assert headers["x-resumeparser-event"] == "parse.completed"
    assert headers["x-resumeparser-request-id"] == request_id
    secret = store_of(hooked).webhook_secret(key.account_id)
    assert verify_signature(secret, headers[SIGNATURE_HEADER.lower()], body)
    assert not verify_signature(secret, headers[SIGNATURE_HEADER.lower()], body + b" ")
    assert not verify_signature("whsec_other", headers[SIGNATURE_HEADER.lower()], body)
    attempts = done["webhook"]["attempts"]
    assert [(a["attempt"], a["status_code"], a["error"]) for a in attempts] == [(1, 200, None)]
    assert done["webhook"]["url"] == receiver.url and done["webhook"]["next_attempt_at"] is None


def test_failures_are_retried_with_backoff_and_recorded(hooked: TestClient[Any],
                                                        receivers: Callable[..., Receiver]) -> None:
    receiver = receivers(500, 503, 200)
    key = issue_key(store_of(hooked))
    request_id = hooked.post("/v1/parse", json={**TEXT_BODY, "callback_url": receiver.url},
                             headers=key.headers).json()["request_id"]
    done = _webhook_when(hooked, key, request_id, "delivered")
    attempts = done["webhook"]["attempts"]
    assert [a["status_code"] for a in attempts] == [500, 503, 200]
    assert attempts[0]["error"] == "the endpoint answered HTTP 500"
    gaps = [time.mktime(time.strptime(a["attempted_at"][:19], "%Y-%m-%dT%H:%M:%S")) for a in attempts]
    assert gaps == sorted(gaps)
    assert len(receiver.received) == 3


def test_a_receiver_that_keeps_failing_is_given_up_after_the_last_retry(
        hooked: TestClient[Any], receivers: Callable[..., Receiver]) -> None:
    receiver = receivers(500, 500, 500, 500, 500)
    key = issue_key(store_of(hooked))
    request_id = hooked.post("/v1/parse", json={**TEXT_BODY, "callback_url": receiver.url},
                             headers=key.headers).json()["request_id"]
    done = _webhook_when(hooked, key, request_id, "failed")
    assert len(done["webhook"]["attempts"]) == 3
    time.sleep(0.8)
    assert len(receiver.received) == 3


def test_failed_requests_are_delivered_too(hooked: TestClient[Any], receivers: Callable[..., Receiver]) -> None:
    receiver = receivers(200)
    key = issue_key(store_of(hooked))
    response = hooked.post("/v1/parse", files={"file": ("cv.pdf", b"%PDF-1.4 broken")},
                           data={"callback_url": receiver.url}, headers=key.headers)
    assert response.status_code == 202, response.text
    done = _webhook_when(hooked, key, response.json()["request_id"], "delivered")
    assert done["status"] == "failed"
    receiver.wait_for(1)
    assert receiver.received[0][0]["x-resumeparser-event"] == "parse.failed"


def test_a_key_default_webhook_is_used_when_the_request_names_none(
        hooked: TestClient[Any], receivers: Callable[..., Receiver]) -> None:
    receiver = receivers(200)
    store = store_of(hooked)
    account = store.create_account("hooked", 10, 4)
    secret_key = generate_key(False)
    record = store.create_key(account.id, "default hook", hash_key(secret_key), display_prefix(secret_key), False,
                              None, receiver.url)
    key = KeyInfo(key=secret_key, key_id=record.id, account_id=account.id)
    request_id = hooked.post("/v1/parse", json=TEXT_BODY, headers=key.headers).json()["request_id"]
    _webhook_when(hooked, key, request_id, "delivered")
    receiver.wait_for(1)


@pytest.mark.parametrize(
    ("url", "code"),
    [("http://127.0.0.1:9/hook", "refused"), ("http://10.1.2.3/hook", "refused"),
     ("http://169.254.169.254/latest", "refused"), ("ftp://example.com/hook", "invalid"), ("/relative", "invalid")],
)
def test_internal_or_malformed_callbacks_are_refused_before_accepting(client: TestClient[Any], key: KeyInfo,
                                                                       url: str, code: str) -> None:
    response = client.post("/v1/parse", json={**TEXT_BODY, "callback_url": url}, headers=key.headers)
    envelope = assert_envelope(response, 400, "INVALID_REQUEST")
    assert [(error["path"], error["code"]) for error in envelope["field_errors"]] == [("callback_url", code)]
    assert client.get("/v1/parse", headers=key.headers).json()["data"] == []


def test_delete_takes_the_delivery_with_it(hooked: TestClient[Any], receivers: Callable[..., Receiver]) -> None:
    receiver = receivers(200)
    key = issue_key(store_of(hooked))
    request_id = hooked.post("/v1/parse", json={**TEXT_BODY, "callback_url": receiver.url},
                             headers=key.headers).json()["request_id"]
    _webhook_when(hooked, key, request_id, "delivered")
    assert hooked.delete(f"/v1/parse/{request_id}", headers=key.headers).status_code == 200
    assert store_of(hooked).webhook_status(request_id) is None


def test_one_delivery_is_never_sent_twice_at_once(hooked: TestClient[Any],
                                                  receivers: Callable[..., Receiver]) -> None:
    """When a retry falls due, the sweeper and four more senders race for it: the claim lets one send it."""
    receiver = receivers(500, 200)
    key = issue_key(store_of(hooked))
    request_id = hooked.post("/v1/parse", json={**TEXT_BODY, "callback_url": receiver.url},
                             headers=key.headers).json()["request_id"]
    _webhook_when(hooked, key, request_id, "retrying")
    store = store_of(hooked)
    settings = hooked.app.state.services.settings
    outcomes: list[str | None] = []
    barrier = threading.Barrier(4)

    def send() -> None:
        barrier.wait()
        for _ in range(20):
            outcomes.append(deliver(store, request_id, settings))
            time.sleep(0.02)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = _webhook_when(hooked, key, request_id, "delivered")
    assert len(receiver.received) == 2
    assert [attempt["attempt"] for attempt in done["webhook"]["attempts"]] == [1, 2]
    assert sum(outcome is not None for outcome in outcomes) <= 1


def test_signatures_expire_and_bind_the_body() -> None:
    body = b'{"request_id": "req_1"}'
    header = sign("whsec_test", 1_700_000_000, body)
    assert verify_signature("whsec_test", header, body, now=1_700_000_100)
    assert not verify_signature("whsec_test", header, body, now=1_700_001_000)
    assert not verify_signature("whsec_test", header.replace("t=1700000000", "t=1700000001"), body,
                                now=1_700_000_100)
    assert not verify_signature("whsec_test", "v1=abc", body)
