"""What the sync and async clients share: each call as data, how answers decode, and when to retry.

Neither client does anything here that waits or sends; each only sends the `Call`s built here and passes the
answers back, so the two cannot drift apart.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any, TypeVar

import httpx
import msgspec

from client.errors import ParseFailed, error_from_response
from resume_parser import __version__
from schemas.cover_letter import CoverLetterCompleted
from schemas.request import ModelTier, ParseRequestConfig
from schemas.response import Completed, Failed, InProgress, Status
from schemas.result import ResumeResult

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
MAX_SERVER_WAIT = 30
RETRY_STATUSES = frozenset({429, 503})
FIRST_BACKOFF = 0.5

FileSource = str | os.PathLike[str] | bytes | IO[bytes]
Config = ParseRequestConfig | Mapping[str, Any]
PriorResult = Completed | ResumeResult | Mapping[str, Any]
ParseDocument = Completed | Failed | InProgress
Finished = Completed | Failed

_T = TypeVar("_T")


@dataclass(frozen=True)
class Call:
    """One HTTP call, ready for either client; `held` is how long the server may hold it (a long-poll)."""

    method: str
    path: str
    params: dict[str, str | int] = field(default_factory=dict)
    content: bytes | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    multipart: list[tuple[str, tuple[str, bytes, str]]] | None = None
    form: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    held: float = 0.0


def client_headers(api_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}", "User-Agent": f"resume-parser-client/{__version__}"}


def build_request(http: httpx.Client | httpx.AsyncClient, call: Call, timeout: float) -> httpx.Request:
    return http.build_request(
        call.method, call.path, params=call.params, content=call.content, files=call.multipart or call.files,
        data=call.form,
        headers=call.headers, timeout=timeout + call.held,
    )


def _read(source: FileSource, file_name: str | None) -> tuple[str, bytes]:
    if isinstance(source, bytes):
        return file_name or "resume", source
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        return file_name or path.name, path.read_bytes()
    return file_name or Path(str(getattr(source, "name", "resume"))).name, source.read()


def _idempotency(idempotency_key: str | None) -> dict[str, str]:
    return {"Idempotency-Key": idempotency_key} if idempotency_key else {}


def file_call(source: FileSource, file_name: str | None, job_description: str | None, config: Config | None,
              idempotency_key: str | None) -> Call:
    """A multipart upload: the file, and the config and job description as form fields."""
    name, data = _read(source, file_name)
    form: dict[str, str] = {}
    if config is not None:
        form["config"] = msgspec.json.encode(config).decode()
    if job_description is not None:
        form["job_description"] = job_description
    return Call("POST", "/v1/parse", files={"file": (name, data, "application/octet-stream")}, form=form,
                headers=_idempotency(idempotency_key))


def json_call(source: dict[str, Any], job_description: str | None, config: Config | None,
              idempotency_key: str | None) -> Call:
    """A JSON body: `input` of any type but file, and the config when one is given."""
    if job_description is not None:
        source["job_description"] = job_description
    body: dict[str, Any] = {"input": source}
    if config is not None:
        body["config"] = config
    return Call("POST", "/v1/parse", content=msgspec.json.encode(body),
                headers={"Content-Type": "application/json", **_idempotency(idempotency_key)})


def letter_source(source: FileSource | None, raw_text: str | None, url: str | None, file_name: str | None,
                  idempotency_key: str | None) -> Call:
    given = [value for value in (source, raw_text, url) if value is not None]
    if len(given) != 1:
        raise ValueError("give exactly one of a file, raw_text or url")
    if source is not None:
        return file_call(source, file_name, None, None, idempotency_key)
    return json_call(text_input(raw_text) if raw_text is not None else url_input(url or ""), None, None,
                     idempotency_key)


def cover_letter_call(call: Call) -> Call:
    """The same upload or body, sent to the cover-letter endpoint."""
    return Call(call.method, "/v1/cover-letter/parse", params=call.params, content=call.content, files=call.files,
                form=call.form, headers=call.headers)


def batch_files_call(sources: list[FileSource], job_description: str | None, config: Config | None,
                     callback_url: str | None) -> Call:
    """Several files in one multipart body, sharing the config, the job description and the callback."""
    if not sources:
        raise ValueError("a batch needs at least one file")
    parts = [_read(source, None) for source in sources]
    form: dict[str, str] = {}
    if config is not None:
        form["config"] = msgspec.json.encode(config).decode()
    if job_description is not None:
        form["job_description"] = job_description
    if callback_url is not None:
        form["callback_url"] = callback_url
    return Call("POST", "/v1/parse/batch", multipart=[("file", (name, data, "application/octet-stream"))
                                                      for name, data in parts], form=form)


def batch_texts_call(texts: list[str], job_description: str | None, config: Config | None,
                     callback_url: str | None) -> Call:
    items: list[dict[str, Any]] = []
    for text in texts:
        source = text_input(text)
        if job_description is not None:
            source["job_description"] = job_description
        items.append({"input": source, **({"config": config} if config is not None else {})})
    body: dict[str, Any] = {"items": items, **({"callback_url": callback_url} if callback_url else {})}
    return Call("POST", "/v1/parse/batch", content=msgspec.json.encode(body),
                headers={"Content-Type": "application/json"})


def batch_get_call(batch_id: str) -> Call:
    return Call("GET", f"/v1/parse/batch/{batch_id}")


def batch_delete_call(batch_id: str) -> Call:
    return Call("DELETE", f"/v1/parse/batch/{batch_id}")


def text_input(raw_text: str) -> dict[str, Any]:
    return {"type": "text", "raw_text": raw_text}


def url_input(url: str) -> dict[str, Any]:
    return {"type": "url", "data": url}


def result_input(prior: PriorResult) -> dict[str, Any]:
    """A prior answer to re-run skills and matching on: a whole document, or a result alone."""
    if isinstance(prior, ResumeResult):
        return {"type": "result", "data": {"result": msgspec.to_builtins(prior)}}
    data = msgspec.to_builtins(prior) if isinstance(prior, Completed) else dict(prior)
    return {"type": "result", "data": data}


def matching_config(top_skills: int, model_tier: ModelTier) -> dict[str, Any]:
    return {"matching": {"skip": False, "top_skills": top_skills, "model_tier": model_tier}}


def get_call(request_id: str, wait: int) -> Call:
    return Call("GET", f"/v1/parse/{request_id}", params={"wait": wait} if wait else {}, held=wait)


def list_call(limit: int, after: str | None, before: str | None) -> Call:
    params: dict[str, str | int] = {"limit": limit}
    if after:
        params["after"] = after
    if before:
        params["before"] = before
    return Call("GET", "/v1/parse", params=params)


def delete_call(request_id: str) -> Call:
    return Call("DELETE", f"/v1/parse/{request_id}")


def usage_call() -> Call:
    return Call("GET", "/v1/usage")


def server_wait(remaining: float, poll: int) -> int:
    """Seconds to ask the server to hold the next poll: never past the caller's deadline, at least one."""
    return max(1, min(poll, MAX_SERVER_WAIT, math.ceil(remaining)))


