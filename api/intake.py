"""Turn a POST into a stored request: validate the body or the upload, check the file, estimate credits.

Everything that can be refused is refused here, before anything is written or queued: bad fields (400),
an LLM tier that cannot run (400), unknown prompt levels (501), oversize files (413), unsupported bytes
(415) and too many pages (422).
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from collections.abc import Iterator
from typing import Any, TypeVar
from urllib.parse import urlsplit

import msgspec
from litestar.datastructures import UploadFile

from api.errors import ApiError, from_msgspec, invalid
from pipeline.errors import ExtractionError, UnsupportedFileType
from pipeline.extract import count_pages, detect_format
from pipeline.fetch import FetchPolicy, check_url
from resume_parser.clock import iso_after, now_iso, utcnow
from resume_parser.credits import estimate_credits
from resume_parser.settings import Settings
from schemas import errors
from schemas.errors import FieldError
from schemas.records import Account, NewRequest
from schemas.request import (
    MAX_BATCH_ITEMS,
    JobDescription,
    ParseBatchBody,
    ParseRequestBody,
    ParseRequestConfig,
    ResolvedConfig,
    resolve_config,
)
from schemas.response import Accepted

MAX_RAW_TEXT_CHARS = 500_000
TOO_DEEP = "the JSON is nested too deeply"
Parsed = TypeVar("Parsed", ParseRequestBody, ParseBatchBody)
_SECONDS_PER_DAY = 86_400


class Intake(msgspec.Struct, kw_only=True):
    """A validated POST, not yet stored."""

    input_type: str
    config: ParseRequestConfig
    resolved: ResolvedConfig
    body_hash: str
    file_name: str | None = None
    file_bytes: bytes | None = None
    source_format: str | None = None
    raw_text: str | None = None
    input_data: Any = None
    job_description: str | None = None
    callback_url: str | None = None


def new_request_id() -> str:
    return "req_" + secrets.token_hex(12)


def _decode(body: bytes, kind: type[Parsed]) -> Parsed:
    if not body.strip():
        raise invalid("the request body is empty", "body", "required")
    try:
        return msgspec.json.decode(body, type=kind)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise from_msgspec(exc) from exc
    except RecursionError as exc:
        raise invalid(TOO_DEEP, "body", "depth") from exc


def from_json(body: bytes) -> Intake:
    """Validate a JSON body against the request schema and the rules the schema cannot express."""
    return _from_parsed(_decode(body, ParseRequestBody), hashlib.sha256(body).hexdigest())


def batch_from_json(body: bytes) -> list[Intake]:
    """Validate every item of a JSON batch; an error names its item (`items.3.input.raw_text`)."""
    batch = _decode(body, ParseBatchBody)
    intakes: list[Intake] = []
    for index, item in enumerate(batch.items):
        if item.callback_url is None and batch.callback_url is not None:
            item = msgspec.structs.replace(item, callback_url=batch.callback_url)
        with _item_paths(f"items.{index}"):
            intakes.append(_from_parsed(item, hashlib.sha256(msgspec.json.encode(item)).hexdigest()))
    return intakes


@contextlib.contextmanager
def _item_paths(prefix: str) -> Iterator[None]:
    """Field errors raised inside name the batch item they belong to."""
    try:
        yield
    except ApiError as exc:
        for error in exc.field_errors:
            error.path = f"{prefix}.{error.path}"
        exc.message = f"{prefix}: {exc.message}"
        raise


def _from_parsed(parsed: ParseRequestBody, body_hash: str) -> Intake:
    source = parsed.input
    data: Any = source.data
    if source.type == "text":
        if source.raw_text is None:
            raise invalid("input.raw_text is required for input type text", "input.raw_text", "required")
        if not source.raw_text.strip():
            raise invalid("input.raw_text is empty", "input.raw_text", "required")
        if len(source.raw_text) > MAX_RAW_TEXT_CHARS:
            raise invalid(f"input.raw_text is longer than {MAX_RAW_TEXT_CHARS} characters",
                          "input.raw_text", "length")
    elif source.type == "url":
        if not isinstance(data, str) or urlsplit(data).scheme not in ("http", "https") or not urlsplit(data).hostname:
            raise invalid("input.data must be an http(s) URL for input type url", "input.data")
    elif not isinstance(data, dict) or not isinstance(data.get("result"), dict):
        raise invalid("input.data must be a prior response with its result for input type result", "input.data")
    resolved = _checked_config(parsed.config, source.job_description)
    return Intake(
        input_type=source.type,
        config=parsed.config,
        resolved=resolved,
        body_hash=body_hash,
        raw_text=source.raw_text if source.type == "text" else None,
        input_data=data if source.type != "text" else None,
        job_description=source.job_description,
        callback_url=_callback_url(parsed.callback_url),
    )


class _SharedFields(msgspec.Struct, kw_only=True):
    """The multipart fields besides the files: one config, job description and callback for every file."""

    config: ParseRequestConfig
    job_description: str | None
    callback_url: str | None


async def from_multipart(form: Any, settings: Settings) -> Intake:
    """Validate an upload: a `file` part, an optional `config` JSON string and `job_description`."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise invalid("the multipart field `file` is required", "file", "required")
    return await _upload_intake(upload, _shared_fields(form), settings, "file")


