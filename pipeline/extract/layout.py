"""Reading order for positioned lines: columns and sidebars kept apart, rows rebuilt, blocks split on gaps.

The gutter between two columns is the widest vertical band, away from the page edges, that almost no line
crosses while both sides hold text. Lines crossing it (a full-width name or header) stay in page order
above the columns they precede.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Final

from schemas.document import BBox, Block, Line

ROW_TOLERANCE = 0.45
MIN_COLUMN_LINES = 4
BAND_GAP_LINES = 5.0


def _crossings(boxes: list[BBox], width: float) -> list[int]:
    """How many lines cross each whole x coordinate of the page (a difference array, one pass)."""
    size = int(width) + 2
    delta = [0] * (size + 1)
    for x0, _, x1, _ in boxes:
        start, end = max(0, int(x0) + 1), min(size, int(x1))
        if start < end:
            delta[start] += 1
            delta[end] -= 1
    counts = []
    running = 0
    for change in delta[:size]:
        running += change
        counts.append(running)
    return counts


def find_gutter(lines: list[Line], width: float) -> float | None:
    """The x of a column gutter, or None for a single-column page."""
    boxes = [line.bbox for line in lines if line.bbox is not None]
    if len(boxes) < 2 * MIN_COLUMN_LINES:
        return None
    allowed = max(1, len(boxes) // 12)
    counts = _crossings(boxes, width)
    best: tuple[int, int] | None = None
    run_start: int | None = None
    first, last = int(width * 0.18), int(width * 0.82)
    for x in range(first, last + 1):
        if x < len(counts) and counts[x] <= allowed:
            if run_start is None:
                run_start = x
            continue
        if run_start is not None and (best is None or x - run_start > best[1] - best[0]):
            best = (run_start, x)
        run_start = None
    if run_start is not None and (best is None or last + 1 - run_start > best[1] - best[0]):
        best = (run_start, last + 1)
    if best is None or best[1] - best[0] < 6:
        return None
    gutter = (best[0] + best[1]) / 2
    left = sum(1 for box in boxes if box[2] <= gutter)
    right = sum(1 for box in boxes if box[0] >= gutter)
    if left < MIN_COLUMN_LINES or right < MIN_COLUMN_LINES:
        return None
    return gutter


_CONTINUED = re.compile(r"([-\u00ad]|\b(?:of|in|and|for|the|de|du|des|der|die|und|en|et|y|e|do|da))$", re.IGNORECASE)


def _stack_cells(lines: list[Line], width: float) -> list[Line]:
    """Rejoin a phrase wrapped inside a narrow table cell ('Mas-' / 'ter of' / 'Science') into one line."""
    narrow = sorted((line for line in lines if (_box(line)[2] - _box(line)[0]) < 0.16 * width),
                    key=lambda line: (round(_box(line)[0]), _box(line)[1]))
    merged: dict[int, Line] = {}
    absorbed: set[int] = set()
    for previous, line in pairwise(narrow):
        head = merged.get(id(previous), previous)
        box, last = _box(line), _box(previous)
        height = max(last[3] - last[1], 1.0)
        stacked = abs(box[0] - last[0]) < 2 and -0.3 * height <= box[1] - last[3] < 0.6 * height
        wrapped = bool(_CONTINUED.search(head.text)) or line.text[:1].islower() or line.text.startswith("(")
        if not (stacked and wrapped):
            continue
        joiner = "" if head.text.endswith(("\u00ad", "-")) and line.text[:1].islower() else " "
        text = head.text.rstrip("\u00ad") if joiner == "" and head.text.endswith("\u00ad") else head.text
        if joiner == "" and text.endswith("-"):
            text = text[:-1]
        hbox = _box(head)
        merged[id(line)] = Line(text=text + joiner + line.text, bbox=(min(hbox[0], box[0]), hbox[1],
                                max(hbox[2], box[2]), box[3]), font_size=head.font_size, bold=head.bold,
                                italic=head.italic, links=[*head.links, *line.links])
        absorbed.add(id(previous) if id(previous) not in merged else id(merged[id(previous)]))
        absorbed.add(id(previous))
    finals = {id(line): merged[id(line)] for line in narrow if id(line) in merged}
    result = []
    for line in lines:
        if id(line) in absorbed:
            continue
        result.append(finals.get(id(line), line))
    return result


def _rows(lines: list[Line]) -> list[Line]:
    """Merge lines sharing a baseline (a title and its right-aligned date) into one line, left to right."""
    ordered = sorted(lines, key=lambda line: (_box(line)[1], _box(line)[0]))
    rows: list[list[Line]] = []
    for line in ordered:
        box = _box(line)
        height = max(box[3] - box[1], 1.0)
        if rows:
            last = rows[-1]
            ref = _box(last[0])
            centre, ref_centre = (box[1] + box[3]) / 2, (ref[1] + ref[3]) / 2
            sizes = sorted((line.font_size or 10.0, last[0].font_size or 10.0))
            heights = sorted((height, max(ref[3] - ref[1], 1.0)))
            same_size = sizes[1] <= 1.2 * sizes[0] and heights[1] <= 1.6 * heights[0]
            if same_size and abs(centre - ref_centre) <= ROW_TOLERANCE * max(height, ref[3] - ref[1]):
                last.append(line)
                continue
        rows.append([line])
    return [_join_row(row) for row in rows]


def _join_row(row: list[Line]) -> Line:
    if len(row) == 1:
        return row[0]
    row.sort(key=lambda line: _box(line)[0])
    parts = [row[0].text]
    for previous, line in pairwise(row):
        # Text set apart on one baseline is a separate cell (a label and its value) unless it touches: a label
        # overrunning its margin ('Environmental' 2 pt short of the values column) is still a cell of its own.
        gap = _box(line)[0] - _box(previous)[2]
        parts.append(("    " if gap > 0.2 * (line.font_size or 10.0) else " ") + line.text)
    boxes = [_box(line) for line in row]
    lead = max(row, key=lambda line: len(line.text))
    return Line(
        text="".join(parts),
        bbox=(min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)),
        font_size=max((line.font_size or 0.0) for line in row) or None,
        bold=lead.bold,
        italic=lead.italic,
        links=[link for line in row for link in line.links],
    )


_DATE_LIKE = re.compile(r"(?:19|20)\d{2}|\b(?:present|current|now|today|heute|aujourd|actual|atual|date)\b",
                        re.IGNORECASE)


_RANGE_OPEN: Final = re.compile(r"(?:[-–—]|\bto|\bbis|\bà|\ba|\bal|\bhasta|\baté)\s*$", re.IGNORECASE)
_RANGE_CLOSE: Final = re.compile(r"\s*(?:[-–—]|to\b|bis\b)", re.IGNORECASE)


def _date_margin(lines: list[Line], width: float) -> list[Line]:
    """Dates set in a narrow margin to the left of their entries (moderncv style), each beside a row of text."""
    candidates = [
        line for line in lines
        if _box(line)[2] - _box(line)[0] < 0.2 * width and len(line.text.split()) <= 5
        and _DATE_LIKE.search(line.text)
    ]
    margin = []
    for line in candidates:
        box = _box(line)
        centre, height = (box[1] + box[3]) / 2, max(box[3] - box[1], 1.0)
        beside = any(
            other is not line and _box(other)[0] > box[2] + 4
            and abs((_box(other)[1] + _box(other)[3]) / 2 - centre) <= ROW_TOLERANCE * height
            for other in lines
        )
        if beside:
            margin.append(line)
    return margin if len(margin) >= 2 else []


def _with_margin(margin: list[Line], body: list[Line]) -> list[Line]:
    """A date margin (moderncv style): each run of margin lines becomes one line just before its body row."""
    groups: list[list[Line]] = []
    for line in sorted(margin, key=lambda item: _box(item)[1]):
        if groups:
            previous = _box(groups[-1][-1])
            close = _box(line)[1] - previous[3] < 0.6 * max(previous[3] - previous[1], 1.0)
            # A range wraps at its dash ('08/2017 –' / '12/2019'); a date after a whole one starts the next entry.
            dates = bool(_DATE_LIKE.search(groups[-1][-1].text) and _DATE_LIKE.search(line.text))
            if close and (not dates or _RANGE_OPEN.search(groups[-1][-1].text) or _RANGE_CLOSE.match(line.text)):
                groups[-1].append(line)
                continue
        groups.append([line])
    merged = [
        Line(text=" ".join(line.text for line in group),
             bbox=(min(_box(x)[0] for x in group), _box(group[0])[1] - 0.5,
                   max(_box(x)[2] for x in group), _box(group[-1])[3]),
             font_size=group[0].font_size, bold=group[0].bold, italic=group[0].italic,
             links=[link for line in group for link in line.links])
        for group in groups
    ]
    rows = _rows(body)
    return sorted(merged + rows, key=lambda line: (_box(line)[1], _box(line)[0]))


def _row_aligned(left: list[Line], right: list[Line]) -> bool:
    """True when the narrower side mostly shares rows with the other: a margin of dates and labels. A side
    holding an e-mail address is a sidebar of contact details, whatever rows its lines happen to fall on."""
    narrow, wide = (left, right) if len(left) <= len(right) else (right, left)
    if any("@" in line.text for line in narrow):
        return False
    centres = [(_box(line)[1] + _box(line)[3]) / 2 for line in wide]
    aligned = 0
    for line in narrow:
        box = _box(line)
        centre = (box[1] + box[3]) / 2
        tolerance = ROW_TOLERANCE * max(box[3] - box[1], 1.0)
        if any(abs(centre - other) <= tolerance for other in centres):
            aligned += 1
    return aligned >= 0.6 * len(narrow)


def _box(line: Line) -> BBox:
    return line.bbox if line.bbox is not None else (0.0, 0.0, 0.0, 0.0)


def _blocks(lines: list[Line], column: int) -> list[Block]:
    """Split a column's rows into blocks where the vertical gap is larger than usual."""
    blocks: list[Block] = []
    current: list[Line] = []
    for line in lines:
        if current:
            previous = _box(current[-1])
            box = _box(line)
            height = max(previous[3] - previous[1], 1.0)
            if box[1] - previous[3] > 0.9 * height:
                blocks.append(_block(current, column))
                current = []
        current.append(line)
    if current:
        blocks.append(_block(current, column))
    return blocks