def check_wait_args(timeout: float, poll: int) -> None:
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    if not 1 <= poll <= MAX_SERVER_WAIT:
        raise ValueError(f"poll must be 1 to {MAX_SERVER_WAIT} seconds")


def finished(document: ParseDocument, raise_on_failure: bool) -> Finished | None:
    """The document once the request has ended, else None; a failure raises when the caller asked for that."""
    if isinstance(document, InProgress):
        return None
    if raise_on_failure and isinstance(document, Failed):
        raise ParseFailed(document)
    return document


def retry_after(response: httpx.Response) -> float | None:
    """The server's Retry-After in seconds (a number or an HTTP date), if it sent a readable one."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    date = response.headers.get("date")
    now = parsedate_to_datetime(date) if date else datetime.now(UTC)
    return max(0.0, (moment - now).total_seconds())


def retry_delay(response: httpx.Response, attempt: int, max_retries: int, max_retry_wait: float) -> float | None:
    """Seconds to wait before sending again, or None when this answer stands: not a 429 or 503, retries used
    up, or the server asks for a longer pause than the caller allows."""
    if response.status_code not in RETRY_STATUSES or attempt >= max_retries:
        return None
    advised = retry_after(response)
    delay = advised if advised is not None else FIRST_BACKOFF * 2**attempt
    return delay if delay <= max_retry_wait else None


def body_of(response: httpx.Response) -> bytes:
    """The body of a success, else the exception its error envelope names."""
    if response.is_success:
        return response.content
    raise error_from_response(response, retry_after(response))


class _StatusOnly(msgspec.Struct):
    status: Status


class _Kind(msgspec.Struct):
    document: str = "resume"


class _KindOnly(msgspec.Struct):
    metadata: _Kind = msgspec.field(default_factory=_Kind)


def decode_document(body: bytes) -> ParseDocument:
    """The three shapes of `GET /v1/parse/{id}` share no tag but `status`: read it first, then the shape."""
    status = msgspec.json.decode(body, type=_StatusOnly).status
    if status == "completed":
        if msgspec.json.decode(body, type=_KindOnly).metadata.document == "cover_letter":
            raise ValueError("this request read a cover letter: use get_cover_letter() or wait_cover_letter()")
        return msgspec.json.decode(body, type=Completed)
    if status == "failed":
        return msgspec.json.decode(body, type=Failed)
    return msgspec.json.decode(body, type=InProgress)


def decode(body: bytes, kind: type[_T]) -> _T:
    return msgspec.json.decode(body, type=kind)



def decode_cover_letter(body: bytes) -> CoverLetterCompleted | Failed | InProgress:
    """`GET /v1/parse/{id}` of a cover-letter request."""
    status = msgspec.json.decode(body, type=_StatusOnly).status
    if status == "completed":
        return msgspec.json.decode(body, type=CoverLetterCompleted)
    if status == "failed":
        return msgspec.json.decode(body, type=Failed)
    return msgspec.json.decode(body, type=InProgress)
