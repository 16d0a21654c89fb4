"""Hostile and broken files: each is a clear extraction error (or a readable document), never a crash."""

from __future__ import annotations

import io
import zipfile

import docx
import pymupdf
import pytest
from PIL import Image

from pipeline.errors import ExtractionError, PageLimitExceeded, PipelineError, UnsupportedFileType
from pipeline.extract import extract
from tests import samples
from tests.extract.test_more_formats import odt


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Jane Doe, data analyst")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), "white").save(buffer, format=fmt)
    return buffer.getvalue()


def _minimal_pdf(body: bytes) -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" + body
            + b"\ntrailer<</Root 1 0 R>>\n%%EOF")


SOURCES = {
    "cv.pdf": samples.resume_pdf,
    "cv.docx": _docx,
    "cv.odt": lambda: odt([("Jane Doe", 1), ("Data analyst", None)]),
    "cv.png": lambda: _image("PNG"),
    "cv.jpg": lambda: _image("JPEG"),
    "cv.tiff": lambda: _image("TIFF"),
    "cv.webp": lambda: _image("WEBP"),
}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_empty_files_are_refused(name: str) -> None:
    with pytest.raises(UnsupportedFileType, match="empty"):
        extract(b"", filename=name)


@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9])
def test_truncated_files_fail_cleanly_or_read_what_is_left(name: str, keep: float) -> None:
    data = SOURCES[name]()
    cut = data[: int(len(data) * keep)]
    try:
        document = extract(cut, filename=name)
    except PipelineError as error:
        assert error.message
        return
    assert document.page_count >= 1


def test_bytes_decide_the_format_not_the_name() -> None:
    assert extract(samples.resume_pdf(), filename="cv.docx").source_format == "pdf"
    assert extract(_docx(), filename="cv.pdf").source_format == "docx"
    with pytest.raises(UnsupportedFileType):
        extract(bytes(range(256)) * 40, filename="cv.pdf")


def test_zip_bombs_in_odt_are_refused() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", b" " * (300 * 1024 * 1024))
    with pytest.raises(ExtractionError, match=r"bomb|size"):
        extract(bomb.getvalue(), filename="cv.odt")


def test_a_page_tree_loop_is_an_extraction_error() -> None:
    looped = _minimal_pdf(b"2 0 obj<</Type/Pages/Kids[2 0 R]/Count 1>>endobj")
    with pytest.raises(ExtractionError):
        extract(looped, filename="cv.pdf")


def test_deeply_nested_objects_do_not_crash() -> None:
    nested = b"[" * 50_000 + b"]" * 50_000
    page = b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R" \
           b"/MediaBox[0 0 612 792]/Extra " + nested + b">>endobj"
    try:
        document = extract(_minimal_pdf(page), filename="cv.pdf")
    except PipelineError:
        return
    assert document.raw_text() == ""


def test_thousands_of_pages_are_refused() -> None:
    document = pymupdf.open()
    for _ in range(3000):
        document.new_page()
    with pytest.raises(PageLimitExceeded) as refused:
        extract(document.tobytes(), max_pages=4)
    assert (refused.value.pages, refused.value.limit) == (3000, 4)
