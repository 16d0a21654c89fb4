"""Plain text, Markdown and HTML: lines and headings without geometry."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from pipeline.errors import ExtractionError
from pipeline.extract.detect import decode_text
from schemas.document import Block, Document, Line, Page, SourceFormat

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_MD_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>]+)>")
_MD_EMPHASIS = re.compile(r"(\*\*|\*|~~|`)(?=\S)(.+?)(?<=\S)\1|(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\3(?!\w)")
_MD_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MD_RULE = re.compile(r"^\s*([-*_=])(\s*\1){2,}\s*$")
_MD_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _document(blocks: list[Block], source_format: SourceFormat, links: list[str]) -> Document:
    return Document(source_format=source_format, pages=[Page(number=1, blocks=blocks)],
                    links=list(dict.fromkeys(links)))


def _paragraph_blocks(lines: list[Line | None]) -> list[Block]:
    """Blocks of consecutive lines; None marks a blank line that separates blocks."""
    blocks: list[Block] = []
    current: list[Line] = []
    for line in lines:
        if line is None:
            if current:
                blocks.append(Block(lines=current))
                current = []
            continue
        if line.heading_level is not None and current:
            blocks.append(Block(lines=current))
            current = []
        current.append(line)
    if current:
        blocks.append(Block(lines=current))
    return blocks


def _link_text(match: re.Match[str]) -> str:
    """A Markdown link as a reader of the source sees it: its text, then its target when that says more."""
    text, target = match.group(1), match.group(2)
    if not text:
        return target
    shown = target.removeprefix("mailto:")
    return text if shown.rstrip("/").endswith(text.rstrip("/")) and "://" not in shown else f"{text} ({shown})"


def plain_text_document(text: str) -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines: list[Line | None] = [Line(text=" ".join(raw.split())) if raw.strip() else None for raw in text.split("\n")]
    return _document(_paragraph_blocks(lines), "txt", [])


def markdown_document(text: str) -> Document:
    links: list[str] = []
    lines: list[Line | None] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        if not raw.strip() or _MD_RULE.match(raw) or _MD_TABLE_SEPARATOR.match(raw):
            lines.append(None)
            continue
        heading = _MD_HEADING.match(raw)
        level = len(heading.group(1)) if heading else None
        content = heading.group(2) if heading else raw
        line_links = [m.group(2) for m in _MD_LINK.finditer(content)]
        line_links += [m.group(1) for m in _MD_AUTOLINK.finditer(content)]
        content = _MD_AUTOLINK.sub(r"\1", _MD_LINK.sub(_link_text, content))
        bold = content.strip().startswith(("**", "__"))
        for _ in range(3):
            content = _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(4), content)
        if content.strip().startswith("|"):
            content = "  ".join(cell.strip() for cell in content.strip().strip("|").split("|"))
        content = _MD_BULLET.sub("• ", content.rstrip()).replace("\\", "")
        links += line_links
        lines.append(Line(text=" ".join(content.split()), heading_level=level, bold=bold or level is not None,
                          links=line_links))
    return _document(_paragraph_blocks(lines), "markdown", links)


class _Readable(HTMLParser):
    """Collects the readable text of a page: block elements start lines, scripts and navigation are skipped."""

    SKIP = {"script", "style", "noscript", "template", "svg", "nav", "button", "form", "iframe"}
    BLOCK = {"p", "div", "li", "tr", "br", "section", "article", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
             "ul", "ol", "table", "dt", "dd", "main", "aside", "blockquote", "pre", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line | None] = []
        self.links: list[str] = []
        self._skip_depth = 0
        self._text: list[str] = []
        self._line_links: list[str] = []
        self._heading: int | None = None
        self._bold = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip_depth += 1
            return
        if tag in self.BLOCK:
            self._flush(blank=tag in {"p", "section", "article", "table", "ul", "ol", "hr"})
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._heading = int(tag[1])
        if tag in {"b", "strong"}:
            self._bold += 1
        if tag == "li":
            self._text.append("• ")
        if tag == "a":
            href = dict(attrs).get("href")
            if href and href.startswith(("http://", "https://", "mailto:", "tel:")):
                self._line_links.append(href)
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
            return
        if tag in {"b", "strong"}:
            self._bold = max(0, self._bold - 1)
        if tag in self.BLOCK or tag in {"td", "th"}:
            self._flush(blank=tag in {"p", "h1", "h2", "h3", "h4", "h5", "h6", "section", "table"})
            if tag.startswith("h") and len(tag) == 2:
                self._heading = None

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._text.append(data)

    def _flush(self, blank: bool) -> None:
        text = " ".join("".join(self._text).split())
        if text and text != "•":
            bold = self._bold > 0 or self._heading is not None
            self.lines.append(Line(text=text, heading_level=self._heading, bold=bold, links=self._line_links))
        self._text, self._line_links = [], []
        if blank:
            self.lines.append(None)

    def close(self) -> None:
        super().close()
        self._flush(blank=False)


def html_document(text: str) -> Document:
    reader = _Readable()
    reader.feed(text)
    reader.close()
    return _document(_paragraph_blocks(reader.lines), "html", reader.links)


def extract_text_file(data: bytes, source_format: SourceFormat) -> Document:
    text = decode_text(data)
    if text is None:
        raise ExtractionError("the text file's encoding could not be read")
    if source_format == "html":
        return html_document(text)
    if source_format == "markdown":
        return markdown_document(text)
    return plain_text_document(text)
