"""One exception class per error code of the API, so callers catch what they can act on.

Every class carries the envelope's `code`, `message` and `field_errors` and the HTTP `status`; errors the
client raises itself (a wait that ran out, a parse that ended failed) have no status.
"""

from __future__ import annotations

import httpx
import msgspec

from schemas import errors
from schemas.errors import ErrorEnvelope, FieldError
from schemas.response import Failed


class ResumeParserError(Exception):
    """An answer of the API that is not a success, or a request that did not end as asked."""

    def __init__(self, code: str, message: str, field_errors: list[FieldError] | None = None,
                 status: int | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.field_errors = field_errors or []
        self.status = status


class InvalidRequest(ResumeParserError):
    """400: a field is wrong; `field_errors[].path` names it."""


class Unauthorized(ResumeParserError):
    """401: the key is missing, unknown, revoked or expired."""


class InsufficientCredits(ResumeParserError):
    """402: the estimate does not fit the account's remaining credits."""


class NotFound(ResumeParserError):
    """404: no such request for this account."""


class MethodNotAllowed(ResumeParserError):
    """405: the route does not take this method."""


class IdempotencyConflict(ResumeParserError):
    """409: the Idempotency-Key was used before with a different body."""


class FileTooLarge(ResumeParserError):
    """413: the file is over the server's size limit."""


class UnsupportedFileType(ResumeParserError):
    """415: the bytes are not a format the server reads."""


class PageLimitExceeded(ResumeParserError):
    """422: the document has more pages than the key's plan allows."""


class RateLimited(ResumeParserError):
    """429 after the client's retries: `retry_after` is the server's advice in seconds, when it gave one."""

    retry_after: float | None = None


class FeatureNotImplemented(ResumeParserError):
    """501: an option the server does not offer (prompt check levels above basic)."""


class ServiceUnavailable(ResumeParserError):
    """503 after the client's retries: the server's database is unreachable for now."""


class InternalError(ResumeParserError):
    """500: the server failed unexpectedly."""


class WaitTimeout(ResumeParserError, TimeoutError):
    """`wait()` gave up before the request finished; the request itself goes on."""

    def __init__(self, request_id: str, timeout: float) -> None:
        super().__init__("WAIT_TIMEOUT", f"{request_id} did not finish within {timeout:g} s")
        self.request_id = request_id


class ParseFailed(ResumeParserError):
    """The request ended `failed`: `code` is its `error_code` (EXTRACTION_FAILED, OCR_FAILED, PARSE_FAILED,
    LLM_ERROR, TIMEOUT), `stage` where it stopped, `document` the whole failed answer."""

    def __init__(self, document: Failed) -> None:
        super().__init__(document.error_code, document.error)
        self.document = document
        self.request_id = document.request_id
        self.stage = document.error_stage


ERROR_CLASSES: dict[str, type[ResumeParserError]] = {
    errors.INVALID_REQUEST: InvalidRequest,
    errors.UNAUTHORIZED: Unauthorized,
    errors.INSUFFICIENT_CREDITS: InsufficientCredits,
    errors.NOT_FOUND: NotFound,
    errors.METHOD_NOT_ALLOWED: MethodNotAllowed,
    errors.CONFLICT: IdempotencyConflict,
    errors.FILE_TOO_LARGE: FileTooLarge,
    errors.UNSUPPORTED_FILE_TYPE: UnsupportedFileType,
    errors.PAGE_LIMIT_EXCEEDED: PageLimitExceeded,
    errors.RATE_LIMITED: RateLimited,
    errors.NOT_IMPLEMENTED: FeatureNotImplemented,
    errors.SERVICE_UNAVAILABLE: ServiceUnavailable,
    errors.INTERNAL_ERROR: InternalError,
}


# A body that is not the envelope (a proxy's error page) is classed by its status.
_CODES_BY_STATUS = {
    400: errors.INVALID_REQUEST, 401: errors.UNAUTHORIZED, 402: errors.INSUFFICIENT_CREDITS,
    404: errors.NOT_FOUND, 405: errors.METHOD_NOT_ALLOWED, 409: errors.CONFLICT, 413: errors.FILE_TOO_LARGE,
    415: errors.UNSUPPORTED_FILE_TYPE, 422: errors.PAGE_LIMIT_EXCEEDED, 429: errors.RATE_LIMITED,
    500: errors.INTERNAL_ERROR, 501: errors.NOT_IMPLEMENTED, 503: errors.SERVICE_UNAVAILABLE,
}


def error_from_response(response: httpx.Response, retry_after: float | None) -> ResumeParserError:
    """The exception for an error answer, chosen by the envelope's code."""
    status = response.status_code
    try:
        envelope = msgspec.json.decode(response.content, type=ErrorEnvelope)
    except msgspec.MsgspecError:
        envelope = ErrorEnvelope(code=_CODES_BY_STATUS.get(status, f"HTTP_{status}"),
                                 message=f"HTTP {status} {response.reason_phrase}".strip())
    error = ERROR_CLASSES.get(envelope.code, ResumeParserError)(
        envelope.code, envelope.message, envelope.field_errors, status)
    if isinstance(error, RateLimited):
        error.retry_after = retry_after
    return error
