"""Mutation fuzzing of every reader: real PDF, DOCX, ODT, RTF-less text and image files, damaged at random
(flipped bytes, cut, repeated or spliced chunks, junk inserted), read in the memory- and time-limited
extraction children the workers use. Every case ends as a document, which the parser then reads, or as a
pipeline error with a terminal code: never a crash, a hang past the limit or an unbounded child.

The default run fuzzes a few hundred cases; `pytest -m slow` runs thousands (`FUZZ_CASES` sets the count).
Cases are seeded, so a failure names the seed and case that reproduce it.
"""

from __future__ import annotations

import io
import os
import random
from collections.abc import Callable, Iterator

import pytest
from PIL import Image, ImageDraw

from pipeline.errors import PipelineError
from pipeline.parse import parse
from schemas import errors
from tests import samples
from tests.extract.test_hostile import _docx
from tests.extract.test_more_formats import odt
from workers.isolation import ExtractionPool

TERMINAL_CODES = {errors.EXTRACTION_FAILED, errors.OCR_FAILED, errors.PARSE_FAILED, errors.TIMEOUT}
MEMORY_MB = 400
CASE_TIMEOUT = 20.0


def _scan() -> bytes:
    """A small scan, so OCR of its mutants stays quick."""
    image = Image.new("L", (420, 120), 255)
    draw = ImageDraw.Draw(image)
    draw.text((10, 10), samples.NAME, fill=0)
    draw.text((10, 40), samples.EMAIL, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


DOCUMENT_SEEDS: dict[str, Callable[[], bytes]] = {
    "cv.pdf": samples.resume_pdf,
    "cv.docx": samples.resume_docx,
    "small.docx": _docx,
    "cv.odt": lambda: odt([(samples.NAME, 1), (samples.EMAIL, None), ("Experience", 2), (samples.TITLE, None)]),
    "cv.txt": lambda: samples.resume_text().encode(),
    "cv.md": lambda: samples.resume_markdown().encode(),
}
IMAGE_SEEDS: dict[str, Callable[[], bytes]] = {"scan.png": _scan}


def _mutate(data: bytes, rng: random.Random, donors: list[bytes]) -> bytes:
    """One to four random damages of the kinds real broken uploads show."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        size = len(buffer)
        if size == 0:
            buffer += rng.randbytes(16)
            continue
        kind = rng.randrange(6)
        at = rng.randrange(size)
        span = rng.randint(1, max(1, min(size - at, 4096)))
        if kind == 0:
            for _ in range(rng.randint(1, 32)):
                spot = rng.randrange(size)
                buffer[spot] ^= 1 << rng.randrange(8)
        elif kind == 1:
            del buffer[at:at + span]
        elif kind == 2:
            buffer[at:at] = buffer[at:at + span] * rng.randint(2, 50)
        elif kind == 3:
            buffer[at:at] = rng.randbytes(rng.randint(1, 512))
        elif kind == 4:
            donor = rng.choice(donors)
            start = rng.randrange(len(donor))
            buffer[at:at + span] = donor[start:start + span]
        else:
            del buffer[rng.randint(1, size):]
    return bytes(buffer)


@pytest.fixture(scope="module")
def pool() -> Iterator[ExtractionPool]:
    extraction = ExtractionPool(2, MEMORY_MB)
    yield extraction
    extraction.close()


def _fuzz(pool: ExtractionPool, seeds: dict[str, Callable[[], bytes]], cases: int, seed: int) -> dict[str, int]:
    originals = {name: build() for name, build in seeds.items()}
    donors = list(originals.values())
    rng = random.Random(seed)
    outcomes: dict[str, int] = {}
    names = sorted(originals)
    for case in range(cases):
        name = names[case % len(names)]
        mutant = _mutate(originals[name], rng, donors)
        try:
            document = pool.extract(mutant, filename=name, max_pages=8, timeout=CASE_TIMEOUT)
        except PipelineError as error:
            assert error.code in TERMINAL_CODES, f"seed {seed} case {case} ({name}): {error.code}"
            assert error.message, f"seed {seed} case {case} ({name}): an error without a message"
            outcomes[error.code] = outcomes.get(error.code, 0) + 1
            continue
        parse(document)
        outcomes["read"] = outcomes.get("read", 0) + 1
    return outcomes


def _cases(default: int) -> int:
    return int(os.environ.get("FUZZ_CASES", default))


def test_damaged_documents_are_read_or_refused_with_a_code(pool: ExtractionPool) -> None:
    outcomes = _fuzz(pool, DOCUMENT_SEEDS, 360, seed=20261202)
    assert outcomes.get("read", 0) > 0 and outcomes.get(errors.EXTRACTION_FAILED, 0) > 0, outcomes


def test_damaged_scans_are_read_or_refused_with_a_code(pool: ExtractionPool) -> None:
    outcomes = _fuzz(pool, IMAGE_SEEDS, 12, seed=7)
    assert sum(outcomes.values()) == 12


@pytest.mark.slow
def test_thousands_of_damaged_documents(pool: ExtractionPool) -> None:
    cases = _cases(4000)
    outcomes = _fuzz(pool, DOCUMENT_SEEDS, cases, seed=int(os.environ.get("FUZZ_SEED", "1")))
    assert sum(outcomes.values()) == cases


@pytest.mark.slow
def test_hundreds_of_damaged_scans(pool: ExtractionPool) -> None:
    cases = _cases(4000) // 20
    outcomes = _fuzz(pool, IMAGE_SEEDS, cases, seed=int(os.environ.get("FUZZ_SEED", "1")))
    assert sum(outcomes.values()) == cases
