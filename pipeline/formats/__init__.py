"""Output formats of a parsed resume besides the JSON response: one entry point, `render`."""

from __future__ import annotations

from typing import Final, Literal, get_args

import msgspec

from pipeline.formats.hropen import to_hropen
from pipeline.formats.jsonresume import to_json_resume
from pipeline.formats.markdown import render_markdown
from schemas.response import Redaction
from schemas.result import ResumeResult

OutputFormat = Literal["json", "markdown", "jsonresume", "hropen"]
OUTPUT_FORMATS: Final[tuple[str, ...]] = get_args(OutputFormat)
MEDIA_TYPES: Final[dict[OutputFormat, str]] = {
    "json": "application/json", "markdown": "text/markdown; charset=utf-8", "jsonresume": "application/json",
    "hropen": "application/json",
}


def render(result: ResumeResult, fmt: OutputFormat, redaction: Redaction | None = None) -> bytes:
    """The result in `fmt`, as the bytes to send (UTF-8); `json` is the result object alone."""
    if fmt == "markdown":
        return render_markdown(result, redaction).encode()
    if fmt == "jsonresume":
        return msgspec.json.encode(to_json_resume(result))
    if fmt == "hropen":
        return msgspec.json.encode(to_hropen(result))
    return msgspec.json.encode(result)
