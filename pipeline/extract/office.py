"""Word-processor formats: DOCX (python-docx), ODT (its XML), RTF (striprtf) and legacy .doc (antiword).

DOCX is read in document order, tables included, with the headers and footers where contact details often
live, text boxes, heading styles and hyperlink targets. ZIP containers are checked for decompression bombs
before anything is inflated.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import docx
import msgspec
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from pipeline.errors import ExtractionError, UnsupportedFileType
from pipeline.extract.text import plain_text_document
from schemas.document import Block, BlockKind, Document, Line, Page

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|título|titolo)\s*(\d)", re.IGNORECASE)


def check_zip(data: bytes) -> None:
    """Refuse archives whose contents would inflate far beyond their size (zip bombs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = 0
            for info in archive.infolist():
                total += info.file_size
                if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO \
                        and info.file_size > 10 * 1024 * 1024:
                    raise ExtractionError("the document is a decompression bomb")
            if total > MAX_UNCOMPRESSED_BYTES:
                raise ExtractionError("the document expands beyond the size limit")
    except zipfile.BadZipFile as exc:
        raise ExtractionError("the document archive is damaged") from exc


def declared_pages(data: bytes, source_format: str) -> int | None:
    """The page count the word processor recorded in the file's metadata, if any."""
    member, pattern = (("docProps/app.xml", rb"<Pages>(\d+)</Pages>") if source_format == "docx"
                       else ("meta.xml", rb'meta:page-count="(\d+)"'))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if member not in archive.namelist() or archive.getinfo(member).file_size > 1_000_000:
                return None
            found = re.search(pattern, archive.read(member))
    except zipfile.BadZipFile:
        return None
    return int(found.group(1)) if found else None


class _Styles:
    """Paragraph styles by style id, each resolved once per document: python-docx looks a paragraph's style up
    with an XPath query over the styles part on every access."""

    def __init__(self) -> None:
        self._by_id: dict[str | None, tuple[str, float | None]] = {}

    def of(self, paragraph: Paragraph) -> tuple[str, float | None]:
        """The style's name ('' when unnamed) and its font size in points."""
        style_id = paragraph._p.style
        found = self._by_id.get(style_id)
        if found is None:
            style = paragraph.style
            name = style.name if style is not None and style.name else ""
            size = style.font.size.pt if style is not None and style.font.size is not None else None
            found = self._by_id[style_id] = (name, size)
        return found


def _paragraph_lines(paragraph: Paragraph, styles: _Styles) -> list[Line]:
    """A paragraph's lines: soft line breaks inside a paragraph separate lines as the reader sees them."""
    raw = paragraph.text
    first = _paragraph_line(paragraph, raw, styles)
    if first is None:
        return []
    parts = [" ".join(part.split()) for part in raw.split("\n")]
    parts = [part for part in parts if part]
    if len(parts) <= 1:
        return [first]
    return [msgspec.structs.replace(first, text=part, links=first.links if index == 0 else [])
            for index, part in enumerate(parts)]


def _paragraph_line(paragraph: Paragraph, raw: str, styles: _Styles) -> Line | None:
    text = " ".join(raw.split())
    if not text:
        return None
    style, style_size = styles.of(paragraph)
    heading = _HEADING_STYLE.match(style)
    level = int(heading.group(1)) if heading else (0 if style.lower() == "title" else None)
    runs = [run for run in paragraph.runs if run.text.strip()]
    chars = sum(len(run.text) for run in runs) or 1
    bold = sum(len(run.text) for run in runs if run.bold) / chars > 0.5
    italic = sum(len(run.text) for run in runs if run.italic) / chars > 0.5
    sizes = [run.font.size.pt for run in runs if run.font.size is not None]
    links = [link.address for link in paragraph.hyperlinks if link.address]
    if style_size is not None and not sizes:
        sizes = [style_size]
    is_list = "list" in style.lower() or (paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None)
    return Line(text=("• " + text) if is_list and not text.startswith(("•", "-")) else text,
                heading_level=level, bold=bold or level is not None, italic=italic,
                font_size=max(sizes) if sizes else None, links=links)


def _table_lines(table: Table, styles: _Styles) -> Iterator[Line]:
    for row in table.rows:
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            for paragraph in cell.paragraphs:
                yield from _paragraph_lines(paragraph, styles)
            for nested in cell.tables:
                yield from _table_lines(nested, styles)


def _body_blocks(parent: Any, styles: _Styles, kind: BlockKind = "text") -> list[Block]:
    blocks: list[Block] = []
    current: list[Line] = []
    for child in parent.iter_inner_content():
        if isinstance(child, Table):
            if current:
                blocks.append(Block(lines=current, kind=kind))
                current = []
            table_lines = list(_table_lines(child, styles))
            if table_lines:
                blocks.append(Block(lines=table_lines, kind="table"))
            continue
        lines = _paragraph_lines(child, styles)
        boxes = [" ".join(t.split()) for t in _textbox_texts(child)]
        if not lines and not boxes:
            if current:
                blocks.append(Block(lines=current, kind=kind))
                current = []
            continue
        if lines:
            if lines[0].heading_level is not None and current:
                blocks.append(Block(lines=current, kind=kind))
                current = []
            current += lines
        current += [Line(text=text) for text in boxes if text]
    if current:
        blocks.append(Block(lines=current, kind=kind))
    return blocks


def _textbox_texts(paragraph: Paragraph) -> Iterator[str]:
    for box in paragraph._p.iter(f"{_W}txbxContent"):
        for inner in box.iter(f"{_W}p"):
            text = "".join(node.text or "" for node in inner.iter(f"{_W}t"))
            if text.strip():
                yield text


def extract_docx(data: bytes) -> Document:
    check_zip(data)
    try:
        document: DocxDocument = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise ExtractionError("the DOCX document is damaged and cannot be opened") from exc
    blocks: list[Block] = []
    footers: list[Block] = []
    seen_parts: set[int] = set()
    styles = _Styles()
    for section in document.sections:
        parts: tuple[tuple[Any, list[Block], BlockKind], ...] = (
            (section.header, blocks, "header"), (section.footer, footers, "footer"))
        for part, target, kind in parts:
            if part.is_linked_to_previous or id(part.part) in seen_parts:
                continue
            seen_parts.add(id(part.part))
            target += _body_blocks(part, styles, kind)
    blocks += _body_blocks(document, styles)
    blocks += footers
    links = [line_link for block in blocks for line in block.lines for line_link in line.links]
    return Document(source_format="docx", pages=[Page(number=1, blocks=blocks)], links=list(dict.fromkeys(links)))


_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def extract_odt(data: bytes) -> Document:
    check_zip(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = ElementTree.fromstring(archive.read("content.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise ExtractionError("the ODT document is damaged and cannot be opened") from exc
    lines: list[Line] = []
    for element in root.iter():
        if element.tag in (f"{_ODF_TEXT}p", f"{_ODF_TEXT}h"):
            text = " ".join("".join(element.itertext()).split())
            if text:
                level = element.get(f"{_ODF_TEXT}outline-level") if element.tag == f"{_ODF_TEXT}h" else None
                lines.append(Line(text=text, heading_level=int(level) if level else None, bold=level is not None))
    return Document(source_format="odt", pages=[Page(number=1, blocks=[Block(lines=lines)] if lines else [])])


def extract_rtf(data: bytes) -> Document:
    from striprtf.striprtf import rtf_to_text

    try:
        text = rtf_to_text(data.decode("latin-1"), errors="ignore")
    except Exception as exc:
        raise ExtractionError("the RTF document cannot be read") from exc
    document = plain_text_document(text)
    return Document(source_format="rtf", pages=document.pages)


def extract_doc(data: bytes) -> Document:
    """Legacy Word files through antiword, when it is installed."""
    antiword = shutil.which("antiword")
    if antiword is None:
        raise UnsupportedFileType("legacy .doc files need antiword on the server; send DOCX or PDF instead")
    try:
        done = subprocess.run([antiword, "-w", "0", "-"], input=data, capture_output=True, timeout=60, check=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        raise ExtractionError("the .doc document cannot be read") from exc
    document = plain_text_document(done.stdout.decode("utf-8", errors="replace"))
    return Document(source_format="doc", pages=document.pages)
