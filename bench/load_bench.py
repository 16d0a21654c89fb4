"""End-to-end load through the HTTP API: Celery + Redis + PostgreSQL, and the embedded default, on loopback.

    python bench/load_bench.py [--modes celery,embedded] [--workers 1,2] [--rates 5,20,50] [--duration 12]
                               [--save]

For each mode (and, on Celery, each number of worker processes, one task at a time each) it starts the API
and the workers as real processes on a fresh database, then offers load: for each fixed rate, POSTs at
evenly spaced instants for `duration` seconds (open loop: a slow answer does not delay the next request),
each followed by long polls (`?wait=`) until the request is terminal; then the open-loop maximum, as many
requests at once as `--burst` allows for `duration` seconds. Before the first run, each worker process reads
files of each format (a warm-up that is not measured). Files rotate over the development corpus's PDF
and DOCX files (the test samples without the corpus). Reported per run: time from POST to the poll that sees
`completed` (p50/p95/p99), the API's own answer time to the POST and to a GET of a finished result (p50),
throughput (completed per second over the run), and the error rate (any answer but 202 at POST or any
request not `completed`, or not finished within 180 s). The same machine runs the load generator, so
figures are conservative. With --save: bench/results/load-<date>.{txt,json} and a plot of latency against
offered load (needs matplotlib: pip install -e '.[bench]'). Needs PostgreSQL (RESUME_PARSER_TEST_DATABASE_URL
or 127.0.0.1:5432/test) and Redis (RESUME_PARSER_TEST_REDIS_URL or 127.0.0.1:6379/0) for the Celery mode.

Targets (issue 8) at 20 requests/s on Celery: p50 ≤ 100 ms and p99 ≤ 300 ms, no errors; ≥ 60 resumes/s
with 2 workers; POST ≤ 5 ms and GET of a finished result ≤ 3 ms median. Exit status 1 when one is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import statistics
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
from tests.processes import Service, create_key, run_cli, service_env, start_api, start_worker  # noqa: E402

CORPUS_DOCS = REPO.parent / "shared" / "corpus" / "dev" / "docs"
POSTGRES = os.environ.get("RESUME_PARSER_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("RESUME_PARSER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
FINISHED_GETS = 200
POLL_WAIT = 5
REQUEST_DEADLINE_S = 180.0


class RunFigures(msgspec.Struct):
    mode: str
    workers: int
    offered_rps: float | None
    sent: int
    completed: int
    errors: int
    error_rate: float
    e2e_p50_ms: float
    e2e_p95_ms: float
    e2e_p99_ms: float
    post_p50_ms: float
    get_finished_p50_ms: float
    throughput_rps: float


class _Accepted(msgspec.Struct):
    request_id: str


class _Status(msgspec.Struct):
    """The one field the load generator needs from a poll: decoding only it keeps the generator's own work (it
    shares the machine) from delaying the answers it times."""

    status: str


def _files() -> list[tuple[str, bytes]]:
    if CORPUS_DOCS.is_dir():
        return [(path.name, path.read_bytes()) for path in sorted(CORPUS_DOCS.iterdir())
                if path.suffix in (".pdf", ".docx")]
    from tests import samples

    return [("sample.pdf", samples.resume_pdf()), ("sample.docx", samples.resume_docx())]


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class _Load:
    """One run's requests and what was measured of them."""

    def __init__(self, base: str, key: str, files: list[tuple[str, bytes]]) -> None:
        self.base, self.files = base, files
        self.headers = {"Authorization": f"Bearer {key}"}
        self.e2e: list[float] = []
        self.posts: list[float] = []
        self.finished: list[str] = []
        self.errors = 0
        self.sent = 0
        self.last_done = 0.0

    async def one(self, client: httpx.AsyncClient) -> None:
        name, data = self.files[self.sent % len(self.files)]
        self.sent += 1
        started = time.perf_counter()
        try:
            response = await client.post(f"{self.base}/v1/parse", files={"file": (name, data)}, headers=self.headers)
            self.posts.append(1000 * (time.perf_counter() - started))
            if response.status_code != 202:
                self.errors += 1
                return
            request_id = msgspec.json.decode(response.content, type=_Accepted).request_id
            status = "timeout"
            while time.perf_counter() - started < REQUEST_DEADLINE_S:
                polled = await client.get(f"{self.base}/v1/parse/{request_id}", params={"wait": POLL_WAIT},
                                          headers=self.headers)
                ok = polled.status_code == 200
                status = msgspec.json.decode(polled.content, type=_Status).status if ok else "error"
                if status in ("completed", "failed", "error"):
                    break
        except httpx.HTTPError:
            self.errors += 1
            return
        if status != "completed":
            self.errors += 1
            return
        self.last_done = time.perf_counter()
        self.e2e.append(1000 * (self.last_done - started))
        self.finished.append(request_id)


