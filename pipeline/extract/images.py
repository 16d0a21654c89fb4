"""OCR through Tesseract: images (PNG, JPEG, TIFF, WebP, multi-page TIFF) and PDF pages without a text layer.

Pages are rendered at 300 DPI, straightened, turned upright with Tesseract's orientation detection when a
first reading is unsure, and read word by word so that every line keeps its box and the page its mean
confidence.
"""

from __future__ import annotations

import functools
import io
import os
import re
import statistics
import subprocess
from collections import Counter
from itertools import pairwise
from typing import Any, Final

import msgspec
import numpy
import pymupdf
import pytesseract
from PIL import Image, ImageChops, ImageOps, UnidentifiedImageError

from pipeline.errors import OcrError, PageLimitExceeded
from pipeline.extract.layout import order_page
from schemas.document import Document, Line, Page

OCR_DPI = 300
MAX_PIXELS = 60_000_000
# What OCR reads at most: an A3 page at 300 DPI is 17 megapixels; larger scans are scaled down to this first.
OCR_MAX_PIXELS = 24_000_000
# Pages up to A3 at 300 DPI are rendered in colour, so that coloured text can be read as dark; larger ones in
# grey, a third of the memory.
OCR_COLOUR_PIXELS = 18_000_000
OCR_TIMEOUT_SECONDS = 60
MIN_OCR_WIDTH = 2400
LOW_CONFIDENCE = 0.6
# Tesseract's model for every language written in Latin script: names keep their accents (Fernández, Wiśniewski,
# Nguyễn) whatever the language of the rest of the page.
_LATIN = "Latin"

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Tesseract's OpenMP threads contend on a small machine: one thread reads a page about 7x faster on two cores,
# and parallelism comes from running requests side by side.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def frame_count(data: bytes) -> int:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return int(getattr(image, "n_frames", 1))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return 1


def extract_image(data: bytes, max_pages: int | None) -> Document:
    try:
        image = Image.open(io.BytesIO(data))
        frames = int(getattr(image, "n_frames", 1))
        if max_pages is not None and frames > max_pages:
            raise PageLimitExceeded(frames, max_pages)
        pages = []
        for index in range(frames):
            image.seek(index)
            if image.width * image.height > MAX_PIXELS:
                raise OcrError("the image is too large to read")
            pages.append(ocr_image(image.copy(), index + 1))
    except Image.DecompressionBombError as exc:
        raise OcrError("the image is too large to read") from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise OcrError("the image is damaged and cannot be read") from exc
    return Document(source_format="image", pages=pages)


def ocr_pdf_page(page: Any, number: int) -> Page:
    """OCR one PDF page, rendered at OCR_DPI unless the page is so large that it would exceed OCR_MAX_PIXELS."""
    inches = max(1e-3, page.rect.width / 72) * max(1e-3, page.rect.height / 72)
    dpi = max(1, min(OCR_DPI, int((OCR_MAX_PIXELS / inches) ** 0.5)))
    colour = inches * dpi * dpi <= OCR_COLOUR_PIXELS
    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB if colour else pymupdf.csGRAY, alpha=False)
    image = Image.frombytes("RGB" if colour else "L", (pixmap.width, pixmap.height), pixmap.samples)
    scale = 72 / dpi
    ocr_page = ocr_image(image, number, scale=scale)
    return Page(number=number, blocks=ocr_page.blocks, width=page.rect.width, height=page.rect.height, ocr=True,
                ocr_confidence=ocr_page.ocr_confidence)


def _upright(image: Image.Image) -> Image.Image | None:
    """The image turned the way Tesseract's orientation detection suggests; None when it sees no rotation.

    Only asked for pages read with low confidence, and the caller keeps whichever reading is more confident, so
    an unsure suggestion costs a second read but never a worse result."""
    try:
        osd = pytesseract.image_to_osd(image, output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT_SECONDS)
    except (pytesseract.TesseractError, RuntimeError):
        return None
    rotate = int(osd.get("rotate", 0))
    return image.rotate(-rotate, expand=True) if rotate else None


