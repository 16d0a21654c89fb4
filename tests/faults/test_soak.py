"""Soak: a steady rate of requests for minutes through the real API and two Celery workers, one of them killed
and replaced midway; afterwards every accepted request is terminal, the credits add up exactly, and the
memory of the API and of the surviving worker is flat.

    RESUME_PARSER_SOAK_SECONDS=600 RESUME_PARSER_SOAK_REPORT=bench/results/soak-$(date +%F).txt \\
        ./dev.sh test -m slow tests/faults/test_soak.py

Duration (default 600 s) and rate (RESUME_PARSER_SOAK_RATE, default 2 requests/s, one in ten a PDF) come from
the environment; with RESUME_PARSER_SOAK_REPORT the figures and the machine are written to that file.
"""

from __future__ import annotations

import json
import os
import statistics
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests import samples
from tests.faults.conftest import Deployment
from tests.faults.servers import kill_group, rss_kb

SOAK_SECONDS = float(os.environ.get("RESUME_PARSER_SOAK_SECONDS", "600"))
SOAK_RATE = float(os.environ.get("RESUME_PARSER_SOAK_RATE", "2"))
MEMORY_GROWTH_LIMIT = 1.2
SAMPLE_SECONDS = 5.0

pytestmark = [pytest.mark.distributed, pytest.mark.slow]


class SteadyLoad:
    """Open loop: POSTs at evenly spaced instants, each from its own short-lived thread, answers kept."""

    def __init__(self, deployment: Deployment, key: str) -> None:
        self._deployment = deployment
        self._headers = {"Authorization": f"Bearer {key}"}
        self._pdf = samples.resume_pdf()
        self.accepted: list[str] = []
        self.refused: list[tuple[int, str]] = []
        self._lock = threading.Lock()

    def _post(self, number: int) -> None:
        base = self._deployment.base
        try:
            if number % 10 == 0:
                response = httpx.post(f"{base}/v1/parse", files={"file": ("cv.pdf", self._pdf)},
                                      headers=self._headers, timeout=30)
            else:
                response = httpx.post(f"{base}/v1/parse", headers=self._headers, timeout=30,
                                      json={"input": {"type": "text", "raw_text": samples.resume_text()}})
        except httpx.HTTPError as exc:
            with self._lock:
                self.refused.append((0, type(exc).__name__))
            return
        with self._lock:
            if response.status_code == 202:
                self.accepted.append(response.json()["request_id"])
            else:
                self.refused.append((response.status_code, response.text[:200]))

    def run(self, seconds: float, rate: float, on_tick: list[tuple[float, threading.Event]]) -> None:
        """Send for `seconds`; each (offset, event) in `on_tick` is set once that offset has passed."""
        start = time.monotonic()
        threads: list[threading.Thread] = []
        for number in range(int(seconds * rate)):
            delay = start + number / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            for offset, event in on_tick:
                if time.monotonic() - start >= offset:
                    event.set()
            thread = threading.Thread(target=self._post, args=(number,), daemon=True)
            thread.start()
            threads.append(thread)
            threads = [each for each in threads if each.is_alive()]
        for thread in threads:
            thread.join(timeout=60)


def _halves(samples_kb: list[int]) -> tuple[float, float]:
    middle = len(samples_kb) // 2
    return statistics.median(samples_kb[:middle]), statistics.median(samples_kb[middle:])


@pytest.mark.timeout(SOAK_SECONDS + 900)
def test_soak_with_a_worker_killed_midway(deployment: Deployment) -> None:
    limits = {"RESUME_PARSER_TASK_TIME_LIMIT": "20", "RESUME_PARSER_STUCK_AFTER": "5"}
    deployment.start_api(**limits)
    steady = deployment.start_worker(**limits)
    doomed = deployment.start_worker(**limits)
    key = deployment.key(credits=1_000_000)
    load = SteadyLoad(deployment, key["key"])
    memory: dict[str, list[int]] = {"api": [], "worker": []}
    stop_sampling = threading.Event()

    def sample() -> None:
        while not stop_sampling.wait(SAMPLE_SECONDS):
            memory["api"].append(rss_kb(deployment.api.process.pid))
            memory["worker"].append(rss_kb(steady.process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    midway = threading.Event()
    restarter_done = threading.Event()

    def restart_midway() -> None:
        if midway.wait(SOAK_SECONDS + 60):
            kill_group(doomed.process.pid)
            doomed.process.wait(timeout=10)
            deployment.start_worker(**limits)
        restarter_done.set()

    threading.Thread(target=restart_midway, daemon=True).start()
    started = time.monotonic()
    try:
        load.run(SOAK_SECONDS, SOAK_RATE, [(SOAK_SECONDS / 2, midway)])
        midway.set()
        assert restarter_done.wait(60)
        deployment.wait_terminal(load.accepted, timeout=300)
    finally:
        stop_sampling.set()
        sampler.join(timeout=10)
    drained = time.monotonic() - started - SOAK_SECONDS
    assert not load.refused, load.refused[:5]
    statuses = deployment.rows("SELECT status, COUNT(*) FROM requests GROUP BY status")
    deployment.assert_credits_add_up(key["account_id"])
    retried = deployment.rows("SELECT COUNT(*) FROM requests WHERE attempts > 1")[0][0]
    api_first, api_second = _halves(memory["api"])
    worker_first, worker_second = _halves(memory["worker"])
    figures = {
        "seconds": SOAK_SECONDS, "rate_per_second": SOAK_RATE, "accepted": len(load.accepted),
        "statuses": dict(statuses), "retried_after_the_kill": retried, "drained_seconds_after_load": round(drained, 1),
        "api_rss_mb_median_first_half": round(api_first / 1024, 1),
        "api_rss_mb_median_second_half": round(api_second / 1024, 1),
        "worker_rss_mb_median_first_half": round(worker_first / 1024, 1),
        "worker_rss_mb_median_second_half": round(worker_second / 1024, 1),
        "memory_samples": len(memory["api"]),
    }
    report = os.environ.get("RESUME_PARSER_SOAK_REPORT")
    if report:
        from bench.machine import describe

        Path(report).write_text(json.dumps({"machine": describe(), "soak": figures}, indent=2) + "\n")
    print(json.dumps(figures))
    assert len(load.accepted) == int(SOAK_SECONDS * SOAK_RATE)
    assert api_second <= api_first * MEMORY_GROWTH_LIMIT, figures
    assert worker_second <= worker_first * MEMORY_GROWTH_LIMIT, figures
