"""Pipeline throughput and latency by format, stage by stage, on one core, against plain PyMuPDF.

    python bench/pipeline_bench.py [--formats pdf,docx,txt,md] [--ocr] [--save]

Every document of ../shared/corpus/dev/docs of the chosen formats (PNG scans only with --ocr, reported on
their own) runs through `run_pipeline` exactly as a basic-tier request with a job description does:
extract → validate → parse → skills → matching. The process is pinned to one CPU. After one warm-up pass,
each document runs three times and each stage keeps its best time (the stages are timed from the
pipeline's own stage callback). Reported per format: median and p95 of each stage and of the whole
pipeline, its CPU time (which other load on a shared machine disturbs less than the clock), resumes per
second on that core, and the peak resident memory of the process. The floor is plain
PyMuPDF on the same PDF files (`open` and `get_text()` of every page, best of three), and the PDF figure is
given as a ratio to it. Without the corpus it runs on the test samples and says so.

Targets (issue 8), checked here: the basic pipeline on PDFs with a text layer ≤ 5× the PyMuPDF floor and
≤ 20 ms median per resume. With --save the table and figures go to bench/results/pipeline-<date>.{txt,json}.
Exit status: 0, or 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import msgspec
import pymupdf

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import describe  # noqa: E402
from pipeline.run import STAGE_PROGRESS, PipelineInput, run_pipeline  # noqa: E402
from schemas.request import MatchingConfig, ParseRequestConfig, resolve_config  # noqa: E402

CORPUS_DOCS = REPO.parent / "shared" / "corpus" / "dev" / "docs"
JOB = REPO / "bench" / "jobs" / "data-engineer.md"
STAGES = tuple(STAGE_PROGRESS)
CPU = "cpu"
REPEATS = 3
TARGET_RATIO = 5.0
TARGET_PDF_MEDIAN_MS = 20.0
SUFFIXES = {"pdf": ".pdf", "docx": ".docx", "txt": ".txt", "md": ".md", "png": ".png"}


class Sample(msgspec.Struct):
    name: str
    data: bytes


class StageFigures(msgspec.Struct):
    median_ms: float
    p95_ms: float


class FormatFigures(msgspec.Struct):
    format: str
    documents: int
    stages: dict[str, StageFigures]
    total: StageFigures
    resumes_per_second: float
    cpu_total: StageFigures | None = None
    floor: StageFigures | None = None
    ratio_to_floor: float | None = None


def _samples(formats: list[str]) -> tuple[dict[str, list[Sample]], str]:
    """The documents to run by format, and where they came from."""
    if CORPUS_DOCS.is_dir():
        found = {fmt: [Sample(path.name, path.read_bytes()) for path in sorted(CORPUS_DOCS.iterdir())
                       if path.suffix == SUFFIXES[fmt]] for fmt in formats}
        return found, f"the development corpus ({CORPUS_DOCS})"
    from tests import samples

    built = {"pdf": samples.resume_pdf(), "docx": samples.resume_docx(), "txt": samples.resume_text().encode(),
             "md": samples.resume_markdown().encode()}
    return ({fmt: [Sample(f"sample.{fmt}", built[fmt])] for fmt in formats if fmt in built},
            "the built-in test samples (no corpus next to the repository)")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _figures(values: list[float]) -> StageFigures:
    return StageFigures(median_ms=round(statistics.median(values), 2), p95_ms=round(_percentile(values, 0.95), 2))


def _timed_run(sample: Sample, job: str) -> dict[str, float]:
    """Milliseconds per stage of one run, from the stage callback's start times."""
    config = resolve_config(ParseRequestConfig(matching=MatchingConfig(skip=False)), True)
    starts: list[tuple[str, float]] = []

    def on_stage(stage: str, progress: int) -> None:
        starts.append((stage, time.perf_counter()))

    cpu_started = time.process_time()
    run_pipeline(PipelineInput(kind="file", file_bytes=sample.data, file_name=sample.name, job_description=job),
                 config, on_stage)
    ended = time.perf_counter()
    times = {stage: 0.0 for stage in STAGES}
    times[CPU] = 1000 * (time.process_time() - cpu_started)
    for index, (stage, started) in enumerate(starts):
        finished = starts[index + 1][1] if index + 1 < len(starts) else ended
        times[stage] = 1000 * (finished - started)
    return times


def _best(run: Callable[[], dict[str, float]]) -> dict[str, float]:
    runs = [run() for _ in range(REPEATS)]
    return {stage: min(times[stage] for times in runs) for stage in runs[0]}


def _floor_ms(sample: Sample) -> float:
    """Plain PyMuPDF: open the file and take every page's text, best of three."""
    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        with pymupdf.open(stream=sample.data, filetype="pdf") as document:
            for page in document:
                page.get_text()
        best = min(best, time.perf_counter() - started)
    return 1000 * best


