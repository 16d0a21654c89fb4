"""Start-up and memory: process start to the first parse served, and resident memory per worker.

    python bench/startup_bench.py [--runs 3] [--save]

Three ways a parse is first served, each from a fresh process, `--runs` times (median reported):

- `cli`: `resume-parser parse FILE` as a new process, to its exit (import, taxonomy, parse, JSON out);
- `embedded`: `resume-parser serve` with nothing configured, from process start to the first request that
  completes (a POST tried every 10 ms from the start until the server takes it, then long-polled with `?wait=`);
- `celery`: a `resume-parser worker` (one child) started beside a running API on Redis and PostgreSQL, from
  process start to the completion of a request queued before it started.

Every wait is on the clock: the 10 ms between tries, and the long poll, whose server looks at the request after
20 ms, then half as long again each time up to every 250 ms (from about 0.6 s on), so a figure can be up to that
much later than the parse itself.

Each start-up is also given as CPU time (user and system, the process and its live children), which other
load on a shared machine inflates far less than the clock. Memory is the resident set (VmRSS) of each process
once it has served ten parses: the Celery worker's main process and its one child (which holds the taxonomy
and does the parsing), and the embedded server with its extraction children. The file is the first PDF of
the development corpus (the test sample without it). Needs PostgreSQL (RESUME_PARSER_TEST_DATABASE_URL or
127.0.0.1:5432/test) and Redis (RESUME_PARSER_TEST_REDIS_URL or 127.0.0.1:6379/0) for the Celery case.

Targets (issue 8): start-up ≤ 2 s; a worker ≤ 250 MB resident with the taxonomy loaded. Exit status 1 when
one is missed. With --save: bench/results/startup-<date>.{txt,json}.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import msgspec
import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import describe  # noqa: E402
from tests.processes import (  # noqa: E402
    CLI,
    Service,
    create_key,
    free_port,
    run_cli,
    service_env,
    start_api,
    start_worker,
    wait_terminal,
)

CORPUS_DOCS = REPO.parent / "shared" / "corpus" / "dev" / "docs"
POSTGRES = os.environ.get("RESUME_PARSER_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("RESUME_PARSER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TARGET_STARTUP_S = 2.0
TARGET_WORKER_MB = 250.0
WARM_PARSES = 10
DEADLINE_S = 120.0


class Figures(msgspec.Struct):
    case: str
    startup_s: list[float]
    startup_median_s: float
    cpu_s: list[float]
    cpu_median_s: float
    rss_mb: dict[str, float]


def _sample() -> tuple[str, bytes]:
    if CORPUS_DOCS.is_dir():
        first = sorted(path for path in CORPUS_DOCS.iterdir() if path.suffix == ".pdf")[0]
        return first.name, first.read_bytes()
    from tests import samples

    return "sample.pdf", samples.resume_pdf()


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _cpu_s(pid: int) -> float:
    """User and system CPU time of a process and its live children so far."""
    total = 0.0
    for process in [pid, *_children(pid)]:
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _post(base: str, key: str, name: str, data: bytes) -> str:
    response = httpx.post(f"{base}/v1/parse", files={"file": (name, data)},
                          headers={"Authorization": f"Bearer {key}"}, timeout=30)
    response.raise_for_status()
    request_id: str = response.json()["request_id"]
    return request_id


def _warm(base: str, key: str, name: str, data: bytes) -> None:
    for _ in range(WARM_PARSES):
        assert wait_terminal(base, key, _post(base, key, name, data))["status"] == "completed"


def _cli_once(folder: Path, name: str, data: bytes) -> tuple[float, float]:
    path = folder / name
    path.write_bytes(data)
    env = service_env(RESUME_PARSER_DATA_DIR=str(folder / "data"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([*CLI, "parse", str(path)], env=env, cwd=REPO, capture_output=True, timeout=DEADLINE_S,
                          check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0 or b'"completed"' not in done.stdout:
        raise RuntimeError(f"the CLI parse failed: {done.stderr.decode(errors='replace')[-500:]}")
    return elapsed, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _embedded_once(folder: Path, name: str, data: bytes,
                   measure_memory: bool) -> tuple[float, float, dict[str, float]]:
    env = service_env(RESUME_PARSER_DATA_DIR=str(folder / "data"), RESUME_PARSER_RATE_LIMIT="100000")
    key = create_key(env, 1000, "--plan", "pro")["key"]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    service = Service([*CLI, "serve", "--host", "127.0.0.1", "--port", str(port)], env, folder / "serve.log")
    try:
        request_id = None
        while request_id is None:
            if time.perf_counter() - started > DEADLINE_S or service.process.poll() is not None:
                raise RuntimeError(f"the embedded server did not start:\n{service.output()[-2000:]}")
            try:
                request_id = _post(base, key, name, data)
            except httpx.HTTPError:
                time.sleep(0.01)
        assert wait_terminal(base, key, request_id)["status"] == "completed"
        elapsed = time.perf_counter() - started
        cpu = _cpu_s(service.process.pid)
        memory: dict[str, float] = {}
        if measure_memory:
            _warm(base, key, name, data)
            pid = service.process.pid
            memory["embedded server (API, parsing threads, taxonomy)"] = _rss_mb(pid)
            for index, child in enumerate(_children(pid)):
                memory[f"embedded extraction child {index + 1}"] = _rss_mb(child)
        return elapsed, cpu, memory
    finally:
        service.stop()


class _CeleryApi:
    """A running API on a fresh PostgreSQL schema and queue, for workers to be started beside."""

    def __init__(self, folder: Path) -> None:
        self.schema = "bench_" + uuid.uuid4().hex[:10]
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{self.schema}"')
        self.env = service_env(
            RESUME_PARSER_DATABASE_URL=f"{POSTGRES}?options=-csearch_path%3D{self.schema}",
            RESUME_PARSER_BROKER_URL=REDIS, RESUME_PARSER_QUEUE="rp-bench-" + uuid.uuid4().hex[:8],
            RESUME_PARSER_DATA_DIR=str(folder / "data"), RESUME_PARSER_RATE_LIMIT="100000")
        run_cli(self.env, "migrate")
        self.api, self.base = start_api(self.env, folder / "api.log")
        self.key = create_key(self.env, 1000, "--plan", "pro")["key"]

    def close(self) -> None:
        self.api.stop()
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{self.schema}" CASCADE')


def _celery_once(api: _CeleryApi, folder: Path, name: str, data: bytes,
                 measure_memory: bool) -> tuple[float, float, dict[str, float]]:
    request_id = _post(api.base, api.key, name, data)
    started = time.perf_counter()
    worker = start_worker(api.env, folder / f"worker-{uuid.uuid4().hex[:6]}.log")
    try:
        assert wait_terminal(api.base, api.key, request_id, timeout=DEADLINE_S)["status"] == "completed"
        elapsed = time.perf_counter() - started
        cpu = _cpu_s(worker.process.pid)
        memory: dict[str, float] = {}
        if measure_memory:
            _warm(api.base, api.key, name, data)
            pid = worker.process.pid
            memory["celery worker main process"] = _rss_mb(pid)
            for index, child in enumerate(_children(pid)):
                memory[f"celery worker child {index + 1} (taxonomy loaded, parsing)"] = _rss_mb(child)
        return elapsed, cpu, memory
    finally:
        worker.stop()


def _figures(case: str, runs: list[tuple[float, float]], memory: dict[str, float]) -> Figures:
    times, cpu = [run[0] for run in runs], [run[1] for run in runs]
    return Figures(case=case, startup_s=[round(value, 2) for value in times],
                   startup_median_s=round(statistics.median(times), 2), cpu_s=[round(value, 2) for value in cpu],
                   cpu_median_s=round(statistics.median(cpu), 2), rss_mb=memory)


def _targets(rows: list[Figures]) -> list[str]:
    checks = []
    for row in rows:
        met = row.startup_median_s <= TARGET_STARTUP_S
        checks.append(f"{row.case}: start to first parse served {row.startup_median_s:g} s <= {TARGET_STARTUP_S:g} s: "
                      f"{'met' if met else 'MISSED'}")
        for process, rss in row.rss_mb.items():
            if "child" in process and "celery" in process:
                checks.append(f"{process}: {rss:g} MB <= {TARGET_WORKER_MB:g} MB: "
                              f"{'met' if rss <= TARGET_WORKER_MB else 'MISSED'}")
    return checks


def _table(rows: list[Figures], source: str) -> str:
    lines = [f"file: {source}; CPU is the user and system time the process (and its children) spent by then",
             "", f"{'case':<10} {'median s':>9}  {'CPU s':>6}  runs (s)"]
    for row in rows:
        lines.append(f"{row.case:<10} {row.startup_median_s:>9.2f}  {row.cpu_median_s:>6.2f}  "
                     f"{', '.join(f'{v:.2f}' for v in row.startup_s)}")
    lines += ["", f"resident memory after {WARM_PARSES} parses:"]
    for row in rows:
        for process, rss in row.rss_mb.items():
            lines.append(f"  {process:<58} {rss:>7.1f} MB")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", default="cli,embedded,celery")
    parser.add_argument("--save", action="store_true")
    args = parser.parse_args()
    name, data = _sample()
    cases = [case for case in args.cases.split(",") if case]
    rows: list[Figures] = []
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        if "cli" in cases:
            rows.append(_figures("cli", [_cli_once(folder, name, data) for _ in range(args.runs)], {}))
        if "embedded" in cases:
            runs, memory = [], {}
            for run in range(args.runs):
                elapsed, cpu, measured = _embedded_once(folder / f"embedded-{run}", name, data, run == args.runs - 1)
                runs.append((elapsed, cpu))
                memory.update(measured)
            rows.append(_figures("embedded", runs, memory))
        if "celery" in cases:
            api = _CeleryApi(folder)
            try:
                runs, memory = [], {}
                for run in range(args.runs):
                    elapsed, cpu, measured = _celery_once(api, folder, name, data, run == args.runs - 1)
                    runs.append((elapsed, cpu))
                    memory.update(measured)
                rows.append(_figures("celery", runs, memory))
            finally:
                api.close()
    checks = _targets(rows)
    table = _table(rows, name) + "\n\n" + "\n".join(checks)
    print(table)
    if args.save:
        header = describe()
        results = REPO / "bench" / "results"
        stem = f"startup-{datetime.date.today().isoformat()}"
        (results / f"{stem}.txt").write_text(f"{msgspec.json.encode(header).decode()}\n{table}\n", encoding="utf-8")
        payload: dict[str, Any] = {"machine": header, "file": name, "cases": rows, "targets": checks}
        (results / f"{stem}.json").write_bytes(msgspec.json.format(msgspec.json.encode(payload)))
    return 1 if any("MISSED" in check for check in checks) else 0


if __name__ == "__main__":
    raise SystemExit(main())
