"""PDF extraction with PyMuPDF: styled lines in reading order, links, hidden text, OCR for pages without text."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

import pymupdf

from pipeline.errors import ExtractionError, PageLimitExceeded
from pipeline.extract.layout import order_page
from schemas.document import Block, Document, HiddenText, Line, Page

# Whitespace kept, unknown glyphs as CID placeholders; ligatures expanded; no clipping, so that text outside
# the page can be reported as hidden rather than silently dropped.
_TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_CID_FOR_UNKNOWN_UNICODE
_BOLD_FLAG = 16
_ITALIC_FLAG = 2
MIN_VISIBLE_FONT = 2.5
MIN_TEXT_CHARS_PER_PAGE = 20
_UNWANTED = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\ufeff]")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st"})


def clean_text(text: str) -> str:
    """Drop icon-font glyphs (private use area) and control characters; expand ligatures."""
    if text.isascii() and text.isprintable():
        return text
    return _UNWANTED.sub("", text.translate(_LIGATURES)).replace("\t", " ")


def extract_pdf(data: bytes, mode: str, max_pages: int | None) -> Document:
    try:
        document = pymupdf.open(stream=data, filetype="pdf")
    except (RuntimeError, ValueError) as exc:
        raise ExtractionError("the PDF is damaged and cannot be opened") from exc
    with document:
        if document.needs_pass:
            raise ExtractionError("the PDF is password-protected")
        if max_pages is not None and document.page_count > max_pages:
            raise PageLimitExceeded(document.page_count, max_pages)
        if document.page_count == 0:
            raise ExtractionError("the PDF has no pages")
        pages: list[Page] = []
        hidden: list[HiddenText] = []
        links: list[str] = []
        for index in range(document.page_count):
            try:
                page = document.load_page(index)
                annotations = [link for link in page.get_links() if link.get("uri")]
                page_links = [str(link["uri"]) for link in annotations]
                lines, page_hidden = _page_lines(page, index + 1)
            except (RuntimeError, ValueError) as exc:
                raise ExtractionError(f"page {index + 1} of the PDF cannot be read") from exc
            links.extend(page_links)
            hidden.extend(page_hidden)
            text_chars = sum(len(line.text.strip()) for line in lines)
            scanned = text_chars < MIN_TEXT_CHARS_PER_PAGE and bool(page.get_images())
            if mode == "ocr" or (mode == "auto" and scanned):
                from pipeline.extract.images import ocr_pdf_page

                pages.append(ocr_pdf_page(page, index + 1))
                continue
            _attach_links(annotations, lines)
            pages.append(Page(number=index + 1, blocks=[Block(lines=lines)],
                              width=page.rect.width, height=page.rect.height))
    running = _take_running_lines(pages)
    for page in pages:
        if not page.ocr:
            page.blocks = order_page(page.blocks[0].lines if page.blocks else [], page.width or 612.0)
    if running:
        pages[-1].blocks.append(Block(lines=running, kind="footer"))
    return Document(source_format="pdf", pages=pages, links=list(dict.fromkeys(links)), hidden=hidden)


_PAGE_NUMBER = re.compile(r"^\W*(?:page|seite|página|pagina|p\.)?\s*\d+\s*(?:(?:of|/|von|de|sur)\s*\d+)?\W*$",
                          re.IGNORECASE)
RUNNING_ZONE = 0.08


def _running_key(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.lower()).strip()


def _take_running_lines(pages: list[Page]) -> list[Line]:
    """Remove page headers and footers repeated across pages (and bare page numbers) from the reading flow.

    The first page keeps its header, where contact details often are; the removed lines are returned, to be
    kept at the end of the document, out of the way of the sections they would otherwise interrupt.
    """
    text_pages = [page for page in pages if not page.ocr and page.blocks and page.height]
    if len(text_pages) < 2:
        return []
    seen_on: dict[str, set[int]] = {}
    for page in text_pages:
        for line in page.blocks[0].lines:
            if _in_margin(line, page):
                seen_on.setdefault(_running_key(line), set()).add(page.number)
    running: list[Line] = []
    for page in text_pages:
        remaining = []
        for line in page.blocks[0].lines:
            key = _running_key(line)
            repeated = _in_margin(line, page) and (len(seen_on.get(key, ())) >= 2 or _PAGE_NUMBER.match(line.text))
            first_header = page is text_pages[0] and line.bbox is not None and line.bbox[1] < (page.height or 0) / 2
            if repeated and not first_header:
                running.append(line)
                continue
            remaining.append(line)
        page.blocks[0].lines = remaining
    return running


def _in_margin(line: Line, page: Page) -> bool:
    if line.bbox is None or not page.height:
        return False
    return line.bbox[3] < page.height * RUNNING_ZONE or line.bbox[1] > page.height * (1 - RUNNING_ZONE)


def _page_lines(page: Any, number: int) -> tuple[list[Line], list[HiddenText]]:
    """Visible lines of a page, and the text a reader cannot see (white, tiny or off-page)."""
    rect = page.rect
    area = (rect.x0, rect.y0, rect.x1, rect.y1)
    background: list[int] = []
    lines: list[Line] = []
    hidden: list[HiddenText] = []
    for block in page.get_text("dict", flags=_TEXT_FLAGS, clip=pymupdf.INFINITE_RECT())["blocks"]:
        if block.get("type") != 0:
            continue
        for raw in block["lines"]:
            visible_spans = []
            for span in raw["spans"]:
                text = clean_text(span["text"])
                if not text.strip():
                    continue
                reason = _hidden_reason(span, area, background, page)
                if reason is not None:
                    hidden.append(HiddenText(reason=reason, page=number, text=text.strip(),
                                             bbox=_rounded_box(span["bbox"])))
                    continue
                visible_spans.append((text, span))
            if visible_spans:
                lines.append(_line(visible_spans))
    return lines, hidden


def _join_spans(spans: list[tuple[str, dict[str, Any]]]) -> str:
    """Span texts in order, with a space where the layout leaves a gap the text itself does not carry."""
    parts = [spans[0][0]]
    for (before, previous), (text, span) in pairwise(spans):
        gap = span["bbox"][0] - previous["bbox"][2]
        if gap > 0.15 * span["size"] and not before.endswith(" ") and not text.startswith(" "):
            parts.append(" ")
        parts.append(text)
    return "".join(parts)


def _rounded_box(box: Any) -> tuple[float, float, float, float]:
    return (round(box[0], 1), round(box[1], 1), round(box[2], 1), round(box[3], 1))


def _line(spans: list[tuple[str, dict[str, Any]]]) -> Line:
    """One visual line: bold or italic when most of its characters are, its box, its largest font size."""
    total = bold = italic = 0
    x0 = y0 = float("inf")
    x1 = y1 = size = float("-inf")
    for text, span in spans:
        weight = len(text.strip())
        total += weight
        bold += weight if _is_bold(span) else 0
        italic += weight if span["flags"] & _ITALIC_FLAG else 0
        box = span["bbox"]
        x0, y0, x1, y1 = min(x0, box[0]), min(y0, box[1]), max(x1, box[2]), max(y1, box[3])
        size = max(size, span["size"])
    total = total or 1
    return Line(text=" ".join(_join_spans(spans).split()), bbox=(x0, y0, x1, y1), font_size=round(size, 1),
                bold=bold / total > 0.5, italic=italic / total > 0.5)


def _is_bold(span: dict[str, Any]) -> bool:
    font = str(span.get("font", "")).lower()
    return bool(span["flags"] & _BOLD_FLAG) or any(mark in font for mark in ("bold", "black", "heavy", "semibold"))


def _background_colour(page: Any) -> int:
    """The colour a page's text sits on: white unless a filled rectangle covers most of the page."""
    area = page.rect.width * page.rect.height or 1
    for drawing in page.get_cdrawings():
        fill = drawing.get("fill")
        x0, y0, x1, y1 = drawing.get("rect", (0, 0, 0, 0))
        if fill and (x1 - x0) * (y1 - y0) > 0.6 * area:
            red, green, blue = (round(c * 255) for c in fill[:3])
            return int((red << 16) | (green << 8) | blue)
    return 0xFFFFFF