def deskew(image: Image.Image) -> Image.Image:
    """Straighten a scan tilted by up to 5 degrees: the angle whose row profile is sharpest wins."""
    small = image.copy()
    small.thumbnail((800, 800))
    ink = numpy.asarray(ImageOps.invert(small), dtype=numpy.float32)
    if ink.mean() < 1.0:
        return image
    best_angle, best_score = 0.0, -1.0
    for angle in numpy.arange(-5.0, 5.01, 0.5):
        rotated = numpy.asarray(ImageOps.invert(small.rotate(float(angle), fillcolor=255)), dtype=numpy.float32)
        score = float(numpy.var(rotated.sum(axis=1)))
        if score > best_score:
            best_angle, best_score = float(angle), score
    if abs(best_angle) < 0.25:
        return image
    return image.rotate(best_angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)


_STOPWORDS: Final = {
    "eng": {"the", "and", "of", "with", "for", "to", "in", "on", "at"},
    "deu": {"und", "der", "die", "das", "mit", "für", "von", "im", "bei", "zur", "den"},
    "fra": {"et", "les", "des", "pour", "avec", "dans", "une", "du", "le", "la", "au"},
    "spa": {"y", "los", "las", "con", "para", "del", "una", "el", "la", "en", "por"},
    "por": {"e", "os", "as", "com", "para", "em", "do", "da", "uma", "dos", "não"},
}


