"""`/v1/parse/batch`: several resumes in one call, one request per item, all reserved or none."""

from __future__ import annotations

import secrets
from collections import Counter
from typing import Any, Literal

from litestar import Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.status_codes import HTTP_202_ACCEPTED

from api.auth import Principal
from api.errors import ApiError
from api.intake import (
    Intake,
    batch_from_json,
    batch_from_multipart,
    build_request,
    check_callback,
    check_pages,
    check_tiers,
)
from api.routes import TERMINAL, _blocking, _docs, _json
from api.state import services_of
from resume_parser.clock import now_iso
from schemas import errors
from schemas.records import RequestRecord
from schemas.response import (
    BatchAccepted,
    BatchCounts,
    BatchDeleted,
    BatchItemAccepted,
    BatchItemStatus,
    BatchStatus,
)
from store.base import InsufficientCredits


def new_batch_id() -> str:
    return "batch_" + secrets.token_hex(12)


@post("/v1/parse/batch", status_code=HTTP_202_ACCEPTED,
      responses=_docs(202, BatchAccepted, "accepted: one request per item", 400, 402, 413, 415, 422, 501, 503))
async def create_batch(request: Request[Any, Any, Any], principal: NamedDependency[Principal]) -> Response[bytes]:
    """Accept several files (multipart, repeated `file` parts sharing `config`, `job_description` and
    `callback_url`) or several JSON items (`{"items": [<parse request>, ...]}`); 202 with every request id."""
    services = services_of(request.app.state)
    settings = services.settings
    content_type = request.headers.get("content-type", "")
    intakes: list[Intake]
    if content_type.startswith("multipart/form-data"):
        intakes = await batch_from_multipart(await request.form(), settings)
    elif content_type.startswith("application/json") or not content_type:
        intakes = batch_from_json(await request.body())
    else:
        raise ApiError(415, errors.UNSUPPORTED_FILE_TYPE,
                       "send application/json with `items` or multipart/form-data with `file` parts")
    account = await _blocking(services.store.get_account, principal.account_id)
    if account is None:
        raise ApiError(401, errors.UNAUTHORIZED, "the key's account no longer exists")
    for intake in intakes:
        check_tiers(intake, principal.test, settings)
        await _blocking(check_pages, intake, account)
    for url in {intake.callback_url or principal.webhook_url for intake in intakes}:
        await _blocking(check_callback, url, settings)
    items = [build_request(intake, account, principal.key_id, principal.test, settings, None,
                           intake.callback_url or principal.webhook_url) for intake in intakes]
    total = sum(item.estimated_credits for item in items)
    if not principal.test and total > account.remaining:
        raise ApiError(402, errors.INSUFFICIENT_CREDITS, f"{total} credits required, {account.remaining} remaining")
    batch_id = new_batch_id()
    created_at = now_iso()
    try:
        await _blocking(services.store.create_batch, batch_id, account.id, created_at, items)
    except InsufficientCredits as exc:
        raise ApiError(402, errors.INSUFFICIENT_CREDITS, str(exc)) from exc
    for item in items:
        services.dispatcher.submit_soon(item.request_id)  # stored: a send that fails is the sweeper's to redo
    return _json(BatchAccepted(
        batch_id=batch_id, status="created",
        items=[BatchItemAccepted(request_id=item.request_id, file_name=item.file_name,
                                 estimated_credits=item.estimated_credits) for item in items],
        estimated_credits=total,
        remaining_balance=account.remaining if principal.test else account.remaining - total,
        created_at=created_at,
    ), HTTP_202_ACCEPTED)


@get("/v1/parse/batch/{batch_id:str}", responses=_docs(200, BatchStatus, "the batch's progress", 404))
async def get_batch(request: Request[Any, Any, Any], principal: NamedDependency[Principal],
                    batch_id: FromPath[str]) -> Response[bytes]:
    """Progress over the batch's items: counts per status, overall percentage and each item's state."""
    services = services_of(request.app.state)
    found = await _blocking(services.store.batch_requests, batch_id, principal.account_id)
    if found is None:
        raise ApiError(404, errors.NOT_FOUND, f"no batch {batch_id!r}")
    created_at, records = found
    return _json(summarise(batch_id, created_at, records))


@delete("/v1/parse/batch/{batch_id:str}", status_code=200, responses=_docs(200, BatchDeleted, "deleted", 404))
async def delete_batch(request: Request[Any, Any, Any], principal: NamedDependency[Principal],
                       batch_id: FromPath[str]) -> Response[bytes]:
    """Erase every item of the batch (files, texts, results) and the batch itself."""
    services = services_of(request.app.state)
    if not await _blocking(services.store.delete_batch, batch_id, principal.account_id):
        raise ApiError(404, errors.NOT_FOUND, f"no batch {batch_id!r}")
    return _json(BatchDeleted(batch_id=batch_id, deleted=True))


def summarise(batch_id: str, created_at: str, records: list[RequestRecord]) -> BatchStatus:
    """A finished item counts as 100 %; the batch is `completed` once every item is terminal, `created` while
    none has started."""
    by_status = Counter(record.status for record in records)
    items = [BatchItemStatus(
        request_id=record.request_id, status=record.status,  # type: ignore[arg-type]
        file_name=record.file_name, current_stage=record.current_stage,  # type: ignore[arg-type]
        progress_percentage=100 if record.status in TERMINAL else record.progress_percentage,
        credits_consumed=record.credits_consumed,
        error_code=(record.response or {}).get("error_code") if record.status == "failed" else None,
    ) for record in records]
    status: Literal["created", "parsing", "completed"] = "parsing"
    if by_status["completed"] + by_status["failed"] == len(records):
        status = "completed"
    elif by_status["created"] == len(records):
        status = "created"
    return BatchStatus(
        batch_id=batch_id, status=status, created_at=created_at, total=len(records),
        counts=BatchCounts(created=by_status["created"], parsing=by_status["parsing"],
                           completed=by_status["completed"], failed=by_status["failed"]),
        progress_percentage=sum(item.progress_percentage for item in items) // max(1, len(items)),
        credits_consumed=sum(record.credits_consumed for record in records), items=items)


BATCH_ROUTES = [create_batch, get_batch, delete_batch]
