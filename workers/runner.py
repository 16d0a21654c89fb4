"""Execute one accepted request against the store: the same code for the embedded pool and Celery.

The request row is the single source of truth: a worker claims an attempt, records each stage as it starts,
and finishes with a conditional write, so a duplicate delivery of the same request never charges twice.
"""

from __future__ import annotations

import functools
import logging
import time
from typing import Any, Literal

import msgspec

from pipeline.errors import PipelineError, ResourceLimitExceeded, StageTimeout
from pipeline.extract import extract
from pipeline.fetch import FetchPolicy
from pipeline.llm import Llm, LlmSettings
from pipeline.run import Extractor, PipelineInput, run_pipeline
from pipeline.validate import prepare_prompt_check
from resume_parser.clock import now_iso
from resume_parser.settings import Settings
from schemas import errors
from schemas.document import Document
from schemas.records import RequestInput, RequestRecord
from schemas.request import ParseRequestConfig, resolve_config
from store.base import Store
from taxonomy import load as load_taxonomy
from taxonomy import occupations as load_occupations
from workers.documents import completed_document, failed_document
from workers.isolation import ExtractionPool

log = logging.getLogger("resume_parser.worker")


class RequestGone(Exception):
    """The request was deleted or finished elsewhere while this worker was running it."""


def warm_up() -> None:
    """Load what the first request would otherwise wait for: the taxonomy, the occupations, the prompt check."""
    load_taxonomy()
    load_occupations()
    prepare_prompt_check()


def execute_request(store: Store, request_id: str, settings: Settings,
                    pool: ExtractionPool | None = None) -> str | None:
    """Run the request to a terminal state; returns that state, or None when there was nothing to do.

    With a `pool`, the file is read in one of its memory-limited children, under the request's deadline.
    """
    if not store.start_attempt(request_id, now_iso()):
        return None
    record = store.get_request(request_id)
    stored = store.load_input(request_id)
    if record is None or stored is None:
        return None
    started = time.monotonic()
    deadline = started + settings.task_time_limit

    def on_stage(stage: str, progress: int) -> None:
        if time.monotonic() > deadline:
            raise StageTimeout(f"the request exceeded its time limit of {settings.task_time_limit:g} s")
        if not store.mark_stage(request_id, stage, progress):
            raise RequestGone(request_id)

    config = resolve_config(
        msgspec.convert(stored.config, ParseRequestConfig), bool(stored.job_description)
    )
    account = store.get_account(record.account_id)
    page_limit = account.page_limit if account is not None else None
    try:
        output = run_pipeline(
            _pipeline_input(stored, page_limit),
            config,
            on_stage,
            FetchPolicy(allowlist=settings.url_allowlist_entries, max_bytes=settings.max_file_bytes),
            extract if pool is None else _isolated(pool, deadline),
            llm=_llm(settings.llm),
            test_mode=record.test_mode,
            deadline=deadline,
        )
    except RequestGone:
        log.info("request %s was removed while running", request_id)
        return None
    except PipelineError as error:
        fail_request(store, record, error.code, error.message, error.stage)
        return "failed"
    except MemoryError:
        log.warning("request %s ran out of its memory limit", request_id)
        limit = ResourceLimitExceeded()
        fail_request(store, record, limit.code, limit.message, record.current_stage)
        return "failed"
    except Exception:
        log.exception("request %s failed unexpectedly", request_id)
        fail_request(store, record, errors.PARSE_FAILED, "the resume could not be parsed", "parse")
        return "failed"

    credits = 0 if record.test_mode else record.estimated_credits
    completed_at = now_iso()
    document = completed_document(
        request_id=request_id,
        created_at=record.created_at,
        completed_at=completed_at,
        duration_ms=int((time.monotonic() - started) * 1000),
        credits=credits,
        remaining_balance=_balance_after(store, record, credits),
        estimated_credits=record.estimated_credits,
        file_size_bytes=record.file_size_bytes,
        output=output,
        test_mode=record.test_mode,
    )
    if store.complete(request_id, document, output.raw_text, credits, completed_at):
        log.info("request %s completed", request_id)
        return "completed"
    return None


def fail_request(store: Store, record: RequestRecord, code: str, message: str, stage: str | None) -> bool:
    """Write the failed document and refund the reservation (no-op for a request already terminal)."""
    document = failed_document(
        request_id=record.request_id,
        created_at=record.created_at,
        completed_at=now_iso(),
        code=code,
        message=message,
        stage=stage,
        remaining_balance=_balance_after(store, record, 0),
    )
    done = store.fail(record.request_id, document, now_iso())
    if done:
        log.info("request %s failed with %s", record.request_id, code)
    return done


def _balance_after(store: Store, record: RequestRecord, charged: int) -> int:
    """The account's remaining credits once this request's reservation is settled."""
    account = store.get_account(record.account_id)
    if account is None:
        return 0
    reserved = 0 if record.test_mode else record.estimated_credits
    return account.remaining + reserved - charged


@functools.cache
def _llm(settings: LlmSettings | None) -> Llm | None:
    """One LLM client per worker process and settings, so its concurrency cap holds across its threads."""
    return Llm(settings) if settings is not None else None


def _isolated(pool: ExtractionPool, deadline: float) -> Extractor:
    """The pool's extraction, bounded by what is left of the request's time."""

    def extract_in_pool(data: bytes, *, filename: str | None = None,
                        mode: Literal["file", "ocr", "auto"] = "auto", max_pages: int | None = None) -> Document:
        return pool.extract(data, filename=filename, mode=mode, max_pages=max_pages,
                            timeout=max(1.0, deadline - time.monotonic()))

    return extract_in_pool


def _pipeline_input(stored: RequestInput, page_limit: int | None) -> PipelineInput:
    data: Any = stored.input_data
    kind = stored.input_type
    return PipelineInput(
        kind="file" if kind == "file" else kind,  # type: ignore[arg-type]
        file_bytes=stored.file_bytes,
        file_name=stored.file_name,
        url=data if kind == "url" and isinstance(data, str) else None,
        raw_text=stored.raw_text,
        prior=data if kind == "result" and isinstance(data, dict) else None,
        job_description=stored.job_description,
        max_pages=page_limit,
    )