def _language(words: list[str]) -> str:
    """The document's language from its function words, among the languages OCR can read here."""
    lowered = [word.lower() for word in words]
    counts = {lang: sum(1 for word in lowered if word in stop) for lang, stop in _STOPWORDS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    return best if counts[best] > counts["eng"] and best in _available() else "eng"


@functools.cache
def _available() -> frozenset[str]:
    """The models Tesseract has, script models ("Latin") included, which pytesseract's own list leaves out."""
    try:
        listed = subprocess.run([pytesseract.pytesseract.tesseract_cmd, "--list-langs"], capture_output=True,
                                text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrError("OCR is not available: Tesseract is not installed") from exc
    return frozenset(line.strip() for line in listed.splitlines()[1:] if line.strip())


def _read(image: Image.Image, languages: str) -> dict[str, list[Any]]:
    try:
        data: dict[str, list[Any]] = pytesseract.image_to_data(
            image, lang=languages, config="--psm 3", output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT_SECONDS)
    except RuntimeError as exc:
        raise OcrError("OCR timed out") from exc
    except pytesseract.TesseractError as exc:
        raise OcrError(f"OCR failed: {exc.message}") from exc
    return data


def _confidence(data: dict[str, list[Any]]) -> float:
    values = [float(c) for c, w in zip(data["conf"], data["text"], strict=True) if w.strip() and float(c) >= 0]
    return statistics.fmean(values) / 100 if values else 0.0


_BULLET_MISREADS: Final = frozenset({"e", "o", "«", "»", "°", "*", "¢", "©", "®", "+", "-", "•", "●", "○", "■", "▪"})
# What a hollow bullet set close to its text is read as: a letter or digit no line of prose starts with three
# times on one page before a capital.
_CLOSE_BULLETS: Final = _BULLET_MISREADS | {"O", "0", "Q", "@"}
_CLOSE_BULLET_LINE: Final = re.compile(r"^(\S) (?=[A-ZÀ-Ý0-9])")


_DESCENDERS: Final = frozenset("gjpqyçęąÿ,;()[]{}|/@$")
_TALL: Final = frozenset("bdfhkltÀÁÂÃÄÅÉÍÓÚÜÑ")


def _em(data: dict[str, list[Any]], indices: list[int]) -> float:
    """A line's type size in pixels from its words' boxes, corrected for the letters that reach above or
    below the x-height: 'Skills' and 'Summary' set in one style have boxes of different heights, and
    headings are told from body text by size."""
    estimates = []
    for index in indices:
        word = data["text"][index].strip()
        if not any(ch.isalpha() for ch in word):
            continue
        tall = any(ch.isupper() or ch.isdigit() or ch in _TALL for ch in word)
        low = any(ch in _DESCENDERS for ch in word)
        share = 0.95 if tall and low else 0.72 if tall or low else 0.5
        estimates.append(data["height"][index] / share)
    return statistics.median(estimates) if estimates else float(max(data["height"][i] for i in indices) or 1)


def _spaced_words(data: dict[str, list[Any]], indices: list[int], em: float) -> str:
    """A line's words; a wide gap between two words (tag lists, right-aligned dates) becomes a run of spaces,
    as the text layer of a PDF would show it. A short line is a tag list more often than a justified line of
    prose, so a smaller gap counts there. A bullet read as a letter ('e', '«') set apart from the text is a
    bullet again."""
    wide = (0.55 if len(indices) <= 4 else 0.85) * em
    parts = [data["text"][indices[0]].strip()]
    for before, after in pairwise(indices):
        gap = data["left"][after] - (data["left"][before] + data["width"][before])
        parts.append(("    " if gap > wide else " ") + data["text"][after].strip())
    if len(parts) > 1 and parts[0] in _BULLET_MISREADS and parts[1].startswith("    "):
        parts[0] = "•"
    return "".join(parts)


def _restore_bullets(lines: list[Line]) -> list[Line]:
    """Bullets read as a letter followed by one space ('O Led the rollout'): when three or more lines of the
    page start with the same such letter before a capital, it is the page's bullet."""
    starts = Counter(match.group(1) for line in lines if (match := _CLOSE_BULLET_LINE.match(line.text)))
    bullets = {mark for mark, count in starts.items() if mark in _CLOSE_BULLETS and count >= 3}
    if not bullets:
        return lines
    return [msgspec.structs.replace(line, text="•    " + line.text[2:])
            if (match := _CLOSE_BULLET_LINE.match(line.text)) and match.group(1) in bullets else line
            for line in lines]


def _ink(image: Image.Image) -> Image.Image:
    """A grey image in which coloured text is as dark as black text: each pixel's darkest channel. Luminance
    alone leaves an orange or light-blue heading so pale that Tesseract's thresholding drops it. Images
    larger than OCR_COLOUR_PIXELS take the plain grey conversion, which needs no copy per channel."""
    if image.mode in ("L", "1", "I", "I;16", "F") or image.width * image.height > OCR_COLOUR_PIXELS:
        return image.convert("L")
    if "A" in image.getbands() or image.mode == "P":
        image = image.convert("RGBA")
        paper = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(paper, image)
    red, green, blue = image.convert("RGB").split()
    return ImageChops.darker(ImageChops.darker(red, green), blue)


def ocr_image(image: Image.Image, number: int, scale: float = 1.0) -> Page:
    """One page of OCR: lines with boxes (in PDF points when scale is given) and the mean word confidence.

    English is read first; a page whose function words are German, French, Spanish or Portuguese is read
    again with that language, and a page read with low confidence is tried the right way up.
    """
    if "eng" not in _available():
        raise OcrError("OCR is not available: Tesseract has no English model")
    image = _ink(ImageOps.exif_transpose(image))
    if image.width * image.height > OCR_MAX_PIXELS:
        factor = (OCR_MAX_PIXELS / (image.width * image.height)) ** 0.5
        image = image.resize((int(image.width * factor), int(image.height * factor)), Image.Resampling.LANCZOS)
        scale /= factor
    elif image.width < MIN_OCR_WIDTH:
        factor = MIN_OCR_WIDTH / max(image.width, 1)
        image = image.resize((int(image.width * factor), int(image.height * factor)), Image.Resampling.LANCZOS)
        scale /= factor
    image = deskew(image)
    languages = _LATIN if _LATIN in _available() else "eng"
    data = _read(image, languages)
    if languages == "eng":
        language = _language([word for word in data["text"] if word.strip()])
        if language != "eng":
            languages = f"{language}+eng"
            data = _read(image, languages)
    if _confidence(data) < LOW_CONFIDENCE:
        upright = _upright(image)
        if upright is not None:
            turned = _read(upright, languages)
            if _confidence(turned) > _confidence(data):
                image, data = upright, turned
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for index, word in enumerate(data["text"]):
        if word.strip() and float(data["conf"][index]) >= 0:
            key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
            grouped.setdefault(key, []).append(index)
    lines: list[Line] = []
    for indices in grouped.values():
        x0 = min(data["left"][i] for i in indices) * scale
        y0 = min(data["top"][i] for i in indices) * scale
        x1 = max(data["left"][i] + data["width"][i] for i in indices) * scale
        y1 = max(data["top"][i] + data["height"][i] for i in indices) * scale
        em = _em(data, indices)
        lines.append(Line(text=_spaced_words(data, indices, em), bbox=(x0, y0, x1, y1),
                          font_size=round(em * scale * 0.76, 1)))
    width = image.width * scale
    return Page(number=number, blocks=order_page(_restore_bullets(lines), width), width=width,
                height=image.height * scale, ocr=True, ocr_confidence=round(_confidence(data), 3))
