"""The extract stage: any resume file to one document model (pages → blocks → lines, with layout signals)."""

from __future__ import annotations

from typing import Literal

import pymupdf

from pipeline.errors import ExtractionError, PageLimitExceeded, PipelineError
from pipeline.extract.detect import count_pages, detect_format
from pipeline.extract.text import markdown_document, plain_text_document
from schemas.document import Document

__all__ = ["count_pages", "detect_format", "document_from_text", "extract"]

# Character boxes as the font's ascender and descender give them, without MuPDF's corrections for odd font
# metrics: the reading order and the line grouping were tuned on these boxes. MuPDF's own messages about broken
# files stay off stderr; a file it cannot read fails with a reason instead. (pymupdf4llm set both at import,
# before the pipeline kept it out.)
pymupdf.TOOLS.unset_quad_corrections(True)
pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)


def extract(
    data: bytes,
    *,
    filename: str | None = None,
    mode: Literal["file", "ocr", "auto"] = "auto",
    max_pages: int | None = None,
) -> Document:
    """Read the file whatever its format; PipelineError subclasses say why when it cannot be read.

    A reader library failing in a way of its own on a malformed file is still an extraction failure, never
    a crash of the caller; running out of memory is left to the caller, which bounds it.
    """
    try:
        return _extract(data, filename, mode, max_pages)
    except (PipelineError, MemoryError):
        raise
    except Exception as exc:
        raise ExtractionError(f"the file could not be read ({type(exc).__name__})") from exc


def _extract(data: bytes, filename: str | None, mode: Literal["file", "ocr", "auto"],
             max_pages: int | None) -> Document:
    source_format = detect_format(data, filename)
    if max_pages is not None and source_format not in ("pdf", "image"):
        pages = count_pages(data, source_format)
        if pages > max_pages:
            raise PageLimitExceeded(pages, max_pages)
    if source_format == "pdf":
        from pipeline.extract.pdf import extract_pdf

        return extract_pdf(data, mode, max_pages)
    if source_format == "image":
        from pipeline.extract.images import extract_image

        if mode == "file":
            raise ExtractionError("an image has no text layer; use extract type 'auto' or 'ocr'")
        return extract_image(data, max_pages)
    if source_format == "docx":
        from pipeline.extract.office import extract_docx

        return extract_docx(data)
    if source_format == "odt":
        from pipeline.extract.office import extract_odt

        return extract_odt(data)
    if source_format == "rtf":
        from pipeline.extract.office import extract_rtf

        return extract_rtf(data)
    if source_format == "doc":
        from pipeline.extract.office import extract_doc

        return extract_doc(data)
    from pipeline.extract.text import extract_text_file

    return extract_text_file(data, source_format)


def document_from_text(text: str, source_format: Literal["txt", "markdown"] = "txt") -> Document:
    """A document from text already extracted (re-parse from `raw_text`)."""
    return markdown_document(text) if source_format == "markdown" else plain_text_document(text)