async def _offer(base: str, key: str, files: list[tuple[str, bytes]], rate: float | None, duration: float,
                 burst: int) -> tuple[_Load, float]:
    """Requests at `rate` per second for `duration` seconds, or `burst` at a time when `rate` is None."""
    load = _Load(base, key, files)
    limits = httpx.Limits(max_connections=max(256, burst * 2), max_keepalive_connections=max(64, burst))
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        started = time.perf_counter()
        tasks: list[asyncio.Task[None]] = []
        if rate is not None:
            for index in range(int(rate * duration)):
                delay = started + index / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(load.one(client)))
        else:
            async def worker() -> None:
                while time.perf_counter() - started < duration:
                    await load.one(client)

            tasks = [asyncio.create_task(worker()) for _ in range(burst)]
        await asyncio.gather(*tasks)
    return load, started


def _get_finished_ms(base: str, key: str, request_ids: list[str]) -> float:
    """The API's answer time to a GET of finished results, one after another, median."""
    times: list[float] = []
    with httpx.Client(timeout=10) as client:
        for request_id in request_ids[:FINISHED_GETS]:
            started = time.perf_counter()
            client.get(f"{base}/v1/parse/{request_id}", headers={"Authorization": f"Bearer {key}"})
            times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times) if times else float("nan")


def _figures(mode: str, workers: int, rate: float | None, load: _Load, started: float,
             get_ms: float) -> RunFigures:
    span = max(1e-9, load.last_done - started)
    return RunFigures(
        mode=mode, workers=workers, offered_rps=rate, sent=load.sent, completed=len(load.e2e), errors=load.errors,
        error_rate=round(load.errors / max(1, load.sent), 4),
        e2e_p50_ms=round(_percentile(load.e2e, 0.5), 1), e2e_p95_ms=round(_percentile(load.e2e, 0.95), 1),
        e2e_p99_ms=round(_percentile(load.e2e, 0.99), 1), post_p50_ms=round(_percentile(load.posts, 0.5), 2),
        get_finished_p50_ms=round(get_ms, 2), throughput_rps=round(len(load.e2e) / span, 1))


