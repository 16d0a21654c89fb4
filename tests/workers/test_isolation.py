"""Extraction children: a file that needs too much memory or time fails its request, and the pool goes on."""

from __future__ import annotations

import io
import shutil
import time
from collections.abc import Callable, Iterator

import pytest
from litestar.testing import TestClient
from PIL import Image, ImageDraw, ImageFont

from pipeline.errors import PageLimitExceeded, ResourceLimitExceeded, StageTimeout
from resume_parser.settings import Settings
from tests import samples
from tests.api.test_parse_flow import upload, wait_done
from tests.conftest import issue_key, store_of
from workers.isolation import ExtractionPool

# Enough for a resume or a large scan, far too little for a 59-megapixel image decoded with an alpha channel
# (237 MB).
SMALL_MEMORY_MB = 200


def huge_image() -> bytes:
    image = Image.new("RGBA", (7700, 7700), "white")
    ImageDraw.Draw(image).text((100, 100), "Jane Doe", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def text_scan() -> bytes:
    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=40)
    for row in range(60):
        draw.text((120, 120 + row * 55), f"Line {row} of a scanned resume with words to read", fill=0, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture()
def pool() -> Iterator[ExtractionPool]:
    extraction = ExtractionPool(1, SMALL_MEMORY_MB)
    yield extraction
    extraction.close()


def test_a_file_beyond_the_memory_limit_fails_and_the_pool_goes_on(pool: ExtractionPool) -> None:
    with pytest.raises(ResourceLimitExceeded, match="memory"):
        pool.extract(huge_image(), filename="scan.png", timeout=120)
    document = pool.extract(samples.resume_pdf(), timeout=60)
    assert samples.NAME in document.raw_text()


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_an_extraction_past_its_deadline_is_stopped(pool: ExtractionPool) -> None:
    started = time.monotonic()
    with pytest.raises(StageTimeout):
        pool.extract(text_scan(), filename="scan.png", timeout=0.5)
    assert time.monotonic() - started < 30
    assert samples.NAME in pool.extract(samples.resume_pdf(), timeout=60).raw_text()


def test_errors_cross_from_the_child_with_their_details(pool: ExtractionPool) -> None:
    with pytest.raises(PageLimitExceeded) as refused:
        pool.extract(samples.resume_pdf(pages=5), max_pages=4, timeout=60)
    assert (refused.value.pages, refused.value.limit) == (5, 4)


def test_through_the_api_the_request_fails_with_a_reason_and_the_next_one_completes(
    make_settings: Callable[..., Settings],
) -> None:
    from api.app import create_app

    settings = make_settings(task_memory_mb=SMALL_MEMORY_MB)
    with TestClient(app=create_app(settings)) as client:
        key = issue_key(store_of(client), credits=20)
        bad = upload(client, key, "scan.png", huge_image())["request_id"]
        good = upload(client, key, "cv.pdf", samples.resume_pdf())["request_id"]
        failed = wait_done(client, key, bad)
        assert failed["status"] == "failed"
        assert failed["error_code"] == "EXTRACTION_FAILED" and "memory" in failed["error"]
        completed = wait_done(client, key, good)
        assert completed["status"] == "completed"
        assert completed["result"]["personal_info"]["name"] == samples.NAME


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_a_giant_page_is_rendered_for_ocr_within_the_memory_limit(pool: ExtractionPool) -> None:
    import pymupdf

    document = pymupdf.open()
    page = document.new_page(width=14_400, height=14_400)
    page.insert_text((200, 400), "Jane Doe", fontsize=300)
    extracted = pool.extract(document.tobytes(), mode="ocr", timeout=120)
    assert extracted.pages[0].ocr
