"""The extracted document handed from the extract stage to the parse stage.

Pages hold blocks in reading order, blocks hold lines; each line keeps the layout signals the parser needs
(bounding box, font size, bold/italic). Formats without geometry (TXT, Markdown, DOCX) leave `bbox` empty and
mark headings through `heading_level`.
"""

from __future__ import annotations

from typing import Literal

from schemas.base import Base

SourceFormat = Literal["pdf", "docx", "doc", "odt", "rtf", "txt", "markdown", "html", "image"]

BBox = tuple[float, float, float, float]
BlockKind = Literal["text", "table", "header", "footer", "list"]


class Line(Base):
    text: str
    bbox: BBox | None = None
    font_size: float | None = None
    bold: bool = False
    italic: bool = False
    heading_level: int | None = None
    links: list[str] = []


class Block(Base):
    lines: list[Line]
    bbox: BBox | None = None
    kind: BlockKind = "text"
    column: int = 0


class Page(Base):
    number: int
    blocks: list[Block]
    width: float | None = None
    height: float | None = None
    ocr: bool = False
    ocr_confidence: float | None = None


class HiddenText(Base):
    reason: str
    page: int
    text: str
    bbox: BBox | None = None


class Document(Base):
    source_format: SourceFormat
    pages: list[Page]
    links: list[str] = []
    hidden: list[HiddenText] = []

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def raw_text(self) -> str:
        """Plain text in reading order: lines joined by newlines, blocks separated by a blank line."""
        blocks = [
            "\n".join(line.text for line in block.lines)
            for page in self.pages
            for block in page.blocks
        ]
        return "\n\n".join(b for b in blocks if b.strip())
