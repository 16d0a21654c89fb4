"""PDF extraction with PyMuPDF: styled lines in reading order, links, hidden text, OCR for pages without text."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from itertools import pairwise
from typing import Any, NamedTuple

import pymupdf

from pipeline.errors import ExtractionError, PageLimitExceeded
from pipeline.extract.layout import order_page
from schemas.document import Block, Document, HiddenText, Line, Page

# What MuPDF raises for a damaged file: its own error classes (FzErrorFormat...) besides the Python ones.
_MUPDF_ERRORS = (RuntimeError, ValueError, pymupdf.mupdf.FzErrorBase)
# Whitespace kept, unknown glyphs as CID placeholders; ligatures expanded; no clipping, so that text outside
# the page can be reported as hidden rather than silently dropped.
# Filled shapes are collected in the same pass, in painting order, to tell what lies under and over the text.
_TEXT_FLAGS = (pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_CID_FOR_UNKNOWN_UNICODE
               | pymupdf.TEXT_COLLECT_VECTORS)
_BOLD_FLAG = 16
_ITALIC_FLAG = 2
MIN_VISIBLE_FONT = 2.5
MIN_TEXT_CHARS_PER_PAGE = 20
MIN_FILL_AREA = 20.0
MAX_FILLS_PER_PAGE = 300
COVERED_SHARE = 0.9
# Icon fonts map their pictograms onto ordinary letters ("f" for a LinkedIn logo), so they go by font name.
_ICON_FONT = re.compile(r"awesome|materialicons|materialsymbols|simpleicons|bootstrap-?icons|ionicons|glyphicons"
                        r"|icomoon|fontello|remixicon|entypo|academicons|marvosym|wingdings|webdings", re.IGNORECASE)
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
    except _MUPDF_ERRORS as exc:
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
            except _MUPDF_ERRORS as exc:
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
    """Visible lines of a page, and the text a reader cannot see (same colour as what lies under it, tiny,
    off-page, transparent, or painted over by an opaque shape)."""
    rect = page.rect
    area = (rect.x0, rect.y0, rect.x1, rect.y1)
    blocks = page.get_text("dict", flags=_TEXT_FLAGS, clip=pymupdf.INFINITE_RECT())["blocks"]
    fills = _opaque_fills(blocks)
    lines: list[Line] = []
    hidden: list[HiddenText] = []
    for order, block in enumerate(blocks):
        if block.get("type") != 0:
            continue
        under, over = _fills_around(block["bbox"], order, fills)
        for raw in block["lines"]:
            visible_spans = []
            for span in raw["spans"]:
                if _is_icon_font(span.get("font", "")):
                    continue
                text = clean_text(span["text"])
                if not text.strip():
                    continue
                reason = _hidden_reason(span, area, under, over)
                if reason is not None:
                    hidden.append(HiddenText(reason=reason, page=number, text=text.strip(),
                                             bbox=_rounded_box(span["bbox"])))
                    continue
                visible_spans.append((text, span))
            if visible_spans:
                lines.append(_line(visible_spans))
    return lines, hidden


class _Fill(NamedTuple):
    order: int
    box: tuple[float, float, float, float]
    colour: int


def _opaque_fills(blocks: list[dict[str, Any]]) -> list[_Fill]:
    """Opaque filled shapes in painting order (the text page lists them interleaved with the text).

    A page of charts may hold thousands of shapes; only the largest are kept, which bounds the work per span.
    """
    fills = [
        _Fill(order, tuple(block["bbox"]), int(block.get("color") or 0))
        for order, block in enumerate(blocks)
        if block.get("type") == 3 and not block.get("stroked") and block.get("alpha", 255) >= 250
        and _box_area(block["bbox"]) >= MIN_FILL_AREA
    ]
    if len(fills) > MAX_FILLS_PER_PAGE:
        fills = sorted(sorted(fills, key=lambda fill: -_box_area(fill.box))[:MAX_FILLS_PER_PAGE])
    return fills


@functools.lru_cache(maxsize=512)
def _is_icon_font(name: str) -> bool:
    return _ICON_FONT.search(name) is not None


def _fills_around(box: Sequence[float], order: int, fills: list[_Fill]) -> tuple[list[_Fill], list[_Fill]]:
    """The shapes overlapping a text block painted before it (what its text sits on, last first), and after it
    (what may cover it)."""
    under: list[_Fill] = []
    over: list[_Fill] = []
    for fill in fills:
        x0, y0, x1, y1 = fill.box
        if x0 < box[2] and box[0] < x1 and y0 < box[3] and box[1] < y1:
            (under if fill.order < order else over).append(fill)
    under.reverse()
    return under, over


def _box_area(box: Sequence[float]) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def _share_inside(inner: Sequence[float], outer: Sequence[float]) -> float:
    """How much of `inner`'s area lies inside `outer` (0 to 1)."""
    width = min(inner[2], outer[2]) - max(inner[0], outer[0])
    height = min(inner[3], outer[3]) - max(inner[1], outer[1])
    if width <= 0 or height <= 0:
        return 0.0
    return width * height / (_box_area(inner) or 1.0)


def _colour_under(box: Any, under: list[_Fill]) -> int:
    """The colour a span is painted on: the last opaque shape drawn before it under its centre, else white."""
    centre_x, centre_y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    for fill in under:
        x0, y0, x1, y1 = fill.box
        if x0 <= centre_x <= x1 and y0 <= centre_y <= y1:
            return fill.colour
    return 0xFFFFFF


def _painted_over(box: Any, over: list[_Fill]) -> bool:
    """True when an opaque shape drawn after the span covers almost all of it."""
    return any(_share_inside(box, fill.box) >= COVERED_SHARE for fill in over)


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


def _near(colour: int, other: int) -> bool:
    channels = [((colour >> s) & 255) - ((other >> s) & 255) for s in (16, 8, 0)]
    return sum(abs(c) for c in channels) < 40


def _hidden_reason(span: dict[str, Any], area: tuple[float, float, float, float], under: list[_Fill],
                   over: list[_Fill]) -> str | None:
    box = span["bbox"]
    x0, y0, x1, y1 = box
    if x1 <= area[0] or y1 <= area[1] or x0 >= area[2] or y0 >= area[3]:
        return "outside_page"
    if span["size"] < MIN_VISIBLE_FONT:
        return "tiny_font"
    if span.get("alpha", 255) < 20:
        return "transparent"
    if _near(int(span["color"] or 0), _colour_under(box, under)):
        return "background_colour"
    if over and _painted_over(box, over):
        return "covered"
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