class _Services:
    """The API and its workers for one mode, on a fresh database or data directory."""

    def __init__(self, mode: str, workers: int, folder: Path, files: list[tuple[str, bytes]]) -> None:
        self.started: list[Service] = []
        self.schema: str | None = None
        values = {"RESUME_PARSER_RATE_LIMIT": "100000000", "RESUME_PARSER_DATA_DIR": str(folder / "data"),
                  "RESUME_PARSER_MAX_FILE_BYTES": str(20 * 1024 * 1024)}
        if mode == "celery":
            self.schema = "bench_" + uuid.uuid4().hex[:10]
            with psycopg.connect(POSTGRES, autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{self.schema}"')
            values.update(RESUME_PARSER_DATABASE_URL=f"{POSTGRES}?options=-csearch_path%3D{self.schema}",
                          RESUME_PARSER_BROKER_URL=REDIS, RESUME_PARSER_QUEUE="rp-bench-" + uuid.uuid4().hex[:8])
        else:
            values["RESUME_PARSER_EMBEDDED_WORKERS"] = str(workers)
        self.env = service_env(**values)
        run_cli(self.env, "migrate")
        api, self.base = start_api(self.env, folder / f"api-{mode}-{workers}.log")
        self.started.append(api)
        if mode == "celery":
            self.started += [start_worker(self.env, folder / f"worker-{index}.log") for index in range(workers)]
        self.key = create_key(self.env, 10_000_000, "--plan", "pro")["key"]
        self._wait_ready(files, workers)

    def _wait_ready(self, files: list[tuple[str, bytes]], workers: int) -> None:
        """Until the service is warm: a first request completed (workers up, taxonomy loaded), then two files of
        each format per worker at once, so that every worker process has read each format before the measured
        runs and the figures are those of a running service rather than of each process's first documents."""
        from tests.processes import wait_terminal

        headers = {"Authorization": f"Bearer {self.key}"}
        response = httpx.post(f"{self.base}/v1/parse", json={"input": {"type": "text", "raw_text": "x " * 300}},
                              headers=headers, timeout=30)
        wait_terminal(self.base, self.key, response.json()["request_id"], timeout=120)
        by_format = {Path(name).suffix: (name, data) for name, data in files}
        warm_up = [file for file in by_format.values() for _ in range(2 * workers)]
        request_ids = [httpx.post(f"{self.base}/v1/parse", files={"file": file}, headers=headers,
                                  timeout=30).json()["request_id"] for file in warm_up]
        for request_id in request_ids:
            wait_terminal(self.base, self.key, request_id, timeout=120)

    def stop(self) -> None:
        for service in self.started:
            service.stop()
        if self.schema is not None:
            with psycopg.connect(POSTGRES, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{self.schema}" CASCADE')


def _run_mode(mode: str, workers: int, rates: list[float], duration: float, burst: int,
              files: list[tuple[str, bytes]]) -> list[RunFigures]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        services = _Services(mode, workers, Path(folder), files)
        try:
            for rate in [*rates, None]:
                load, started = asyncio.run(_offer(services.base, services.key, files, rate, duration, burst))
                get_ms = _get_finished_ms(services.base, services.key, load.finished)
                row = _figures(mode, workers, rate, load, started, get_ms)
                print(_line(row), flush=True)
                rows.append(row)
        finally:
            services.stop()
    return rows


def _line(row: RunFigures) -> str:
    offered = f"{row.offered_rps:g}/s" if row.offered_rps is not None else "max"
    return (f"{row.mode:<8} {row.workers:>7}  {offered:>7}  {row.sent:>5}  {row.errors:>6}  "
            f"{row.e2e_p50_ms:>8.1f}  {row.e2e_p95_ms:>8.1f}  {row.e2e_p99_ms:>8.1f}  {row.post_p50_ms:>8.2f}  "
            f"{row.get_finished_p50_ms:>8.2f}  {row.throughput_rps:>9.1f}")


HEADER = (f"{'mode':<8} {'workers':>7}  {'offered':>7}  {'sent':>5}  {'errors':>6}  {'e2e p50':>8}  {'e2e p95':>8}  "
          f"{'e2e p99':>8}  {'POST p50':>8}  {'GET p50':>8}  {'completed/s':>9}")


def _targets(rows: list[RunFigures]) -> list[str]:
    checks: list[str] = []

    def check(label: str, value: float, limit: float, at_most: bool = True) -> None:
        met = value <= limit if at_most else value >= limit
        checks.append(f"{label}: {value:g} {'<=' if at_most else '>='} {limit:g}: {'met' if met else 'MISSED'}")

    for row in rows:
        if row.mode == "celery" and row.offered_rps == 20:
            check(f"celery x{row.workers} at 20/s, e2e p50 ms", row.e2e_p50_ms, 100)
            check(f"celery x{row.workers} at 20/s, e2e p99 ms", row.e2e_p99_ms, 300)
            check(f"celery x{row.workers} at 20/s, errors", row.errors, 0)
            check(f"celery x{row.workers} at 20/s, POST p50 ms", row.post_p50_ms, 5)
            check(f"celery x{row.workers} at 20/s, GET finished p50 ms", row.get_finished_p50_ms, 3)
        if row.mode == "celery" and row.workers == 2 and row.offered_rps is None:
            check("celery x2, open-loop maximum, completed/s", row.throughput_rps, 60, at_most=False)
    return checks


def _plot(rows: list[RunFigures], path: Path) -> str:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "no plot: matplotlib is not installed (pip install -e '.[bench]')"
    figure, axis = plt.subplots(figsize=(8, 5))
    for (mode, workers) in sorted({(row.mode, row.workers) for row in rows}):
        series = [row for row in rows if (row.mode, row.workers) == (mode, workers) and row.offered_rps is not None]
        label = f"{mode}, {workers} worker{'s' if workers > 1 else ''}"
        axis.plot([row.offered_rps for row in series], [row.e2e_p50_ms for row in series], marker="o",
                  label=f"{label}: p50")
        axis.plot([row.offered_rps for row in series], [row.e2e_p99_ms for row in series], marker="x",
                  linestyle="--", label=f"{label}: p99")
    axis.set_xlabel("offered load (requests per second)")
    axis.set_ylabel("POST to completed poll (ms)")
    axis.set_yscale("log")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=8)
    axis.set_title("Latency against offered load (loopback, this machine)")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    return f"plot: {path.relative_to(REPO)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modes", default="celery,embedded")
    parser.add_argument("--workers", default="1,2", help="worker processes (Celery) or threads (embedded)")
    parser.add_argument("--rates", default="5,20,50")
    parser.add_argument("--duration", type=float, default=12.0, help="seconds of load per rate")
    parser.add_argument("--burst", type=int, default=32, help="requests at once in the open-loop maximum")
    parser.add_argument("--save", action="store_true")
    args = parser.parse_args()
    files = _files()
    rates = [float(rate) for rate in args.rates.split(",") if rate]
    print(HEADER, flush=True)
    rows: list[RunFigures] = []
    for mode in args.modes.split(","):
        for workers in (int(count) for count in args.workers.split(",")):
            rows += _run_mode(mode, workers, rates, args.duration, args.burst, files)
    checks = _targets(rows)
    print("\n".join(checks))
    if args.save:
        results = REPO / "bench" / "results"
        stem = f"load-{datetime.date.today().isoformat()}"
        note = _plot(rows, results / f"{stem}.png")
        print(note)
        header = describe()
        table = "\n".join([HEADER, *(_line(row) for row in rows), "", *checks, note])
        (results / f"{stem}.txt").write_text(f"{msgspec.json.encode(header).decode()}\n{table}\n", encoding="utf-8")
        payload: dict[str, Any] = {"machine": header, "duration_s": args.duration, "burst": args.burst,
                                   "runs": rows, "targets": checks}
        (results / f"{stem}.json").write_bytes(msgspec.json.format(msgspec.json.encode(payload)))
    return 1 if any("MISSED" in check for check in checks) else 0


if __name__ == "__main__":
    raise SystemExit(main())
