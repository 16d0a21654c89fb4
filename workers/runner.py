"""Execute one accepted request against the store: the same code for the embedded pool and Celery.

The request row is the single source of truth: a worker claims an attempt (one statement that also reads
everything the attempt needs), records the stages that last (`workers.progress`), and finishes with a
conditional write, so a duplicate delivery of the same request never charges twice. A store outage is not
the request's fault: it propagates, so the caller retries the request later.
"""

from __future__ import annotations

import functools
import gc
import logging
import threading
import time
from typing import Any, Literal

import msgspec

from pipeline.cover_letter import CoverLetterOutput, run_cover_letter
from pipeline.errors import PipelineError, ResourceLimitExceeded, StageTimeout
from pipeline.extract import extract
from pipeline.fetch import FetchPolicy
from pipeline.llm import Llm, LlmSettings
from pipeline.parse.places import cities
from pipeline.run import STAGE_PROGRESS, Extractor, PipelineInput, PipelineOutput, run_pipeline
from resume_parser.clock import now_iso
from resume_parser.settings import Settings
from schemas import errors
from schemas.document import Document
from schemas.records import ClaimedRequest, RequestInput, RequestRecord
from schemas.request import ParseRequestConfig, resolve_config
from store.base import Store, StoreUnavailable
from taxonomy import load as load_taxonomy
from taxonomy import occupations as load_occupations
from workers.documents import completed_document, failed_document
from workers.isolation import ExtractionPool
from workers.progress import Progress, RequestGone, StageMarks
from workers.webhooks import deliver as deliver_webhook

log = logging.getLogger("resume_parser.worker")

MAX_ATTEMPTS = 3
_WARM_UP = threading.Lock()
FIRST_STAGE = "extract"
_stage_marks = StageMarks()


# A made-up resume with a city and a misspelt skill, so that warming up reaches the gazetteer and the fuzzy index.
_WARM_UP_RESUME = (
    "Jane Doe\njane.doe@example.com | +1 312 555 0100\nChicago, IL\n\nEXPERIENCE\nSoftware Engineer, Acme Corp\n"
    "Jan 2020 - Present\n- Built data pipelines in Python\n\nEDUCATION\nBSc Computer Science, University of Illinois, "
    "2019\n\nSKILLS\nPython, Kubernettes, SQL\n"
)


def warm_up() -> None:
    """Load what the first request would otherwise wait for: the taxonomy, the occupations, the gazetteer, and
    what a parse loads on first use (the fuzzy index, compiled patterns), by parsing a made-up resume; then start
    the thread that writes stage marks. Without the parse a new worker's first resume took 0.5-0.9 s instead of
    40 ms, and requests arriving meanwhile queued behind it.

    The prompt check, which a request must ask for, compiles its patterns on first use (half a second of CPU
    that would otherwise hold up every worker's start).

    The garbage collector is paused while the data loads: it holds no cycles, and collecting while it is built
    only scans it again and again (a fifth of the time). Callers at the same time wait for the one warm-up."""
    with _WARM_UP:
        collecting = gc.isenabled()
        gc.disable()
        try:
            load_taxonomy()
            load_occupations()
            cities()
        finally:
            if collecting:
                gc.enable()
        run_pipeline(PipelineInput(kind="text", raw_text=_WARM_UP_RESUME), resolve_config(ParseRequestConfig(), False))
    _stage_marks.ensure_running()


def execute_request(store: Store, request_id: str, settings: Settings,
                    pool: ExtractionPool | None = None) -> str | None:
    """Run the request to a terminal state, then send its webhook if it has one; returns that state, or None
    when there was nothing to do.

    With a `pool`, the file is read in one of its memory-limited children, under the request's deadline.
    """
    claimed = store.claim_request(request_id, now_iso(), FIRST_STAGE, STAGE_PROGRESS[FIRST_STAGE], MAX_ATTEMPTS)
    if claimed is None:
        return None
    progress = _stage_marks.start(store, request_id, FIRST_STAGE)
    try:
        state = _run_claimed(store, claimed, progress, settings, pool)
    finally:
        progress.finish()
    if state is not None and claimed.has_webhook:
        deliver_webhook(store, request_id, settings)
    return state


def _run_claimed(store: Store, claimed: ClaimedRequest, progress: Progress, settings: Settings,
                 pool: ExtractionPool | None) -> str | None:
    record, stored = claimed.record, claimed.input
    request_id = record.request_id
    if record.attempts > MAX_ATTEMPTS:
        # Each earlier attempt died with its process (a crash, a kill past the hard time limit): stop redelivering.
        fail_request(store, record, errors.TIMEOUT, "the request did not finish after repeated attempts",
                     record.current_stage)
        return "failed"
    started = time.monotonic()
    deadline = started + settings.task_time_limit
    running_stage: list[str | None] = [record.current_stage]

    def on_stage(stage: str, percentage: int) -> None:
        if time.monotonic() > deadline:
            raise StageTimeout(f"the request exceeded its time limit of {settings.task_time_limit:g} s")
        progress.enter(stage, percentage)
        running_stage[0] = stage

    config = resolve_config(
        msgspec.convert(stored.config, ParseRequestConfig), bool(stored.job_description)
    )
    fetch_policy = FetchPolicy(allowlist=settings.url_allowlist_entries, max_bytes=settings.max_file_bytes)
    extractor = extract if pool is None else _isolated(pool, deadline)
    output: PipelineOutput | CoverLetterOutput
    try:
        if stored.document_kind == "cover_letter":
            output = run_cover_letter(_pipeline_input(stored, claimed.page_limit), config, on_stage, fetch_policy,
                                      extractor)
        else:
            output = run_pipeline(_pipeline_input(stored, claimed.page_limit), config, on_stage, fetch_policy,
                                  extractor, llm=_llm(settings.llm), test_mode=record.test_mode, deadline=deadline)
    except RequestGone:
        log.info("request %s was removed while running", request_id)
        return None
    except StoreUnavailable:
        raise
    except Exception as error:
        if time.monotonic() >= deadline:
            # Whatever broke once the time was up (a worker's soft time limit interrupting a reader) is a timeout.
            fail_request(store, record, errors.TIMEOUT,
                         f"the request exceeded its time limit of {settings.task_time_limit:g} s", running_stage[0])
            return "failed"
        if isinstance(error, PipelineError):
            fail_request(store, record, error.code, error.message, error.stage)
            return "failed"
        return _unexpected_failure(store, record, error, running_stage[0])

    credits = 0 if record.test_mode else record.estimated_credits
    completed_at = now_iso()
    document = completed_document(
        request_id=request_id,
        created_at=record.created_at,
        completed_at=completed_at,
        duration_ms=int((time.monotonic() - started) * 1000),
        credits=credits,
        remaining_balance=claimed.balance,  # the whole reservation is charged: the balance does not move
        estimated_credits=record.estimated_credits,
        file_size_bytes=record.file_size_bytes,
        output=output,
        test_mode=record.test_mode,
    )
    if store.complete(request_id, document, output.raw_text, credits, completed_at):
        log.info("request %s completed", request_id)
        return "completed"
    return None


def _unexpected_failure(store: Store, record: RequestRecord, error: Exception, stage: str | None) -> str:
    if isinstance(error, MemoryError):
        log.warning("request %s ran out of its memory limit", record.request_id)
        limit = ResourceLimitExceeded()
        fail_request(store, record, limit.code, limit.message, stage)
    else:
        log.exception("request %s failed unexpectedly", record.request_id)
        fail_request(store, record, errors.PARSE_FAILED, "the resume could not be parsed", "parse")
    return "failed"


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