def _block(lines: list[Line], column: int) -> Block:
    boxes = [_box(line) for line in lines]
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    return Block(lines=lines, bbox=bbox, column=column)


_BROKEN_WORD = re.compile(r"(?<![-\w])([^\W\d_][^\W\d_-]*[a-zà-ÿ])[-\u00ad]$")


def dehyphenate(blocks: list[Block]) -> list[Block]:
    """Rejoin words broken across lines ('reconcil-' + 'iations'); compound words keep their hyphens, and so
    do e-mail addresses and URLs wrapped at one of their own hyphens."""
    for block in blocks:
        for index in range(len(block.lines) - 1):
            line, following = block.lines[index], block.lines[index + 1]
            broken = _BROKEN_WORD.search(line.text)
            if broken is None or not following.text[:1].islower():
                continue
            if line.bbox is not None and following.bbox is not None and abs(line.bbox[0] - following.bbox[0]) > 20:
                continue
            rest, _, tail = following.text.partition(" ")
            address = line.text[: broken.start()].endswith((".", "@", "/", "_")) or "@" in rest or "/" in rest
            hyphen = line.text[-1] if address else ""
            line.text = line.text[: broken.start()] + broken.group(1) + hyphen + rest
            following.text = tail
        for line in block.lines:
            line.text = line.text.replace("\u00ad", "")
        block.lines = [line for line in block.lines if line.text.strip()]
    return [block for block in blocks if block.lines]


