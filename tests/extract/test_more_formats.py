"""ODT, RTF, multi-page TIFF, scanned PDF pages and the OCR modes; images too large to read."""

from __future__ import annotations

import io
import shutil
import zipfile
from typing import Any

import pymupdf
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.errors import ExtractionError, OcrError, PageLimitExceeded
from pipeline.extract import count_pages, detect_format, extract

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")


def odt(paragraphs: list[tuple[str, int | None]]) -> bytes:
    body = "".join(
        f'<text:h text:outline-level="{level}">{text}</text:h>' if level else f"<text:p>{text}</text:p>"
        for text, level in paragraphs
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        f"{body}</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def test_odt_paragraphs_and_headings() -> None:
    data = odt([("Jane Doe", None), ("Experience", 1), ("Data Analyst, Contoso — 2019 - 2021", None)])
    assert detect_format(data, "cv.odt") == "odt"
    document = extract(data)
    lines = [line for page in document.pages for block in page.blocks for line in block.lines]
    assert [line.text for line in lines] == ["Jane Doe", "Experience", "Data Analyst, Contoso — 2019 - 2021"]
    assert lines[1].heading_level == 1


def test_rtf_text() -> None:
    data = rb"{\rtf1\ansi{\fonttbl\f0 Helvetica;}\f0\pard Jane Doe\par EXPERIENCE\par Data Analyst, Contoso\par}"
    assert detect_format(data, "cv.rtf") == "rtf"
    text = extract(data).raw_text()
    assert "Jane Doe" in text and "Data Analyst, Contoso" in text


def _text_image(lines: list[str]) -> Image.Image:
    image = Image.new("L", (1600, 220 + 110 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=56)
    for index, line in enumerate(lines):
        draw.text((80, 80 + 110 * index), line, fill=0, font=font)
    return image


@needs_tesseract
def test_multi_page_tiff_is_read_page_by_page() -> None:
    first, second = _text_image(["Jane Doe", "Data Analyst"]), _text_image(["Contoso Limited", "Since 2019"])
    buffer = io.BytesIO()
    first.save(buffer, format="TIFF", save_all=True, append_images=[second])
    data = buffer.getvalue()
    assert detect_format(data, "scan.tif") == "image"
    assert count_pages(data, "image") == 2
    document = extract(data)
    assert document.page_count == 2
    assert all(page.ocr and (page.ocr_confidence or 0) > 0.5 for page in document.pages)
    assert "Jane Doe" in document.raw_text() and "Contoso Limited" in document.raw_text()
    with pytest.raises(PageLimitExceeded):
        extract(data, max_pages=1)


def _scanned_pdf() -> bytes:
    picture = io.BytesIO()
    _text_image(["Jane Doe", "jane.doe@example.com"]).save(picture, format="PNG")
    document = pymupdf.open()
    page = document.new_page()
    page.insert_image(page.rect, stream=picture.getvalue())
    text_page = document.new_page()
    text_page.insert_text((72, 72), "Experience: Data Analyst at Contoso since 2019", fontsize=11)
    data: bytes = document.tobytes()
    document.close()
    return data


@needs_tesseract
def test_auto_mode_reads_exactly_the_pages_without_text() -> None:
    document = extract(_scanned_pdf(), mode="auto")
    assert [page.ocr for page in document.pages] == [True, False]
    assert "jane.doe@example.com" in document.raw_text()
    assert "Data Analyst at Contoso" in document.raw_text()
    text_only = extract(_scanned_pdf(), mode="file")
    assert [page.ocr for page in text_only.pages] == [False, False]
    assert "jane.doe" not in text_only.raw_text()
    forced = extract(_scanned_pdf(), mode="ocr")
    assert [page.ocr for page in forced.pages] == [True, True]
    assert "Contoso" in forced.raw_text()


def test_images_too_large_to_read_are_refused() -> None:
    header = io.BytesIO()
    Image.new("1", (12_000, 12_000), 1).save(header, format="PNG")
    with pytest.raises(OcrError, match="too large"):
        extract(header.getvalue())


def test_legacy_doc_without_a_converter_is_a_clear_error() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    assert detect_format(ole, "cv.doc") == "doc"
    if shutil.which("antiword") is None:
        with pytest.raises(ExtractionError, match="antiword"):
            extract(ole)
    else:
        with pytest.raises(ExtractionError):
            extract(ole)


@needs_tesseract
@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
def test_jpeg_and_webp_scans_are_read(fmt: str) -> None:
    buffer = io.BytesIO()
    _text_image(["Jane Doe", "Registered Nurse"]).save(buffer, format=fmt, quality=90)
    document = extract(buffer.getvalue(), filename=f"scan.{fmt.lower()}")
    assert document.source_format == "image" and document.pages[0].ocr
    assert "Jane Doe" in document.raw_text() and "Registered Nurse" in document.raw_text()


@needs_tesseract
def test_a_tilted_scan_is_straightened_before_reading() -> None:
    from pipeline.extract.images import deskew

    tilted = _text_image(["Jane Doe", "Kubernetes and Terraform", "Contoso Limited"]).rotate(
        3, expand=True, fillcolor=255)
    assert deskew(tilted).size != tilted.size
    buffer = io.BytesIO()
    tilted.save(buffer, format="PNG")
    text = extract(buffer.getvalue()).raw_text()
    assert "Kubernetes and Terraform" in text and "Contoso Limited" in text


@needs_tesseract
def test_an_upside_down_scan_is_read_the_right_way_up() -> None:
    lines = ["Jane Doe", "Senior Data Analyst", "Contoso Limited", "Experience since 2019 in analytics"]
    upside_down = _text_image(lines).rotate(180)
    buffer = io.BytesIO()
    upside_down.save(buffer, format="PNG")
    text = extract(buffer.getvalue()).raw_text()
    assert "Senior Data Analyst" in text and "Contoso Limited" in text


def test_a_bullet_read_as_a_letter_is_a_bullet_again() -> None:
    """Tesseract reads a round bullet as 'e' or '«'; set apart from the text by a gap, it is a bullet."""
    from pipeline.extract.images import _spaced_words

    words: dict[str, list[Any]] = {"text": ["e", "Migrated", "140+", "DAGs"], "left": [10, 60, 190, 250],
                                   "width": [8, 120, 50, 60], "height": [20, 20, 20, 20]}
    assert _spaced_words(words, [0, 1, 2, 3], em=22.0) == "•    Migrated 140+ DAGs"
    words["left"] = [10, 22, 152, 212]
    assert _spaced_words(words, [0, 1, 2, 3], em=22.0) == "e Migrated 140+ DAGs"
