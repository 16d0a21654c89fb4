"""Dev-corpus accuracy: parse every document of ../shared/corpus/dev/docs and score it with the shared scorer.

    python bench/accuracy.py [--formats pdf,docx,txt,md,png] [--out DIR] [--save]

Writes one `<document>.json` per document (the completed document, as `resume-parser parse` would), prints
the scorer's table and the time of the parse stage alone (best of three per document, files with a text
layer only: OCR is extraction), and with --save keeps the table and summary in bench/results/.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import msgspec

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import describe  # noqa: E402
from pipeline.errors import PipelineError  # noqa: E402
from pipeline.extract import extract  # noqa: E402
from pipeline.parse import parse  # noqa: E402
from pipeline.run import PipelineInput, run_pipeline  # noqa: E402
from schemas.request import ParseRequestConfig, resolve_config  # noqa: E402

SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "dev"
SCORER = SHARED / "eval" / "score.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--formats", default="pdf,docx,txt,md", help="comma-separated extensions (png is slow)")
    parser.add_argument("--out", help="where to write predictions (default: a temporary folder)")
    parser.add_argument("--save", action="store_true", help="keep the table in bench/results/")
    parser.add_argument("--only", help="substring a document name must contain")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="accuracy-"))
    out.mkdir(parents=True, exist_ok=True)
    extensions = {"." + ext.strip() for ext in args.formats.split(",")}
    config = resolve_config(ParseRequestConfig(), False)
    documents = sorted(p for p in (CORPUS / "docs").iterdir() if p.suffix in extensions
                       and (not args.only or args.only in p.name))
    started = time.perf_counter()
    for path in documents:
        try:
            output = run_pipeline(PipelineInput(kind="file", file_bytes=path.read_bytes(), file_name=path.name),
                                  config)
            document = {"result": msgspec.to_builtins(output.result), "raw_text": output.raw_text}
        except PipelineError as error:
            document = {"result": None, "error": error.message}
        (out / (path.stem + ".json")).write_bytes(msgspec.json.encode(document))
    elapsed = time.perf_counter() - started
    summary = out / "summary.json"
    table = subprocess.run([sys.executable, str(SCORER), "--truth", str(CORPUS / "truth"), "--pred", str(out),
                            "--json", str(summary), "--only-present"], capture_output=True, text=True, check=False)
    print(table.stdout)
    print(table.stderr, file=sys.stderr)
    print(f"{len(documents)} documents in {elapsed:.1f} s ({1000 * elapsed / max(1, len(documents)):.1f} ms each)")
    timing = _parse_timing([path for path in documents if path.suffix != ".png"])
    print(timing)
    if args.save:
        results = REPO / "bench" / "results"
        results.mkdir(parents=True, exist_ok=True)
        stamp = datetime.date.today().isoformat()
        header = f"{msgspec.json.encode(describe()).decode()}\nformats {args.formats}\n\n"
        label = args.formats.replace(",", "-")
        (results / f"accuracy-{stamp}-{label}.txt").write_text(header + table.stdout + timing + "\n", encoding="utf-8")
        (results / f"accuracy-{stamp}-{label}.json").write_bytes(summary.read_bytes())
    return 0


def _parse_timing(paths: list[Path]) -> str:
    """Median and p95 of the parse stage on already extracted documents, one core, best of three each."""
    if not paths:
        return "parse stage: not timed (no document with a text layer)"
    times: list[float] = []
    for path in paths:
        document = extract(path.read_bytes(), filename=path.name)
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            parse(document)
            best = min(best, time.perf_counter() - started)
        times.append(1000 * best)
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    return (f"parse stage: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms "
            f"over {len(times)} documents")


if __name__ == "__main__":
    raise SystemExit(main())
