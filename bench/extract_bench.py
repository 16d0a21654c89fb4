"""Extraction benchmark: time per page by format against plain PyMuPDF, word recall and section order.

    python bench/extract_bench.py [--formats pdf,docx,txt,md,png] [--save]

Word recall is the share of the truth's words (from `rendered_text`) found in our raw text, per renderer
(see `_words` for what counts as a word).
Section order compares the sequence of section headings in the truth text with ours, per document (see
`_same_order`).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

import pymupdf

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import describe  # noqa: E402
from pipeline.extract import extract  # noqa: E402
from pipeline.parse.sections import section_kind  # noqa: E402
from schemas.document import Document  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "dev"
WORD = re.compile(r"[^\W_]+")


_BROKEN = re.compile(r"(?<=[^\W\d_])[-\u00ad]\n\s*(?=[a-zà-ÿ])")


def _words(text: str) -> collections.Counter[str]:
    """Words of two characters or more, ligatures expanded. Single characters are left out: icon fonts print
    their pictograms as letters ("f" for a LinkedIn logo), which the extractor drops on purpose."""
    return collections.Counter(w.lower() for w in WORD.findall(unicodedata.normalize("NFKC", text)) if len(w) > 1)


def _recall(truth: str, ours: str) -> float:
    """Share of the truth's words found in ours; words the page breaks with a hyphen count as one word."""
    want = _words(_BROKEN.sub("", truth))
    got = _words(ours)
    return sum(min(c, got[w]) for w, c in want.items()) / max(1, sum(want.values()))


_COLUMN_GAP = re.compile(r"\s{3,}")


def _sections(text: str, laid_out: bool = False) -> list[str]:
    """Section headings in order, a heading being a whole line. The truth text is laid out like the page
    (`laid_out`): a heading may open a line that continues with the column beside it, after a wide gap, and a
    word broken at a line end is one word."""
    order: list[str] = []
    for line in (_BROKEN.sub("", text) if laid_out else text).splitlines():
        head = _COLUMN_GAP.split(line.strip())[0] if laid_out else line.strip()
        kind = section_kind(head) if len(head) < 45 and head[:1].isalpha() else None
        if kind and (not order or order[-1] != kind):
            order.append(kind)
    return order


def _same_order(expected: list[str], got: list[str]) -> bool:
    """Whether the sections that head exactly one part of both texts come in the same order.

    A word that opens a wrapped line or a table cell can look like a heading ("Honours", "Education" as a
    skill group); kinds seen more than once in either text are left out, which leaves the real headings. Columns
    read line by line would interleave them.
    """
    once = {kind for kind in expected if expected.count(kind) == 1 and got.count(kind) == 1}
    return [kind for kind in expected if kind in once] == [kind for kind in got if kind in once]


def _timed_extract(data: bytes, name: str, repeats: int) -> tuple[Document, float]:
    """The document and the best of `repeats` timings (the same rule as for plain `get_text()`)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        document = extract(data, filename=name)
        best = min(best, time.perf_counter() - started)
    return document, best


def _plain_seconds(data: bytes) -> float:
    started = time.perf_counter()
    with pymupdf.open(stream=data, filetype="pdf") as document:
        for page in document:
            page.get_text()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--formats", default="pdf,docx,txt,md")
    parser.add_argument("--save", action="store_true")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    extensions = {"." + ext for ext in args.formats.split(",")}
    per_format: dict[str, list[float]] = collections.defaultdict(list)
    plain: list[float] = []
    ours_pdf: list[float] = []
    recall: dict[str, list[float]] = collections.defaultdict(list)
    order_kept: dict[str, list[bool]] = collections.defaultdict(list)
    for path in sorted((CORPUS / "docs").iterdir()):
        if path.suffix not in extensions:
            continue
        truth = json.loads((CORPUS / "truth" / (path.stem + ".json")).read_text())
        data = path.read_bytes()
        document, seconds = _timed_extract(data, path.name, repeats=1 if path.suffix == ".png" else 3)
        pages = max(1, document.page_count)
        per_format[path.suffix[1:]].append(1000 * seconds / pages)
        if path.suffix == ".pdf":
            ours_pdf.append(seconds)
            plain.append(min(_plain_seconds(data) for _ in range(3)))
        text = document.raw_text()
        recall[truth["renderer"]].append(_recall(truth["rendered_text"], text))
        order_kept[truth["renderer"]].append(_same_order(_sections(truth["rendered_text"], laid_out=True),
                                                         _sections(text)))
    report: dict[str, object] = {
        "machine": describe(),
        "ms_per_page_median": {fmt: round(statistics.median(v), 2) for fmt, v in per_format.items()},
        "ms_per_page_p95": {fmt: round(sorted(v)[int(0.95 * (len(v) - 1))], 2) for fmt, v in per_format.items()},
        "word_recall": {r: round(statistics.fmean(v), 4) for r, v in sorted(recall.items())},
        "word_recall_min": {r: round(min(v), 4) for r, v in sorted(recall.items())},
        "section_order_kept": {r: f"{sum(v)}/{len(v)}" for r, v in sorted(order_kept.items())},
    }
    if ours_pdf:
        report["pdf_seconds_ours_vs_plain_get_text"] = {
            "ours_total": round(sum(ours_pdf), 3), "plain_total": round(sum(plain), 3),
            "ratio": round(sum(ours_pdf) / sum(plain), 2),
        }
    print(json.dumps(report, indent=2))
    if args.save:
        out = REPO / "bench" / "results" / f"extract-{args.formats.replace(',', '-')}.json"
        out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
