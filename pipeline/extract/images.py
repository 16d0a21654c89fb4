"""OCR through Tesseract: images (PNG, JPEG, TIFF, WebP, multi-page TIFF) and PDF pages without a text layer.

Pages are rendered at 300 DPI, turned upright with Tesseract's orientation detection when it is sure, and read
word by word so that every line keeps its box and the page its mean confidence.
"""

from __future__ import annotations

import io
import statistics
from typing import Any

import pymupdf
import pytesseract
from PIL import Image, ImageOps, UnidentifiedImageError

from pipeline.errors import OcrError, PageLimitExceeded
from pipeline.extract.layout import order_page
from schemas.document import Document, Line, Page

OCR_DPI = 300
MAX_PIXELS = 60_000_000
OCR_LANGUAGES = ("eng", "deu", "fra", "spa", "por")
OCR_TIMEOUT_SECONDS = 60

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def _languages() -> str:
    try:
        available = set(pytesseract.get_languages(config=""))
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrError("OCR is not available: Tesseract is not installed") from exc
    chosen = [lang for lang in OCR_LANGUAGES if lang in available]
    return "+".join(chosen) or "eng"


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
    pixmap = page.get_pixmap(dpi=OCR_DPI, colorspace=pymupdf.csGRAY)
    image = Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples)
    scale = 72 / OCR_DPI
    ocr_page = ocr_image(image, number, scale=scale)
    return Page(number=number, blocks=ocr_page.blocks, width=page.rect.width, height=page.rect.height, ocr=True,
                ocr_confidence=ocr_page.ocr_confidence)


def _upright(image: Image.Image) -> Image.Image:
    try:
        osd = pytesseract.image_to_osd(image, output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT_SECONDS)
    except (pytesseract.TesseractError, RuntimeError):
        return image
    rotate = int(osd.get("rotate", 0))
    if rotate and float(osd.get("orientation_conf", 0)) > 2.0:
        return image.rotate(-rotate, expand=True)
    return image


def ocr_image(image: Image.Image, number: int, scale: float = 1.0) -> Page:
    """One page of OCR: lines with boxes (in PDF points when scale is given) and the mean word confidence."""
    image = ImageOps.exif_transpose(image).convert("L")
    if image.width < 1500:
        factor = 1500 / max(image.width, 1)
        image = image.resize((int(image.width * factor), int(image.height * factor)), Image.Resampling.LANCZOS)
        scale /= factor
    image = _upright(image)
    try:
        data = pytesseract.image_to_data(image, lang=_languages(), config="--psm 3",
                                         output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT_SECONDS)
    except RuntimeError as exc:
        raise OcrError("OCR timed out") from exc
    except pytesseract.TesseractError as exc:
        raise OcrError(f"OCR failed: {exc.message}") from exc
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for index, word in enumerate(data["text"]):
        if word.strip() and float(data["conf"][index]) >= 0:
            key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
            grouped.setdefault(key, []).append(index)
    lines: list[Line] = []
    confidences: list[float] = []
    for indices in grouped.values():
        words = [data["text"][i].strip() for i in indices]
        confidences += [float(data["conf"][i]) for i in indices]
        x0 = min(data["left"][i] for i in indices) * scale
        y0 = min(data["top"][i] for i in indices) * scale
        x1 = max(data["left"][i] + data["width"][i] for i in indices) * scale
        y1 = max(data["top"][i] + data["height"][i] for i in indices) * scale
        lines.append(Line(text=" ".join(words), bbox=(x0, y0, x1, y1), font_size=round((y1 - y0) * 0.8, 1)))
    width = image.width * scale
    confidence = round(statistics.fmean(confidences) / 100, 3) if confidences else 0.0
    return Page(number=number, blocks=order_page(lines, width), width=width, height=image.height * scale, ocr=True,
                ocr_confidence=confidence)
