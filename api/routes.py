"""Route handlers for `/v1/parse`, `/v1/usage` and `/health`. Thin: validate, store, dispatch, answer."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import timedelta
from typing import Annotated, Any, Literal, cast

import anyio.to_thread
import msgspec
from litestar import Request, Response, delete, get, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.status_codes import HTTP_202_ACCEPTED

from api.auth import Principal
from api.errors import ApiError, invalid
from api.intake import (
    Intake,
    build_request,
    check_callback,
    check_cover_letter,
    check_pages,
    check_tiers,
    from_json,
    from_multipart,
)
from api.notices import RECHECK_SECONDS
from api.state import Services, services_of
from pipeline.formats import MEDIA_TYPES, OUTPUT_FORMATS, OutputFormat, render
from pipeline.redact import redact_document
from resume_parser import __version__
from resume_parser.clock import iso, utcnow
from schemas import errors
from schemas.errors import ErrorEnvelope
from schemas.json_schema import SCHEMA_FILE
from schemas.records import IdempotentHit, RequestRecord, RequestState
from schemas.request import RedactConfig, redact_config_from
from schemas.response import (
    Accepted,
    Completed,
    Credits,
    Deleted,
    Health,
    InProgress,
    RateLimitInfo,
    Redaction,
    RequestList,
    RequestSummary,
    Usage,
    WebhookStatus,
)
from schemas.result import ResumeResult
from store.base import InsufficientCredits

MAX_WAIT_SECONDS = 30
MULTIPART_OVERHEAD = 256 * 1024
TYPICAL_SECONDS = 2.0
TERMINAL = ("completed", "failed")


def _docs(ok_status: int, ok: Any, description: str, *error_statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI response documentation: the success body and the error envelope of each failure status."""
    specs = {ok_status: ResponseSpec(data_container=ok, description=description, generate_examples=False)}
    for status in (401, 429, *error_statuses):
        specs[status] = ResponseSpec(data_container=ErrorEnvelope, description="error", generate_examples=False)
    return specs


def _json(content: Any, status: int = 200) -> Response[bytes]:
    return Response(content=msgspec.json.encode(content), status_code=status, media_type="application/json")


async def _blocking(fn: Any, *args: Any) -> Any:
    return await anyio.to_thread.run_sync(fn, *args)


@post("/v1/parse", status_code=HTTP_202_ACCEPTED,
      responses=_docs(202, Accepted, "accepted", 400, 402, 409, 413, 415, 422, 501, 503))
