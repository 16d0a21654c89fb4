"""OCR through Tesseract: images (PNG, JPEG, TIFF, WebP, multi-page TIFF) and PDF pages without a text layer.

Pages are rendered at 300 DPI, straightened, turned upright with Tesseract's orientation detection when a
first reading is unsure, and read word by word so that every line keeps its box and the page its mean
confidence.
"""

from __future__ import annotations

import functools
import io
import os
import statistics
import subprocess
from itertools import pairwise
from typing import Any, Final

import numpy
import pymupdf
import pytesseract
from PIL import Image, ImageOps, UnidentifiedImageError

from pipeline.errors import OcrError, PageLimitExceeded
from pipeline.extract.layout import order_page
from schemas.document import Document, Line, Page

OCR_DPI = 300
MAX_PIXELS = 60_000_000
# What OCR reads at most: an A3 page at 300 DPI is 17 megapixels; larger scans are scaled down to this first.
OCR_MAX_PIXELS = 24_000_000
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
    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    image = Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples)
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


def _spaced_words(data: dict[str, list[Any]], indices: list[int]) -> str:
    """A line's words; a wide gap between two words (tag lists, right-aligned dates) becomes a run of spaces,
    as the text layer of a PDF would show it. A bullet read as a letter ('e', '«') set apart from the text
    is a bullet again."""
    height = max(data["height"][i] for i in indices) or 1
    parts = [data["text"][indices[0]].strip()]
    for before, after in pairwise(indices):
        gap = data["left"][after] - (data["left"][before] + data["width"][before])
        parts.append(("    " if gap > 0.9 * height else " ") + data["text"][after].strip())
    if len(parts) > 1 and parts[0] in _BULLET_MISREADS and parts[1].startswith("    "):
        parts[0] = "•"
    return "".join(parts)


def ocr_image(image: Image.Image, number: int, scale: float = 1.0) -> Page:
    """One page of OCR: lines with boxes (in PDF points when scale is given) and the mean word confidence.

    English is read first; a page whose function words are German, French, Spanish or Portuguese is read
    again with that language, and a page read with low confidence is tried the right way up.
    """
    if "eng" not in _available():
        raise OcrError("OCR is not available: Tesseract has no English model")
    image = ImageOps.exif_transpose(image).convert("L")
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
        lines.append(Line(text=_spaced_words(data, indices), bbox=(x0, y0, x1, y1),
                          font_size=round((y1 - y0) * 0.8, 1)))
    width = image.width * scale
    return Page(number=number, blocks=order_page(lines, width), width=width, height=image.height * scale, ocr=True,
                ocr_confidence=round(_confidence(data), 3))