async def batch_from_multipart(form: Any, settings: Settings) -> list[Intake]:
    """Validate a multipart batch: several `file` parts sharing the other fields; errors name the file
    (`file.2`)."""
    uploads = [part for part in form.getall("file") if isinstance(part, UploadFile)] if "file" in form else []
    if not uploads:
        raise invalid("the multipart field `file` is required, once per resume", "file", "required")
    if len(uploads) > MAX_BATCH_ITEMS:
        raise invalid(f"a batch holds at most {MAX_BATCH_ITEMS} items", "file", "length")
    shared = _shared_fields(form)
    return [await _upload_intake(upload, shared, settings, f"file.{index}") for index, upload in enumerate(uploads)]


def _shared_fields(form: Any) -> _SharedFields:
    config = ParseRequestConfig()
    raw_config = form.get("config")
    if raw_config not in (None, ""):
        if not isinstance(raw_config, str):
            raise invalid("the multipart field `config` must be a JSON string", "config")
        try:
            config = msgspec.json.decode(raw_config, type=ParseRequestConfig)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise from_msgspec(exc, prefix="config") from exc
        except RecursionError as exc:
            raise invalid(TOO_DEEP, "config", "depth") from exc
    job_description = form.get("job_description") or None
    if job_description is not None:
        if not isinstance(job_description, str):
            raise invalid("job_description must be text", "job_description")
        try:
            msgspec.convert(job_description, JobDescription)
        except msgspec.ValidationError as exc:
            raise invalid(f"job_description: {exc}", "job_description", "length") from exc
    callback_url = form.get("callback_url") or None
    if callback_url is not None and not isinstance(callback_url, str):
        raise invalid("callback_url must be text", "callback_url")
    return _SharedFields(config=config, job_description=job_description, callback_url=_callback_url(callback_url))


async def _upload_intake(upload: UploadFile, shared: _SharedFields, settings: Settings, path: str) -> Intake:
    data = await upload.read()
    if len(data) > settings.max_file_bytes:
        raise ApiError(413, errors.FILE_TOO_LARGE, f"{path}: the file is larger than {settings.max_file_bytes} bytes")
    if not data:
        raise invalid("the file is empty", path, "empty")
    try:
        source_format = detect_format(data, upload.filename)
    except UnsupportedFileType as exc:
        raise ApiError(415, errors.UNSUPPORTED_FILE_TYPE, exc.message,
                       [FieldError(path=path, message=exc.message, code="unsupported")]) from exc
    resolved = _checked_config(shared.config, shared.job_description)
    digest = hashlib.sha256(data)
    digest.update(msgspec.json.encode(shared.config))
    digest.update((shared.job_description or "").encode())
    digest.update((shared.callback_url or "").encode())
    return Intake(
        input_type="file",
        config=shared.config,
        resolved=resolved,
        body_hash=digest.hexdigest(),
        file_name=upload.filename or None,
        file_bytes=data,
        source_format=source_format,
        job_description=shared.job_description,
        callback_url=shared.callback_url,
    )


def _callback_url(url: str | None) -> str | None:
    """A webhook address must be an absolute http(s) URL; where it may point is checked in `check_callback`."""
    if url is None:
        return None
    parts = urlsplit(url)
    if len(url) > 2048 or parts.scheme not in ("http", "https") or not parts.hostname:
        raise invalid("callback_url must be an absolute http(s) URL of at most 2048 characters", "callback_url")
    return url


