"""The one error envelope returned for every failure, and the stable error codes."""

from __future__ import annotations

from typing import Final

from schemas.base import Base


class FieldError(Base):
    path: str
    message: str
    code: str = "invalid"


class ErrorEnvelope(Base):
    code: str
    message: str
    field_errors: list[FieldError] = []


# HTTP-level codes (the `code` of the envelope).
INVALID_REQUEST: Final = "INVALID_REQUEST"
UNAUTHORIZED: Final = "UNAUTHORIZED"
INSUFFICIENT_CREDITS: Final = "INSUFFICIENT_CREDITS"
NOT_FOUND: Final = "NOT_FOUND"
METHOD_NOT_ALLOWED: Final = "METHOD_NOT_ALLOWED"
CONFLICT: Final = "IDEMPOTENCY_CONFLICT"
FILE_TOO_LARGE: Final = "FILE_TOO_LARGE"
UNSUPPORTED_FILE_TYPE: Final = "UNSUPPORTED_FILE_TYPE"
PAGE_LIMIT_EXCEEDED: Final = "PAGE_LIMIT_EXCEEDED"
RATE_LIMITED: Final = "RATE_LIMITED"
NOT_IMPLEMENTED: Final = "NOT_IMPLEMENTED"
SERVICE_UNAVAILABLE: Final = "SERVICE_UNAVAILABLE"
INTERNAL_ERROR: Final = "INTERNAL_ERROR"

# Terminal failure codes of a request (the `error_code` of the failed shape).
EXTRACTION_FAILED: Final = "EXTRACTION_FAILED"
OCR_FAILED: Final = "OCR_FAILED"
PARSE_FAILED: Final = "PARSE_FAILED"
LLM_ERROR: Final = "LLM_ERROR"
TIMEOUT: Final = "TIMEOUT"
