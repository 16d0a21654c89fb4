"""Faults with real processes on loopback: killed workers, duplicate deliveries, Redis and PostgreSQL restarts.

Each test runs the API and Celery workers against its own PostgreSQL database and Redis server (see
servers.py), breaks something mid-flight, then checks the store itself: every accepted request ends
`completed` or `failed`, completed exactly once, and the credit ledger holds one reservation per request
settled once.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import httpx
import pytest

from resume_parser.settings import load_settings
from tests import samples
from tests.faults.conftest import Deployment
from tests.faults.servers import kill_group, pool_children, wait_until
from workers.celery_app import TASK_NAME, create_celery

pytestmark = [pytest.mark.distributed, pytest.mark.slow]


def accepted_id(response: httpx.Response) -> str:
    assert response.status_code == 202, response.text
    request_id: str = response.json()["request_id"]
    return request_id


def test_a_worker_child_killed_mid_parse_is_redelivered_and_charged_once(deployment: Deployment) -> None:
    deployment.start_api()
    worker = deployment.start_worker()
    key = deployment.key()
    request_id = accepted_id(deployment.post_scan(key["key"]))
    deployment.wait_parsing(request_id)
    time.sleep(1)
    children = pool_children(worker.process.pid)
    assert len(children) == 1, children
    os.kill(children[0], signal.SIGKILL)
    assert deployment.request_row(request_id)[0] == "parsing"
    deployment.wait_terminal([request_id])
    status, _, attempts, consumed = deployment.request_row(request_id)
    assert (status, attempts) == ("completed", 2) and consumed > 0
    deployment.assert_credits_add_up(key["account_id"])
    assert worker.process.poll() is None


def test_a_whole_worker_killed_mid_parse_is_retried_by_the_sweeper_on_another(deployment: Deployment) -> None:
    deployment.start_api(RESUME_PARSER_TASK_TIME_LIMIT="12", RESUME_PARSER_STUCK_AFTER="1")
    doomed = deployment.start_worker()
    key = deployment.key()
    request_id = accepted_id(deployment.post_scan(key["key"]))
    deployment.wait_parsing(request_id)
    deployment.start_worker()
    time.sleep(1)
    kill_group(doomed.process.pid)
    doomed.process.wait(timeout=10)
    deployment.wait_terminal([request_id], timeout=90)
    status, _, attempts, consumed = deployment.request_row(request_id)
    assert (status, attempts) == ("completed", 2) and consumed > 0
    deployment.assert_credits_add_up(key["account_id"])


def test_duplicate_deliveries_charge_once_and_keep_one_result(deployment: Deployment) -> None:
    deployment.start_api(RESUME_PARSER_RESEND_AFTER="3600")
    key = deployment.key()
    request_id = accepted_id(deployment.post_scan(key["key"], pages=2))
    celery = create_celery(load_settings(deployment.env))
    try:
        for _ in range(2):
            celery.send_task(TASK_NAME, args=[request_id])
    finally:
        celery.close()
    wait_until(lambda: deployment.broker.queued(deployment.queue) == 3, 15,
               "the API's own send (made after its answer, on the sender thread) and the two duplicates queued")
    deployment.start_worker()
    deployment.start_worker()
    deployment.wait_terminal([request_id])
    wait_until(lambda: sum(service.output().count(" succeeded in ") for service in deployment.services) == 3,
               90, "all three deliveries to finish")
    status, _, attempts, consumed = deployment.request_row(request_id)
    assert status == "completed" and consumed > 0 and attempts >= 2
    deployment.assert_credits_add_up(key["account_id"])
    done = httpx.get(f"{deployment.base}/v1/parse/{request_id}",
                     headers={"Authorization": f"Bearer {key['key']}"}).json()
    assert done["request_id"] == request_id and done["credits_consumed"] == consumed
    assert done["result"]["personal_info"]["email"] == samples.EMAIL


class Poster:
    """POSTs a text request every `interval` seconds from a thread and keeps every answer."""

    def __init__(self, deployment: Deployment, key: str, interval: float = 0.2) -> None:
        self._deployment = deployment
        self._key = key
        self._interval = interval
        self._stop = threading.Event()
        self.answers: list[tuple[int, dict[str, object]]] = []
        self.timings: list[tuple[float, float]] = []
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Poster:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            sent = time.monotonic()
            try:
                response = self._deployment.post_text(self._key, timeout=20)
            except httpx.HTTPError as exc:
                self.answers.append((0, {"transport_error": str(exc)}))
                continue
            self.timings.append((sent, time.monotonic() - sent))
            self.answers.append((response.status_code, response.json()))

    def seconds_to_answer(self, start: float, end: float) -> list[float]:
        """How long each POST sent between `start` and `end` (monotonic) took to be answered."""
        return [took for sent, took in self.timings if start <= sent <= end]

    def accepted(self) -> list[str]:
        return [str(body["request_id"]) for status, body in self.answers if status == 202]

    def check_refusals(self) -> None:
        """Everything not accepted is a 503 in the error envelope: never a 500, never a dropped connection."""
        for status, body in self.answers:
            if status != 202:
                assert status == 503, (status, body)
                assert body["code"] == "SERVICE_UNAVAILABLE" and body["message"], body


def test_redis_restart_loses_no_accepted_request(deployment: Deployment) -> None:
    deployment.start_api()
    worker = deployment.start_worker()
    key = deployment.key(credits=1000)
    busy = accepted_id(deployment.post_scan(key["key"]))
    deployment.wait_parsing(busy)
    queued = [accepted_id(deployment.post_text(key["key"])) for _ in range(3)]
    wait_until(lambda: deployment.broker.queued(deployment.queue) >= len(queued) - 1, 10,
               "the API's sends (made after its answers) queued, but for the one the busy worker holds ready "
               "(prefetch 2)")
    with Poster(deployment, key["key"]) as poster:
        time.sleep(1)
        deployment.broker.stop()
        down = time.monotonic()
        time.sleep(4)
        deployment.broker.start()
        time.sleep(1)
    poster.check_refusals()
    while_down = poster.seconds_to_answer(down, down + 3)
    assert len(while_down) >= 3 and max(while_down) < 2, while_down
    accepted = [busy, *queued, *poster.accepted()]
    deployment.wait_terminal(accepted)
    statuses = {deployment.request_row(each)[0] for each in accepted}
    assert statuses == {"completed"}
    deployment.assert_credits_add_up(key["account_id"])
    assert worker.process.poll() is None
    assert accepted_id(deployment.post_text(key["key"]))


def test_postgres_restart_answers_503_then_reconnects_and_nothing_stays_parsing(deployment: Deployment) -> None:
    deployment.start_api()
    worker = deployment.start_worker()
    key = deployment.key(credits=1000)
    headers = {"Authorization": f"Bearer {key['key']}"}
    in_flight = accepted_id(deployment.post_scan(key["key"]))
    deployment.wait_parsing(in_flight)
    with Poster(deployment, key["key"], interval=0.5) as poster:
        time.sleep(1)
        deployment.postgres.stop("fast")
        down = httpx.get(f"{deployment.base}/v1/parse/{in_flight}", headers=headers, timeout=20)
        assert down.status_code == 503 and down.json()["code"] == "SERVICE_UNAVAILABLE", down.text
        health = httpx.get(f"{deployment.base}/health", timeout=20)
        assert health.status_code == 503 and health.json()["checks"]["store"] == "unavailable"
        time.sleep(8)
        deployment.postgres.start()
        # The pool retries a lost server with doubling pauses (1, 2, 4, 8 s …), so after an outage of 8 s the
        # API is back within about the length of the outage again, more on a loaded machine.
        wait_until(lambda: httpx.get(f"{deployment.base}/health", timeout=10).status_code == 200, 30,
                   "the API to reconnect")
        time.sleep(1)
    poster.check_refusals()
    assert any(status == 503 for status, _ in poster.answers), poster.answers
    accepted = [in_flight, *poster.accepted(), accepted_id(deployment.post_text(key["key"]))]
    deployment.wait_terminal(accepted)
    assert {deployment.request_row(each)[0] for each in accepted} == {"completed"}
    deployment.assert_credits_add_up(key["account_id"])
    assert worker.process.poll() is None
    assert httpx.get(f"{deployment.base}/health").status_code == 200


def test_a_parse_past_the_time_limit_inside_ocr_ends_timeout_with_a_refund(deployment: Deployment) -> None:
    deployment.start_api()
    deployment.start_worker(RESUME_PARSER_TASK_TIME_LIMIT="2")
    key = deployment.key(credits=5)
    request_id = accepted_id(deployment.post_scan(key["key"], pages=4))
    deployment.wait_terminal([request_id])
    status, _, _, consumed = deployment.request_row(request_id)
    done = httpx.get(f"{deployment.base}/v1/parse/{request_id}",
                     headers={"Authorization": f"Bearer {key['key']}"}).json()
    assert (status, consumed, done["error_code"]) == ("failed", 0, "TIMEOUT"), done
    deployment.assert_credits_add_up(key["account_id"])
