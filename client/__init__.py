"""A typed Python client of the resume-parser API, blocking (`ResumeParser`) and asyncio
(`AsyncResumeParser`), on httpx; answers are the API's own msgspec Structs from `schemas`."""

from client._wire import ParseDocument
from client.aio import AsyncResumeParser
from client.errors import (
    FeatureNotImplemented,
    FileTooLarge,
    IdempotencyConflict,
    InsufficientCredits,
    InternalError,
    InvalidRequest,
    MethodNotAllowed,
    NotFound,
    PageLimitExceeded,
    ParseFailed,
    RateLimited,
    ResumeParserError,
    ServiceUnavailable,
    Unauthorized,
    UnsupportedFileType,
    WaitTimeout,
)
from client.sync import ResumeParser
from schemas.request import ParseRequestConfig
from schemas.response import Accepted, Completed, Deleted, Failed, InProgress, RequestList, Usage
from schemas.result import Matching, ResumeResult

__all__ = [
    "Accepted",
    "AsyncResumeParser",
    "Completed",
    "Deleted",
    "Failed",
    "FeatureNotImplemented",
    "FileTooLarge",
    "IdempotencyConflict",
    "InProgress",
    "InsufficientCredits",
    "InternalError",
    "InvalidRequest",
    "Matching",
    "MethodNotAllowed",
    "NotFound",
    "PageLimitExceeded",
    "ParseDocument",
    "ParseFailed",
    "ParseRequestConfig",
    "RateLimited",
    "RequestList",
    "ResumeParser",
    "ResumeParserError",
    "ResumeResult",
    "ServiceUnavailable",
    "Unauthorized",
    "UnsupportedFileType",
    "Usage",
    "WaitTimeout",
]
