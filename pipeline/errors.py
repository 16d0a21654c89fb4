"""Errors raised by pipeline stages; each carries the stable failure code and the stage it came from."""

from __future__ import annotations

from schemas import errors


class PipelineError(Exception):
    """A request cannot be completed; `code` is one of the terminal failure codes."""

    code: str = errors.PARSE_FAILED
    stage: str = "parse"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ExtractionError(PipelineError):
    code = errors.EXTRACTION_FAILED
    stage = "extract"


class OcrError(PipelineError):
    code = errors.OCR_FAILED
    stage = "extract"


class ParseError(PipelineError):
    code = errors.PARSE_FAILED
    stage = "parse"


class UnsupportedFileType(ExtractionError):
    """The bytes are not a format we read (the API answers 415 before accepting)."""


class PageLimitExceeded(ExtractionError):
    """More pages than allowed (the API answers 422 before accepting)."""

    def __init__(self, pages: int, limit: int) -> None:
        super().__init__(f"the document has {pages} pages; the limit is {limit}")
        self.pages = pages
        self.limit = limit

    def __reduce__(self) -> tuple[type[PageLimitExceeded], tuple[int, int]]:
        """Rebuilt from its numbers when it crosses from an extraction child to the worker."""
        return PageLimitExceeded, (self.pages, self.limit)


class ResourceLimitExceeded(ExtractionError):
    """Reading the file needs more memory than a task may use (a bomb, or a file far beyond a resume)."""

    def __init__(self, message: str = "the file needs more memory than a task may use") -> None:
        super().__init__(message)


class StageTimeout(PipelineError):
    """The request ran past its time limit."""

    code = errors.TIMEOUT
    stage = "extract"