async def create_parse(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> Response[bytes]:
    """Accept a resume (JSON or multipart) and answer 202 with the request id; parsing happens elsewhere."""
    return await _receive(request, principal, "resume")


@post("/v1/cover-letter/parse", status_code=HTTP_202_ACCEPTED,
      responses=_docs(202, Accepted, "accepted; poll /v1/parse/{request_id}", 400, 402, 409, 413, 415, 422, 503))
async def create_cover_letter_parse(request: Request[Any, Any, Any],
                                    principal: NamedDependency[Principal]) -> Response[bytes]:
    """Accept a cover letter (a file, a URL or text) and answer 202; the letter is read by the same workers and
    polled at `/v1/parse/{request_id}`."""
    return await _receive(request, principal, "cover_letter")


async def _receive(request: Request[Any, Any, Any], principal: Principal, document_kind: str) -> Response[bytes]:
    services = services_of(request.app.state)
    settings = services.settings
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_file_bytes + MULTIPART_OVERHEAD:
        raise ApiError(413, errors.FILE_TOO_LARGE, f"the request body is larger than the limit of "
                       f"{settings.max_file_bytes} bytes per resume; send several resumes to /v1/parse/batch")
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        intake = await from_multipart(await request.form(), settings)
    elif content_type.startswith("application/json") or not content_type:
        intake = from_json(await request.body())
    else:
        raise ApiError(415, errors.UNSUPPORTED_FILE_TYPE,
                       "send application/json or multipart/form-data with a `file` field")
    if document_kind == "cover_letter":
        check_cover_letter(intake)
    check_tiers(intake, principal.test, settings)
    idempotency_key = request.headers.get("idempotency-key") or None
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 255:
        raise invalid("Idempotency-Key must be 1 to 255 characters", "headers.idempotency-key")
    accepted, to_send = await _blocking(_accept, services, intake, principal, idempotency_key, document_kind)
    answer = _json(accepted, HTTP_202_ACCEPTED)
    if to_send is not None:
        answer.background = BackgroundTask(_send_after_answer, services, to_send)
    return answer


async def _send_after_answer(services: Services, request_id: str) -> None:
    """Hand the stored request to the dispatcher once the 202 has gone out: publishing it is a millisecond or two
    of Python on the sender thread, which, started before the answer was written, held the answer up."""
    services.dispatcher.submit_soon(request_id)


def _accept(services: Services, intake: Intake, principal: Principal, idempotency_key: str | None,
            document_kind: str) -> tuple[Any, str | None]:
    """Check the account, the pages and the webhook address and store the request, in one trip to a worker
    thread; returns the answer and the id of the request to send (none when an Idempotency-Key repeats one)."""
    account = services.store.get_account(principal.account_id)
    if account is None:
        raise ApiError(401, errors.UNAUTHORIZED, "the key's account no longer exists")
    check_pages(intake, account)
    callback_url = intake.callback_url or principal.webhook_url
    check_callback(callback_url, services.settings)
    new = build_request(intake, account, principal.key_id, principal.test, services.settings, idempotency_key,
                        callback_url)
    new = msgspec.structs.replace(new, document_kind=document_kind)
    try:
        created = services.store.create_request(new)
    except InsufficientCredits as exc:
        raise ApiError(402, errors.INSUFFICIENT_CREDITS, str(exc)) from exc
    if isinstance(created, IdempotentHit):
        if not created.same_body:
            raise ApiError(409, errors.CONFLICT, "this Idempotency-Key was used with a different request body")
        return created.response, None
    return new.accepted_response, created.request_id  # stored: a send that fails is the sweeper's to redo


@get("/v1/parse/{request_id:str}",
     responses=_docs(200, Completed, "completed (or the in-progress and failed shapes)", 400, 404))
async def get_parse(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    request_id: FromPath[str],
    wait: Annotated[int, QueryParameter(ge=0, le=MAX_WAIT_SECONDS, description="long-poll up to N seconds")] = 0,
    output_format: Annotated[str, QueryParameter(
        name="format", description="json (the whole response), markdown, jsonresume or hropen")] = "json",
    redact: Annotated[str | None, QueryParameter(
        description="redact the stored result on the way out: `default`, `all` or categories such as "
                    "`name,contact,schools`")] = None,
) -> Response[bytes]:
    """The request's state: progress while running, the full document (or the result in another format) once
    finished. A long poll sleeps until the store announces the request finished, reading it again then (and at
    least every second in case a notice was lost)."""
    fmt = _output_format(output_format)
    redaction = _redact_config(redact)
    services = services_of(request.app.state)
    with services.notices.watching(request_id) as finished:
        state = await _owned(services, request_id, principal)
        deadline = time.monotonic() + wait
        while state.record.status not in TERMINAL and (left := deadline - time.monotonic()) > 0:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(left, RECHECK_SECONDS)):
                    await finished.wait()
            finished.clear()
            state = await _owned(services, request_id, principal)
    if state.record.status in TERMINAL and state.encoded_response is not None:
        return await _finished(state, fmt, redaction)
    return _json(_in_progress(state.record, state.webhook))


def _output_format(value: str) -> OutputFormat:
    if value not in OUTPUT_FORMATS:
        raise invalid(f"format must be one of {', '.join(OUTPUT_FORMATS)}", "format", "enum")
    return cast(OutputFormat, value)


def _redact_config(value: str | None) -> RedactConfig | None:
    if value is None:
        return None
    try:
        return redact_config_from(value)
    except ValueError as exc:
        raise invalid(str(exc), "redact", "enum") from exc


async def _finished(state: RequestState, fmt: OutputFormat, redaction: RedactConfig | None) -> Response[bytes]:
    """A finished request as asked. A format other than json applies to a completed request with a result; a
    failed one, or one whose result was withheld, answers its JSON document as without `format`. The document
    as stored is the answer whenever nothing is added to it or taken from it."""
    encoded = cast(bytes, state.encoded_response)
    if fmt == "json" and redaction is None and state.webhook is None:
        return Response(content=encoded, media_type="application/json")
    document: dict[str, Any] = msgspec.json.decode(encoded)
    if state.webhook:
        document = {**document, "webhook": state.webhook}
    completed = document.get("status") == "completed"
    if redaction is not None and completed:
        document = await _blocking(redact_document, document, redaction)
    if fmt == "json" or not completed or document.get("result") is None:
        return _json(document)
    result = msgspec.convert(document["result"], ResumeResult)
    report = msgspec.convert(document["redaction"], Redaction) if document.get("redaction") else None
    return Response(content=render(result, fmt, report), media_type=MEDIA_TYPES[fmt])


