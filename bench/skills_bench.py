"""Skills benchmark: the time of the skills stage per resume, and the time and memory of loading the taxonomy.

    python bench/skills_bench.py [--save]

Every PDF, DOCX, TXT and Markdown document of ../shared/corpus/dev/docs is extracted and parsed once, outside
the timing; then `normalise_skills` alone is timed on each, best of three (the taxonomy already loaded, as in a
running worker). Where the corpus is absent the built-in samples of tests/samples.py stand in, and the output
says so. Loading the taxonomy is measured in fresh processes, so nothing is cached: the time of
`from taxonomy import load; load()` (best of three processes) and the peak RSS it adds (VmHWM of
/proc/self/status, so Linux only; the largest of the three). Each figure is printed against its target; the
exit code is 1 when a target is missed. With --save the table and the figures are kept in
bench/results/skills-<date>-<dev|samples>.{txt,json}.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import subprocess
import sys
import time
from pathlib import Path

import msgspec

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import describe  # noqa: E402
from pipeline.errors import PipelineError  # noqa: E402
from pipeline.extract import extract  # noqa: E402
from pipeline.parse import parse  # noqa: E402
from pipeline.skills import normalise_skills  # noqa: E402
from schemas.result import ResumeResult  # noqa: E402
from taxonomy import load  # noqa: E402

CORPUS_DOCS = REPO.parent / "shared" / "corpus" / "dev" / "docs"
EXTENSIONS = {".pdf", ".docx", ".txt", ".md"}
TARGET_STAGE_MEDIAN_MS = 5.0
TARGET_LOAD_SECONDS = 1.0
TARGET_LOAD_MB = 150.0
LOAD_PROCESSES = 3

# Runs in a fresh interpreter. VmHWM is the peak RSS of this process's own memory, in kB; ru_maxrss would not
# do on Linux, where a child started by fork and exec keeps the parent's peak as its own.
_LOAD_PROBE = """
import time
def peak_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
before = peak_kb()
started = time.perf_counter()
from taxonomy import load
load()
seconds = time.perf_counter() - started
print(seconds, (peak_kb() - before) / 1024)
"""


class Figure(msgspec.Struct):
    name: str
    value: float
    unit: str
    target: float | None = None

    @property
    def passed(self) -> bool | None:
        return None if self.target is None else self.value <= self.target


def _documents() -> tuple[str, list[tuple[str, bytes]]]:
    """The dev corpus's text-layer documents, or the built-in samples when the corpus is not here."""
    if CORPUS_DOCS.is_dir():
        paths = sorted(p for p in CORPUS_DOCS.iterdir() if p.suffix in EXTENSIONS)
        if paths:
            return "dev", [(path.name, path.read_bytes()) for path in paths]
    from tests import samples

    return "samples", [
        ("sample.pdf", samples.resume_pdf()), ("sample.docx", samples.resume_docx()),
        ("sample.txt", samples.resume_text().encode()), ("sample.md", samples.resume_markdown().encode()),
    ]


def _parsed(documents: list[tuple[str, bytes]]) -> tuple[list[tuple[ResumeResult, str]], list[str]]:
    """Each document extracted and parsed once: the skills stage's input. Documents that fail are named."""
    parsed: list[tuple[ResumeResult, str]] = []
    failed: list[str] = []
    for name, data in documents:
        try:
            document = extract(data, filename=name)
        except PipelineError:
            failed.append(name)
            continue
        parsed.append((parse(document).result, document.raw_text()))
    return parsed, failed


def _stage_times(parsed: list[tuple[ResumeResult, str]]) -> list[float]:
    """Milliseconds of `normalise_skills` per resume, best of three, sorted."""
    load()
    times: list[float] = []
    for result, raw_text in parsed:
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            normalise_skills(result, raw_text)
            best = min(best, time.perf_counter() - started)
        times.append(1000 * best)
    return sorted(times)


def _load_cost() -> tuple[float, float]:
    """Seconds to import and load the taxonomy (best of the fresh processes) and the MB of peak RSS it adds."""
    runs: list[tuple[float, float]] = []
    for _ in range(LOAD_PROCESSES):
        done = subprocess.run([sys.executable, "-c", _LOAD_PROBE], cwd=REPO, capture_output=True, text=True,
                              check=False, timeout=120)
        if done.returncode != 0:
            raise SystemExit(f"loading the taxonomy failed:\n{done.stderr}")
        seconds, megabytes = done.stdout.split()
        runs.append((float(seconds), float(megabytes)))
    return min(seconds for seconds, _ in runs), max(megabytes for _, megabytes in runs)


def _table(figures: list[Figure]) -> str:
    rows = [("figure", "measured", "target", "result")]
    for figure in figures:
        target = "—" if figure.target is None else f"≤ {figure.target:g} {figure.unit}"
        result = "—" if figure.passed is None else "pass" if figure.passed else "FAIL"
        rows.append((figure.name, f"{figure.value:.2f} {figure.unit}", target, result))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
                     for row in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--save", action="store_true", help="keep the table and figures in bench/results/")
    args = parser.parse_args()
    source, documents = _documents()
    parsed, failed = _parsed(documents)
    if not parsed:
        print("no document could be extracted; nothing to time", file=sys.stderr)
        return 2
    times = _stage_times(parsed)
    load_seconds, load_megabytes = _load_cost()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    figures = [
        Figure("skills stage median", round(statistics.median(times), 3), "ms", TARGET_STAGE_MEDIAN_MS),
        Figure("skills stage p95", round(p95, 3), "ms"),
        Figure("skills stage max", round(times[-1], 3), "ms"),
        Figure("taxonomy load time", round(load_seconds, 3), "s", TARGET_LOAD_SECONDS),
        Figure("taxonomy load memory", round(load_megabytes, 1), "MB", TARGET_LOAD_MB),
    ]
    where = "the dev corpus (PDF/DOCX/TXT/MD)" if source == "dev" else "the built-in samples of tests/samples.py"
    heading = (f"skills stage: {len(parsed)} documents of {where}, best of 3 each; "
               f"taxonomy load: {LOAD_PROCESSES} fresh processes")
    if source == "samples":
        heading = f"no corpus at {CORPUS_DOCS}: the built-in samples stand in\n{heading}"
    if failed:
        heading += f"\nnot extracted, left out: {', '.join(failed)}"
    table = _table(figures)
    print(heading)
    print(table)
    if args.save:
        results = REPO / "bench" / "results"
        results.mkdir(parents=True, exist_ok=True)
        machine = describe()
        stem = f"skills-{datetime.date.today().isoformat()}-{source}"
        (results / f"{stem}.txt").write_text(f"{msgspec.json.encode(machine).decode()}\n\n{heading}\n{table}\n",
                                             encoding="utf-8")
        report = {"machine": machine, "source": source, "documents": len(parsed), "left_out": failed,
                  "figures": [{**msgspec.to_builtins(figure), "passed": figure.passed} for figure in figures]}
        (results / f"{stem}.json").write_bytes(msgspec.json.format(msgspec.json.encode(report), indent=2) + b"\n")
    return 0 if all(figure.passed is not False for figure in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