def order_page(lines: list[Line], width: float) -> list[Block]:
    """Blocks of one page in reading order: full-width lines above the columns, then each column in turn."""
    return dehyphenate(_ordered_blocks(lines, width))


def _bands(lines: list[Line]) -> list[list[Line]]:
    """Split a page where blank space runs across its whole width for several line heights (pages stacked in one
    image, or a two-column part followed by a full-width one); each band gets its own columns. A first band too
    small to hold columns (a name and contact header) stays with the columns below it."""
    if len(lines) < 2 * MIN_COLUMN_LINES:
        return [lines]
    ordered = sorted(lines, key=lambda line: _box(line)[1])
    heights = sorted(max(_box(line)[3] - _box(line)[1], 1.0) for line in ordered)
    gap = BAND_GAP_LINES * heights[len(heights) // 2]
    bands: list[list[Line]] = [[]]
    bottom = _box(ordered[0])[3]
    for line in ordered:
        box = _box(line)
        if bands[-1] and box[1] - bottom > gap:
            bands.append([])
        bands[-1].append(line)
        bottom = max(bottom, box[3])
    if len(bands) > 1 and len(bands[0]) < 2 * MIN_COLUMN_LINES:
        bands[1] = bands[0] + bands[1]
        del bands[0]
    return bands


def _ordered_blocks(lines: list[Line], width: float) -> list[Block]:
    bands = _bands(lines)
    if len(bands) > 1:
        return [block for band in bands for block in _ordered_blocks(band, width)]
    lines = _stack_cells(lines, width)
    margin = _date_margin(lines, width)
    if margin:
        return _blocks(_with_margin(margin, [line for line in lines if line not in margin]), 0)
    gutter = find_gutter(lines, width)
    if gutter is None:
        return _blocks(_rows(lines), 0)
    left = [line for line in lines if _box(line)[2] <= gutter]
    right = [line for line in lines if _box(line)[0] >= gutter]
    if _row_aligned(left, right):
        margin, body = (left, right) if len(left) <= len(right) else (right, left)
        return _blocks(_with_margin(margin, body + [line for line in lines if line not in left and line not in right]),
                       0)
    spanning = [line for line in lines if _box(line)[0] < gutter < _box(line)[2]]
    column_top = min(_box(line)[1] for line in left + right)
    above = [line for line in spanning if _box(line)[3] <= column_top + 1]
    below = [line for line in spanning if _box(line)[3] > column_top + 1]
    blocks = _blocks(_rows(above), 0)
    blocks += _blocks(_rows(left), 1)
    blocks += _blocks(_rows(right), 2)
    blocks += _blocks(_rows(below), 0)
    return blocks
