"""The one exception-to-response map: every failure leaves the API as the same JSON envelope."""

from __future__ import annotations

import logging
import re
from typing import Any

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from schemas import errors
from schemas.errors import ErrorEnvelope, FieldError
from store.base import StoreUnavailable

log = logging.getLogger("resume_parser.api")


class ApiError(Exception):
    """An error the API answers with: status, stable code, message, optional field errors and headers."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field_errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field_errors = field_errors or []
        self.headers = headers or {}


def invalid(message: str, path: str, code: str = "invalid") -> ApiError:
    """A 400 for one bad field."""
    return ApiError(400, errors.INVALID_REQUEST, message, [FieldError(path=path, message=message, code=code)])


_NAMED_FIELD = re.compile(r"field `([^`]+)`")
_MSGSPEC_PATH = re.compile(r" - at `\$(?P<path>[^`]*)`$")


def from_msgspec(exc: msgspec.ValidationError | msgspec.DecodeError, prefix: str = "") -> ApiError:
    """Turn a msgspec error into a 400 with the failing field's dotted path."""
    text = str(exc)
    match = _MSGSPEC_PATH.search(text)
    raw_path = match.group("path") if match else ""
    message = _MSGSPEC_PATH.sub("", text)
    path = re.sub(r"\[(\d+)\]", r".\1", raw_path).lstrip(".")
    named = _NAMED_FIELD.search(message)
    if named and message.startswith(("Object missing required field", "Object contains unknown field")):
        path = f"{path}.{named.group(1)}" if path else named.group(1)
    if prefix:
        path = f"{prefix}.{path}" if path else prefix
    if isinstance(exc, msgspec.DecodeError):
        return ApiError(400, errors.INVALID_REQUEST, f"malformed JSON: {message}",
                        [FieldError(path=path or "body", message=message, code="malformed")])
    field = FieldError(path=path or "body", message=message, code=_field_code(message))
    return ApiError(400, errors.INVALID_REQUEST, f"invalid request: {message}", [field])


def _field_code(message: str) -> str:
    if message.startswith("Object missing required field"):
        return "required"
    if message.startswith("Object contains unknown field"):
        return "unknown_field"
    if message.startswith("Expected") and "length" in message:
        return "length"
    if message.startswith("Expected `int` >=") or message.startswith("Expected `int` <="):
        return "range"
    if message.startswith("Invalid enum value"):
        return "enum"
    return "invalid"


_HTTP_CODES = {
    400: errors.INVALID_REQUEST,
    401: errors.UNAUTHORIZED,
    402: errors.INSUFFICIENT_CREDITS,
    404: errors.NOT_FOUND,
    405: errors.METHOD_NOT_ALLOWED,
    409: errors.CONFLICT,
    413: errors.FILE_TOO_LARGE,
    415: errors.UNSUPPORTED_FILE_TYPE,
    422: errors.PAGE_LIMIT_EXCEEDED,
    429: errors.RATE_LIMITED,
    501: errors.NOT_IMPLEMENTED,
    503: errors.SERVICE_UNAVAILABLE,
}

_HTTP_MESSAGES = {
    404: "no such resource",
    405: "method not allowed on this resource",
    413: "the request body is larger than the limit",
}


def envelope_response(
    status: int, code: str, message: str, field_errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[bytes]:
    body = msgspec.json.encode(ErrorEnvelope(code=code, message=message, field_errors=field_errors or []))
    return Response(content=body, status_code=status, media_type=MediaType.JSON, headers=headers)


def handle_api_error(request: Request[Any, Any, Any], exc: ApiError) -> Response[bytes]:
    return envelope_response(exc.status, exc.code, exc.message, exc.field_errors,
                             exc.headers)


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    if status >= 500 and status != 503:
        log.error("HTTP %s on %s", status, request.url.path)
        return envelope_response(HTTP_500_INTERNAL_SERVER_ERROR, errors.INTERNAL_ERROR, "internal error")
    field_errors: list[FieldError] = []
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
        for item in exc.extra:
            if isinstance(item, dict):
                field_errors.append(FieldError(path=str(item.get("key") or item.get("source") or "body"),
                                               message=str(item.get("message", "invalid"))))
    code = _HTTP_CODES.get(status, errors.INVALID_REQUEST)
    message = _HTTP_MESSAGES.get(status) or str(exc.detail) or "invalid request"
    headers = dict(exc.headers or {})
    return envelope_response(status, code, message, field_errors, headers)


def handle_store_unavailable(request: Request[Any, Any, Any], exc: StoreUnavailable) -> Response[bytes]:
    log.warning("store unavailable on %s", request.url.path)
    return envelope_response(503, errors.SERVICE_UNAVAILABLE, "the service is temporarily unavailable",
                             headers={"retry-after": "5"})


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    log.exception("unexpected error on %s", request.url.path)
    return envelope_response(500, errors.INTERNAL_ERROR, "internal error")


EXCEPTION_HANDLERS: Any = {
    ApiError: handle_api_error,
    HTTPException: handle_http_exception,
    StoreUnavailable: handle_store_unavailable,
    Exception: handle_unexpected,
}
