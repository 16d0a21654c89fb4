"""What a file is, from its bytes (the name only tells text kinds apart), and how many pages it has."""

from __future__ import annotations

import io
import math
import re
import zipfile

import pymupdf
from charset_normalizer import from_bytes

from pipeline.errors import UnsupportedFileType
from schemas.document import SourceFormat

CHARS_PER_PAGE = 3000
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a", b"BM")
_MARKDOWN_HINT = re.compile(r"^(#{1,6} |\s*[-*+] |\*\*[^*]+\*\*|\[[^\]]+\]\([^)]+\))", re.MULTILINE)
_HTML_HINT = re.compile(rb"^\s*(<!doctype html|<html|<head|<body)", re.IGNORECASE)


def detect_format(data: bytes, filename: str | None = None) -> SourceFormat:
    """The document format, read from the bytes; raises UnsupportedFileType for anything we cannot read."""
    if not data:
        raise UnsupportedFileType("the file is empty")
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    text = decode_text(data)
    if text is None:
        raise UnsupportedFileType("the file is not a supported document (PDF, DOCX, ODT, RTF, text, HTML or image)")
    name = (filename or "").lower()
    if name.endswith((".html", ".htm", ".xhtml")) or _HTML_HINT.match(data[:512]):
        return "html"
    if name.endswith((".md", ".markdown")) or (not name.endswith(".txt") and len(_MARKDOWN_HINT.findall(text)) >= 3):
        return "markdown"
    return "txt"


def _zip_format(data: bytes) -> SourceFormat:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names and archive.read("mimetype").strip() == b"application/vnd.oasis.opendocument.text":
                return "odt"
    except zipfile.BadZipFile as exc:
        raise UnsupportedFileType("the file is a damaged ZIP archive, not a document") from exc
    raise UnsupportedFileType("the ZIP archive is neither a DOCX nor an ODT document")


def decode_text(data: bytes) -> str | None:
    """The bytes as text in their detected encoding, or None when they are not text."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if b"\x00" in data[:4096]:
            best = from_bytes(data[:65536]).best()
            if best is None or not best.encoding.startswith("utf_16"):
                return None
        text = _western(data) or ""
        if not text:
            best = from_bytes(data).best()
            if best is None:
                return None
            text = str(best)
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    return None if controls > max(2, len(text[:20000]) // 100) else text


_WESTERN_PUNCTUATION = set("–—‘’“”•€…«»°±×")


def _western(data: bytes) -> str | None:
    """The bytes as Windows-1252 when that reads as Latin-script text (the common legacy resume encoding).

    Statistical detectors often prefer a Baltic or Central European code page for short Western texts; a
    decoding whose non-ASCII characters are all Latin letters or common punctuation is taken as right.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    foreign = [ch for ch in text if ord(ch) > 127]
    if not foreign:
        return text
    latin = sum(1 for ch in foreign if ("\u00c0" <= ch <= "\u00ff" and ch not in "×÷") or ch in _WESTERN_PUNCTUATION)
    vowels_with_accents = sum(1 for ch in foreign if ch in "éèêëáàâäíìîïóòôöúùûüçñÉÈÁÀÍÓÚÜÇÑãõßÄÖ")
    if latin == len(foreign) and vowels_with_accents >= 0.6 * len(foreign):
        return text
    return None


def count_pages(data: bytes, source_format: SourceFormat) -> int:
    """A cheap page count used to refuse long documents before extraction."""
    if source_format == "pdf":
        try:
            with pymupdf.open(stream=data, filetype="pdf") as document:
                return int(document.page_count)
        except (RuntimeError, ValueError, pymupdf.mupdf.FzErrorBase):
            return 1
    if source_format == "image":
        from pipeline.extract.images import frame_count

        return frame_count(data)
    if source_format in ("docx", "odt"):
        from pipeline.extract.office import declared_pages

        declared = declared_pages(data, source_format)
        if declared is not None:
            return declared
    text = decode_text(data) or ""
    return max(1, math.ceil(len(text) / CHARS_PER_PAGE)) if source_format in ("txt", "markdown", "html") else 1
