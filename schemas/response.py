"""Response bodies of the parse API: accepted, in progress, completed, failed, lists and usage."""

from __future__ import annotations

from typing import Literal

import msgspec

from schemas.base import Base
from schemas.request import RedactCategory
from schemas.result import AiFeatures, Checks, Matching, ResumeResult

Status = Literal["created", "parsing", "completed", "failed"]
Stage = Literal["extract", "validate", "parse", "skills", "matching"]
RedactedKind = Literal[
    "name", "email", "phone", "url", "profile", "location", "photo", "gender", "date_of_birth", "age",
    "nationality", "marital_status", "school",
]


class Accepted(Base):
    request_id: str
    status: Literal["created"]
    estimated_credits: int
    remaining_balance: int
    created_at: str


class WebhookAttempt(Base):
    attempt: int
    attempted_at: str
    status_code: int | None
    error: str | None
    duration_ms: int


class WebhookStatus(Base):
    """Where the terminal response is POSTed and how that went: `waiting` for the request to finish, `sending`,
    `retrying` at `next_attempt_at`, `delivered`, or `failed` after the last retry or a refused address."""

    url: str
    status: Literal["waiting", "sending", "retrying", "delivered", "failed"]
    attempts: list[WebhookAttempt]
    next_attempt_at: str | None


class InProgress(Base, omit_defaults=True):
    request_id: str
    status: Literal["created", "parsing"]
    current_stage: Stage | None
    progress_percentage: int
    estimated_completion: str | None
    created_at: str
    webhook: WebhookStatus | None = None


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


class RedactedItem(Base):
    """What kind of item was taken out and where: a field path (`result.personal_info.email`, `raw_text`,
    `result.experience[0].highlights[1]`) and how many times there, never the value itself."""

    kind: RedactedKind
    path: str
    count: int = 1


class Redaction(Base):
    """The fair-screening report: the categories asked for, the mask put in free text (`[REDACTED:<kind>]`,
    e.g. `[REDACTED:email]`; whole fields such as `personal_info.email` are set to null instead) and the items."""

    categories: list[RedactCategory]
    mask: str = "[REDACTED:<kind>]"
    items: list[RedactedItem] = []


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
    redaction: Redaction | None = None
    webhook: WebhookStatus | None = None


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
    webhook: WebhookStatus | None = None


class BatchDeleted(Base):
    batch_id: str
    deleted: bool


class BatchItemAccepted(Base):
    request_id: str
    file_name: str | None
    estimated_credits: int


class BatchAccepted(Base):
    """202 to `POST /v1/parse/batch`: one request per item, every item's credits reserved together."""

    batch_id: str
    status: Literal["created"]
    items: list[BatchItemAccepted]
    estimated_credits: int
    remaining_balance: int
    created_at: str


class BatchCounts(Base):
    created: int = 0
    parsing: int = 0
    completed: int = 0
    failed: int = 0


class BatchItemStatus(Base):
    request_id: str
    status: Status
    file_name: str | None
    current_stage: Stage | None
    progress_percentage: int
    credits_consumed: int
    error_code: str | None = None


class BatchStatus(Base):
    """`GET /v1/parse/batch/{id}`: progress over the items; each item's document is at `/v1/parse/{id}`."""

    batch_id: str
    status: Literal["created", "parsing", "completed"]
    created_at: str
    total: int
    counts: BatchCounts
    progress_percentage: int
    credits_consumed: int
    items: list[BatchItemStatus]


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

