"""Persistence records shared by the store, the API and the workers (not wire types)."""

from __future__ import annotations

from typing import Any

from schemas.base import Base


class Account(Base):
    id: str
    name: str
    credits_total: int
    credits_used: int
    credits_reserved: int
    page_limit: int
    created_at: str

    @property
    def remaining(self) -> int:
        return self.credits_total - self.credits_used - self.credits_reserved


class ApiKey(Base):
    id: str
    account_id: str
    name: str
    prefix: str
    test: bool
    created_at: str
    revoked_at: str | None = None
    expires_at: str | None = None
    webhook_url: str | None = None


class NewRequest(Base):
    """Everything needed to run a request later, written before the task is sent."""

    request_id: str
    account_id: str
    key_id: str
    input_type: str
    config: dict[str, Any]
    estimated_credits: int
    test_mode: bool
    created_at: str
    expires_at: str
    file_name: str | None = None
    file_bytes: bytes | None = None
    raw_text: str | None = None
    input_data: Any = None
    job_description: str | None = None
    idempotency_key: str | None = None
    body_hash: str | None = None
    accepted_response: dict[str, Any] | None = None
    callback_url: str | None = None
    document_kind: str = "resume"


class RequestRecord(Base):
    request_id: str
    account_id: str
    key_id: str
    status: str
    current_stage: str | None
    progress_percentage: int
    input_type: str
    file_name: str | None
    file_size_bytes: int | None
    estimated_credits: int
    credits_consumed: int
    test_mode: bool
    created_at: str
    started_at: str | None
    completed_at: str | None
    attempts: int
    response: dict[str, Any] | None = None


class RequestState(Base):
    """A request as a poll reads it, in one read: the record, its stored response still JSON-encoded (sent as it
    is, not decoded and encoded again), and its webhook delivery if it has one."""

    record: RequestRecord
    encoded_response: bytes | None
    webhook: dict[str, Any] | None


class RequestInput(Base):
    """The stored input of a request, loaded by the worker that runs it."""

    request_id: str
    input_type: str
    config: dict[str, Any]
    file_name: str | None
    file_bytes: bytes | None
    raw_text: str | None
    input_data: Any
    job_description: str | None
    test_mode: bool
    document_kind: str = "resume"


class ClaimedRequest(Base):
    """A request a worker has just started an attempt on, with everything the attempt reads from the store:
    `balance` is the account's remaining credits at that moment (this request's reservation deducted)."""

    record: RequestRecord
    input: RequestInput
    page_limit: int | None
    balance: int
    has_webhook: bool


class IdempotentHit(Base):
    """A POST replayed with a known Idempotency-Key: the original answer, or a body mismatch."""

    request_id: str
    same_body: bool
    response: dict[str, Any]



class WebhookJob(Base):
    """A claimed webhook delivery: where to send which terminal document, signed with whose secret."""

    request_id: str
    url: str
    secret: str
    payload: dict[str, Any]
    attempts: list[dict[str, Any]]