def check_callback(url: str | None, settings: Settings) -> None:
    """Refuse, before accepting, a webhook address that resolves inside the network (the rules of URL input)."""
    if url is None:
        return
    try:
        check_url(url, FetchPolicy(allowlist=settings.url_allowlist_entries))
    except ExtractionError as exc:
        raise invalid(f"callback_url is refused: {exc.message}", "callback_url", "refused") from exc


def _checked_config(config: ParseRequestConfig, job_description: str | None) -> ResolvedConfig:
    if not config.validate.prompt.skip and config.validate.prompt.level != "basic":
        raise ApiError(501, errors.NOT_IMPLEMENTED,
                       f"prompt check level {config.validate.prompt.level!r} is not available; use 'basic'")
    if config.matching is not None and not config.matching.skip and not job_description:
        raise invalid("matching needs input.job_description", "input.job_description", "required")
    return resolve_config(config, bool(job_description))


def check_cover_letter(intake: Intake) -> None:
    """A cover letter is read from a file, a URL or text by the basic tier, and is matched against nothing."""
    if intake.input_type == "result":
        raise invalid("a cover letter is read from a file, a URL or text", "input.type", "enum")
    path = "job_description" if intake.input_type == "file" else "input.job_description"
    if intake.job_description is not None:
        raise invalid("a cover letter is not matched against a job description", path, "unsupported")
    if intake.resolved.parse.model_tier != "basic":
        raise invalid("cover letters are read by the basic tier", "config.parse.model_tier", "unsupported")


def check_tiers(intake: Intake, test_key: bool, settings: Settings) -> None:
    """LLM tiers need an Anthropic key; test keys always get the deterministic parse."""
    if test_key:
        return
    for path, tier in (("config.parse.model_tier", intake.resolved.parse.model_tier),
                       ("config.matching.model_tier", intake.resolved.matching.model_tier)):
        if tier != "basic" and not settings.anthropic_api_key:
            raise invalid(f"model tier {tier!r} needs an Anthropic API key on the server "
                          "(ANTHROPIC_API_KEY); use 'basic'", path, "unavailable")


def check_pages(intake: Intake, account: Account) -> None:
    """Refuse documents over the account's page limit before any expensive work (422)."""
    if intake.file_bytes is None or intake.source_format is None:
        return
    pages = count_pages(intake.file_bytes, intake.source_format)  # type: ignore[arg-type]
    if pages > account.page_limit:
        raise ApiError(422, errors.PAGE_LIMIT_EXCEEDED,
                       f"the document has {pages} pages; this key's plan allows {account.page_limit}")


def build_request(
    intake: Intake, account: Account, key_id: str, test_mode: bool, settings: Settings,
    idempotency_key: str | None, callback_url: str | None = None,
) -> NewRequest:
    """The row to store; `callback_url` is the request's own webhook or its key's default."""
    needs_ocr = intake.source_format == "image"
    estimated = estimate_credits(intake.resolved, intake.input_type, needs_ocr)
    if not test_mode and estimated > account.remaining:
        raise ApiError(402, errors.INSUFFICIENT_CREDITS,
                       f"{estimated} credits required, {account.remaining} remaining")
    request_id = new_request_id()
    created_at = now_iso()
    remaining = account.remaining if test_mode else account.remaining - estimated
    accepted = Accepted(request_id=request_id, status="created", estimated_credits=estimated,
                        remaining_balance=remaining, created_at=created_at)
    return NewRequest(
        request_id=request_id,
        account_id=account.id,
        key_id=key_id,
        input_type=intake.input_type,
        config=msgspec.to_builtins(intake.config),
        estimated_credits=estimated,
        test_mode=test_mode,
        created_at=created_at,
        expires_at=iso_after(settings.retention_days * _SECONDS_PER_DAY, utcnow()),
        file_name=intake.file_name,
        file_bytes=intake.file_bytes,
        raw_text=intake.raw_text,
        input_data=intake.input_data,
        job_description=intake.job_description,
        idempotency_key=idempotency_key,
        body_hash=intake.body_hash,
        accepted_response=msgspec.to_builtins(accepted),
        callback_url=callback_url,
    )
