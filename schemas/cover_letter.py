"""The result of `POST /v1/cover-letter/parse`: who wrote the letter, to whom, for which role, and its text."""

from __future__ import annotations

from typing import Literal

from schemas.base import Base
from schemas.response import ExtractMeta, WebhookStatus
from schemas.result import PersonalInfo


class CoverLetterResult(Base):
    """`personal_info` is the writer's; `hiring_manager` and `company` the addressee's as the letter names them;
    `letter_text` the paragraphs from the salutation to the closing, without the address blocks."""

    personal_info: PersonalInfo
    date: str | None = None
    hiring_manager: str | None = None
    company: str | None = None
    role: str | None = None
    salutation: str | None = None
    letter_text: str | None = None
    closing: str | None = None


class CoverLetterMetadata(Base):
    parser_version: str
    document: Literal["cover_letter"]
    file_size_bytes: int | None
    estimated_credits: int
    extract: ExtractMeta


class CoverLetterCompleted(Base):
    request_id: str
    status: Literal["completed"]
    created_at: str
    completed_at: str
    duration_ms: int
    credits_consumed: int
    remaining_balance: int
    metadata: CoverLetterMetadata
    raw_text: str | None
    result: CoverLetterResult
    test_mode: bool = False
    webhook: WebhookStatus | None = None
