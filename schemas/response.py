"""Response bodies of the parse API: accepted, in progress, completed, failed, lists and usage."""

from __future__ import annotations

from typing import Literal

import msgspec

from schemas.base import Base
from schemas.result import AiFeatures, Checks, Matching, ResumeResult

Status = Literal["created", "parsing", "completed", "failed"]
Stage = Literal["extract", "validate", "parse", "skills", "matching"]


class Accepted(Base):
    request_id: str
    status: Literal["created"]
    estimated_credits: int
    remaining_balance: int
    created_at: str


class InProgress(Base):
    request_id: str
    status: Literal["created", "parsing"]
    current_stage: Stage | None
    progress_percentage: int
    estimated_completion: str | None
    created_at: str


class ExtractMeta(Base, omit_defaults=True):
    skipped: bool | None = None
    source_format: str | None = None
    page_count: int | None = None
    ocr_pages: list[int] | None = None
    ocr_confidence: list[float] | None = None


class PromptLevelMeta(Base):
    level: str


class ValidateMeta(Base, omit_defaults=True):
    skipped: bool | None = None
    prompt: PromptLevelMeta | None = None


class LlmMeta(Base):
    """What an LLM tier's call cost and what of its answer was kept: `dropped_values` the resume's text did not
    support, by path (`experience[1].company`), never by value."""

    model: str
    calls: int = 1
    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    dropped_values: int = 0
    dropped_paths: list[str] = []


class ParseMeta(Base, omit_defaults=True):
    skipped: bool | None = None
    model_tier: str | None = None
    confidence_score: float | None = None
    skills_skipped: bool | None = None
    llm: LlmMeta | None = None
    test_data: bool | None = None


class MatchingMeta(Base, omit_defaults=True):
    skipped: bool | None = None
    model_tier: str | None = None
    llm: LlmMeta | None = None
    test_data: bool | None = None


class Metadata(Base):
    parser_version: str
    file_size_bytes: int | None
    estimated_credits: int
    extract: ExtractMeta
    validate: ValidateMeta
    parse: ParseMeta
    matching: MatchingMeta


class Completed(Base):
    request_id: str
    status: Literal["completed"]
    created_at: str
    completed_at: str
    duration_ms: int
    credits_consumed: int
    remaining_balance: int
    metadata: Metadata
    checks: Checks
    ai_features: AiFeatures | None
    matching: Matching | None
    raw_text: str | None
    result: ResumeResult | None
    test_mode: bool = False


class Failed(Base):
    request_id: str
    status: Literal["failed"]
    created_at: str
    completed_at: str
    error: str
    error_code: str
    error_stage: Stage | None
    credits_consumed: int
    remaining_balance: int
    raw_text: None = None


class RequestSummary(Base):
    request_id: str
    status: Status
    created_at: str
    completed_at: str | None
    input_type: str
    file_name: str | None
    credits_consumed: int
    test_mode: bool


class RequestList(Base):
    data: list[RequestSummary]
    has_more: bool
    first_id: str | None
    last_id: str | None


class Deleted(Base):
    request_id: str
    deleted: bool


class Credits(Base):
    total: int
    used: int
    reserved: int
    remaining: int


class RateLimitInfo(Base):
    limit: int
    window_seconds: int


class Usage(Base):
    account_id: str
    credits: Credits
    parses_this_period: int
    period_start: str
    rate_limit: RateLimitInfo


class Health(Base):
    status: Literal["ok", "degraded"]
    version: str
    store: str
    dispatcher: str
    checks: dict[str, str] = msgspec.field(default_factory=dict)