def _light(colour: int) -> bool:
    """Text light enough that it could vanish into a white page (drawings are read only then)."""
    return sum((colour >> shift) & 255 for shift in (16, 8, 0)) > 600


def _near(colour: int, other: int) -> bool:
    channels = [((colour >> s) & 255) - ((other >> s) & 255) for s in (16, 8, 0)]
    return sum(abs(c) for c in channels) < 40


def _hidden_reason(span: dict[str, Any], area: tuple[float, float, float, float], background: list[int],
                   page: Any) -> str | None:
    x0, y0, x1, y1 = span["bbox"]
    if x1 <= area[0] or y1 <= area[1] or x0 >= area[2] or y0 >= area[3]:
        return "outside_page"
    if span["size"] < MIN_VISIBLE_FONT:
        return "tiny_font"
    colour = span["color"]
    if colour and _light(colour):
        if not background:
            background.append(_background_colour(page))
        if _near(colour, background[0]):
            return "background_colour"
    if span.get("alpha", 255) < 20:
        return "transparent"
    return None


def _attach_links(annotations: list[dict[str, Any]], lines: list[Line]) -> None:
    """Give each line the link annotations that overlap it (mailto:, LinkedIn and GitHub URLs live there)."""
    for link in annotations:
        uri = link.get("uri")
        rect = link.get("from")
        if not uri or rect is None:
            continue
        for line in lines:
            if line.bbox is None:
                continue
            x0, y0, x1, y1 = line.bbox
            if x0 < rect.x1 and rect.x0 < x1 and y0 < rect.y1 and rect.y0 < y1 and uri not in line.links:
                line.links.append(str(uri))