async def _owned(services: Services, request_id: str, principal: NamedDependency[Principal]) -> RequestState:
    state: RequestState | None = await _blocking(services.store.request_state, request_id, principal.account_id)
    if state is None:
        raise ApiError(404, errors.NOT_FOUND, f"no request {request_id!r}")
    return state


def _in_progress(record: RequestRecord, webhook: dict[str, Any] | None) -> InProgress:
    remaining = TYPICAL_SECONDS * (100 - record.progress_percentage) / 100
    estimate = utcnow() + timedelta(seconds=remaining)
    return InProgress(
        request_id=record.request_id,
        status="parsing" if record.status == "parsing" else "created",
        current_stage=record.current_stage,  # type: ignore[arg-type]
        progress_percentage=record.progress_percentage,
        estimated_completion=iso(estimate),
        created_at=record.created_at,
        webhook=msgspec.convert(webhook, WebhookStatus) if webhook else None,
    )


@get("/v1/parse", responses=_docs(200, RequestList, "the account's requests", 400))
async def list_parses(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    after: FromQuery[str | None] = None,
    before: FromQuery[str | None] = None,
) -> Response[bytes]:
    """The account's requests, newest first, with cursor pagination."""
    if after and before:
        raise invalid("use either `after` or `before`, not both", "after")
    services = services_of(request.app.state)
    rows, has_more = await _blocking(services.store.list_requests, principal.account_id, limit, after, before)
    summaries = [
        RequestSummary(
            request_id=row.request_id, status=row.status, created_at=row.created_at,
            completed_at=row.completed_at, input_type=row.input_type, file_name=row.file_name,
            credits_consumed=row.credits_consumed, test_mode=row.test_mode,
        )
        for row in rows
    ]
    return _json(RequestList(
        data=summaries, has_more=has_more,
        first_id=summaries[0].request_id if summaries else None,
        last_id=summaries[-1].request_id if summaries else None,
    ))


@delete("/v1/parse/{request_id:str}", status_code=200, responses=_docs(200, Deleted, "deleted", 404))
async def delete_parse(request: Request[Any, Any, Any], principal: NamedDependency[Principal], request_id: FromPath[str]
) -> Response[bytes]:
    """Erase the stored file, text and result of a request."""
    services = services_of(request.app.state)
    if not await _blocking(services.store.delete_request, request_id, principal.account_id):
        raise ApiError(404, errors.NOT_FOUND, f"no request {request_id!r}")
    return _json(Deleted(request_id=request_id, deleted=True))


@get("/v1/usage", responses=_docs(200, Usage, "credits and limits"))
async def usage(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> Response[bytes]:
    """Credits, parses this calendar month and the rate limit of the calling key."""
    services = services_of(request.app.state)
    account = await _blocking(services.store.get_account, principal.account_id)
    if account is None:
        raise ApiError(401, errors.UNAUTHORIZED, "the key's account no longer exists")
    period_start = iso(utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0))
    parses = await _blocking(services.store.count_parses_since, account.id, period_start)
    settings = services.settings
    return _json(Usage(
        account_id=account.id,
        credits=Credits(total=account.credits_total, used=account.credits_used,
                        reserved=account.credits_reserved, remaining=account.remaining),
        parses_this_period=parses,
        period_start=period_start,
        rate_limit=RateLimitInfo(limit=settings.rate_limit, window_seconds=settings.rate_limit_window),
    ))


@get("/health", responses={200: ResponseSpec(data_container=Health, generate_examples=False)})
async def health(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Liveness and readiness for probes: 200 when the store answers, 503 otherwise."""
    services = services_of(request.app.state)
    checks: dict[str, str] = {}
    try:
        await _blocking(services.store.ping)
        checks["store"] = "ok"
    except Exception:
        checks["store"] = "unavailable"
    status: Literal["ok", "degraded"] = "ok" if all(v == "ok" for v in checks.values()) else "degraded"
    body = Health(status=status, version=__version__, store=services.store.kind,
                  dispatcher=services.dispatcher.kind, checks=checks)
    return _json(body, 200 if status == "ok" else 503)


@get("/v1/schema", responses={200: ResponseSpec(data_container=dict, generate_examples=False)})
async def result_schema() -> Response[bytes]:
    """The JSON Schema (draft 2020-12) of the `result` object of a completed parse; no key needed."""
    return Response(content=_SCHEMA, media_type="application/schema+json")


_SCHEMA = SCHEMA_FILE.read_bytes()

ROUTES = [create_parse, create_cover_letter_parse, get_parse, list_parses, delete_parse, usage, health, result_schema]
