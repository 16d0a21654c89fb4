"""Real service processes for end-to-end tests: the API server and Celery workers, on loopback ports."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "resume_parser.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def run_cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*CLI, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def create_key(env: dict[str, str], credits: int = 100, *extra: str) -> dict[str, Any]:
    output = run_cli(env, "keys", "create", "--name", "e2e", "--credits", str(credits), *extra)
    info: dict[str, Any] = json.loads(output.strip().splitlines()[0])
    return info


class Service:
    """A child process whose output goes to a log file; stopped (and reaped) on exit."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._log_handle = log.open("wb")
        self.process = subprocess.Popen(args, env=env, cwd=REPO, stdout=self._log_handle, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def stop(self, kill: bool = False) -> None:
        if self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log_handle.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_api(env: dict[str, str], log: Path) -> tuple[Service, str]:
    port = free_port()
    service = Service([*CLI, "serve", "--host", "127.0.0.1", "--port", str(port)], env, log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise AssertionError(f"API exited early:\n{service.output()}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code in (200, 503):
                return service, base
        except httpx.HTTPError:
            time.sleep(0.2)
    service.stop()
    raise AssertionError(f"API did not start:\n{service.output()}")


def start_worker(env: dict[str, str], log: Path, concurrency: int = 1) -> Service:
    return Service([*CLI, "worker", "--concurrency", str(concurrency), "--loglevel", "INFO"], env, log)


def wait_terminal(base: str, key: str, request_id: str, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    headers = {"Authorization": f"Bearer {key}"}
    while time.monotonic() < deadline:
        response = httpx.get(f"{base}/v1/parse/{request_id}", params={"wait": 5}, headers=headers, timeout=15)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] in ("completed", "failed"):
            return body
    raise AssertionError(f"{request_id} did not finish in {timeout} s")


def service_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESUME_PARSER_")}
    env.update(values)
    env["PYTHONUNBUFFERED"] = "1"
    return env
