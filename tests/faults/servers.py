"""Private PostgreSQL and Redis servers for the fault tests, and helpers to watch the processes under test.

The fault tests stop, kill and restart the database and the broker, so they never touch the shared servers
on 5432 and 6379: each server here runs from a temporary directory on a free loopback port. PostgreSQL's
`initdb` and `pg_ctl` refuse to run as root, so as root they run as the `postgres` user that Debian's
`postgresql` package creates (`scripts/test-services.sh` installs it). Every wait is bounded.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import redis

from tests.processes import free_port

STARTUP_SECONDS = 30


def wait_until(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    """Poll `condition` until it holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


class PrivateRedis:
    """A redis-server without persistence: a restart loses every queued message, the hardest case."""

    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="rp-faults-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise AssertionError("redis-server is not installed; run scripts/test-services.sh")
        log = (self.root / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.root)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        wait_until(self._answers, STARTUP_SECONDS, "the private Redis to answer")

    def _answers(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        """Kill the server at once (nothing is saved) and reap it."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def queued(self, queue: str) -> int:
        """How many messages wait in a Celery queue (a Redis list named after it)."""
        return int(redis.Redis.from_url(self.url).llen(queue))

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _postgres_bin() -> Path:
    """The newest installed PostgreSQL's binaries (Debian keeps them out of PATH)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0)
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    if found is None:
        raise AssertionError("PostgreSQL's initdb is not installed; run scripts/test-services.sh")
    return Path(found).parent


class PrivatePostgres:
    """A throw-away PostgreSQL cluster (trust authentication on loopback) that a test may stop and restart."""

    def __init__(self) -> None:
        self.port = free_port()
        self.bin = _postgres_bin()
        self.root = Path(tempfile.mkdtemp(prefix="rp-faults-pg-"))
        self.data = self.root / "data"
        self._as_owner: list[str] = []
        if os.geteuid() == 0:
            self._as_owner = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, user="postgres", group="postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run([*self._as_owner, str(self.bin / tool), *args], capture_output=True, text=True,
                              timeout=STARTUP_SECONDS * 2, check=False)
        if done.returncode != 0:
            raise AssertionError(f"{tool} failed: {done.stdout}\n{done.stderr}")

    def start(self) -> None:
        options = f"-p {self.port} -h 127.0.0.1 -k {self.root} -c fsync=off -c max_connections=100"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "postgres.log"), "-o", options,
                  "-w", "-t", str(STARTUP_SECONDS), "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session (clients see their connections cut); `immediate` is a crash."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", str(STARTUP_SECONDS), "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def connect(self, url: str | None = None) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(url or self.url, autocommit=True, connect_timeout=5)

    def remove(self) -> None:
        if self.running():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def pool_children(pid: int) -> list[int]:
    """The child processes of `pid` (a Celery worker's prefork children), from /proc."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def rss_kb(pid: int) -> int:
    """Resident memory of `pid` and its children, in KiB (0 once it is gone)."""
    total = 0
    for each in [pid, *pool_children(pid)]:
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def kill_group(pid: int) -> None:
    """SIGKILL a service and every process it started (its session's process group)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