def _measure(fmt: str, samples: list[Sample], job: str) -> FormatFigures:
    for sample in samples:
        _timed_run(sample, job)
    per_document = [_best(lambda sample=sample: _timed_run(sample, job)) for sample in samples]  # type: ignore[misc]
    totals = [sum(times[stage] for stage in STAGES) for times in per_document]
    figures = FormatFigures(
        format=fmt, documents=len(samples),
        stages={stage: _figures([times[stage] for times in per_document]) for stage in STAGES},
        total=_figures(totals), resumes_per_second=round(1000 / statistics.mean(totals), 1),
        cpu_total=_figures([times[CPU] for times in per_document]))
    if fmt == "pdf":
        floors = [_floor_ms(sample) for sample in samples]
        figures.floor = _figures(floors)
        figures.ratio_to_floor = round(statistics.median(totals) / statistics.median(floors), 2)
    return figures


def _table(rows: list[FormatFigures], source: str, peak_mb: float) -> str:
    head = f"{'format':<6} {'docs':>4}  " + "  ".join(f"{stage:>15}" for stage in (*STAGES, "total")) + \
        f"  {'resumes/s':>9}"
    lines = [f"documents: {source}; one core; best of {REPEATS} per document; ms as median / p95", "", head,
             "-" * len(head)]
    for row in rows:
        cells = [f"{row.stages[stage].median_ms:6.2f} / {row.stages[stage].p95_ms:6.2f}" for stage in STAGES]
        cells.append(f"{row.total.median_ms:6.2f} / {row.total.p95_ms:6.2f}")
        lines.append(f"{row.format:<6} {row.documents:>4}  " + "  ".join(f"{cell:>15}" for cell in cells)
                     + f"  {row.resumes_per_second:>9.1f}")
    lines.append("")
    for row in rows:
        if row.cpu_total is not None:
            lines.append(f"{row.format}: CPU time of the whole pipeline (less sensitive to other load on the machine) "
                         f"median {row.cpu_total.median_ms:.2f} ms, p95 {row.cpu_total.p95_ms:.2f} ms")
    for row in rows:
        if row.floor is not None and row.ratio_to_floor is not None:
            lines.append(f"PDF floor, plain PyMuPDF open + get_text(): median {row.floor.median_ms:.2f} ms, p95 "
                         f"{row.floor.p95_ms:.2f} ms; the whole pipeline is {row.ratio_to_floor:.2f}x the floor")
    lines.append(f"peak resident memory of the process: {peak_mb:.0f} MB")
    return "\n".join(lines)


def _targets(rows: list[FormatFigures]) -> list[str]:
    """The targets this run checks, each with its figure and whether it holds."""
    checks = []
    for row in rows:
        if row.format == "pdf" and row.ratio_to_floor is not None:
            checks.append(f"PDF pipeline / PyMuPDF floor {row.ratio_to_floor:.2f}x <= {TARGET_RATIO:g}x: "
                          f"{'met' if row.ratio_to_floor <= TARGET_RATIO else 'MISSED'}")
            checks.append(f"PDF pipeline median {row.total.median_ms:.2f} ms <= {TARGET_PDF_MEDIAN_MS:g} ms: "
                          f"{'met' if row.total.median_ms <= TARGET_PDF_MEDIAN_MS else 'MISSED'}")
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--formats", default="pdf,docx,txt,md")
    parser.add_argument("--ocr", action="store_true", help="also the PNG scans, reported on their own")
    parser.add_argument("--save", action="store_true", help="keep the table and figures in bench/results/")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    formats = [fmt for fmt in args.formats.split(",") if fmt] + (["png"] if args.ocr else [])
    by_format, source = _samples(formats)
    job = JOB.read_text(encoding="utf-8")
    rows = [_measure(fmt, samples, job) for fmt, samples in by_format.items() if samples]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    checks = _targets(rows)
    table = _table(rows, source, peak_mb) + "\n\n" + "\n".join(checks)
    print(table)
    if args.save:
        header = describe()
        results = REPO / "bench" / "results"
        results.mkdir(parents=True, exist_ok=True)
        stem = f"pipeline-{datetime.date.today().isoformat()}" + ("-ocr" if args.ocr else "")
        (results / f"{stem}.txt").write_text(f"{msgspec.json.encode(header).decode()}\n{table}\n", encoding="utf-8")
        payload = {"machine": header, "source": source, "peak_rss_mb": round(peak_mb), "formats": rows,
                   "targets": checks}
        (results / f"{stem}.json").write_bytes(msgspec.json.format(msgspec.json.encode(payload)))
    return 1 if any("MISSED" in check for check in checks) else 0


if __name__ == "__main__":
    raise SystemExit(main())
