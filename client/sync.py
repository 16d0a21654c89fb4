"""The blocking client."""

from __future__ import annotations

import time
from collections.abc import Sequence
from types import TracebackType
from typing import Literal, overload

import httpx

from client import _wire
from client._wire import Config, FileSource, Finished, ParseDocument, PriorResult
from client.errors import WaitTimeout
from schemas.cover_letter import CoverLetterCompleted
from schemas.request import ModelTier
from schemas.response import (
    Accepted,
    BatchAccepted,
    BatchDeleted,
    BatchStatus,
    Completed,
    Deleted,
    Failed,
    InProgress,
    RequestList,
    Usage,
)


class ResumeParser:
    """A client of the resume-parser API; every answer decodes into the API's own msgspec Structs and every
    error raises the `ResumeParserError` subclass of its code. 429 and 503 answers are sent again up to
    `max_retries` times, after the server's Retry-After when it is at most `max_retry_wait` seconds."""

    def __init__(self, api_key: str, *, base_url: str = _wire.DEFAULT_BASE_URL, timeout: float = 30.0,
                 max_retries: int = 3, max_retry_wait: float = 60.0) -> None:
        self._http = httpx.Client(base_url=base_url, headers=_wire.client_headers(api_key))
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait

    def __enter__(self) -> ResumeParser:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _send(self, call: _wire.Call) -> bytes:
        attempt = 0
        while True:
            response = self._http.send(_wire.build_request(self._http, call, self.timeout))
            delay = _wire.retry_delay(response, attempt, self.max_retries, self.max_retry_wait)
            if delay is None:
                return _wire.body_of(response)
            time.sleep(delay)
            attempt += 1

    def parse_file(self, source: FileSource, *, file_name: str | None = None, job_description: str | None = None,
                   config: Config | None = None, idempotency_key: str | None = None) -> Accepted:
        """Upload a file (a path, its bytes or an open binary file); the format is read from the bytes."""
        call = _wire.file_call(source, file_name, job_description, config, idempotency_key)
        return _wire.decode(self._send(call), Accepted)

    def parse_text(self, raw_text: str, *, job_description: str | None = None, config: Config | None = None,
                   idempotency_key: str | None = None) -> Accepted:
        call = _wire.json_call(_wire.text_input(raw_text), job_description, config, idempotency_key)
        return _wire.decode(self._send(call), Accepted)

    def parse_url(self, url: str, *, job_description: str | None = None, config: Config | None = None,
                  idempotency_key: str | None = None) -> Accepted:
        """Have the server fetch a web page or a file (public http(s) addresses only)."""
        call = _wire.json_call(_wire.url_input(url), job_description, config, idempotency_key)
        return _wire.decode(self._send(call), Accepted)

    def get(self, request_id: str, *, wait: int = 0) -> ParseDocument:
        """The request as it stands: `InProgress`, `Completed` or `Failed`; `wait` (0-30) long-polls."""
        return _wire.decode_document(self._send(_wire.get_call(request_id, wait)))

    @overload
    def wait(self, request_id: str, *, timeout: float = ..., poll: int = ...,
             raise_on_failure: Literal[False] = ...) -> Finished: ...

    @overload
    def wait(self, request_id: str, *, timeout: float = ..., poll: int = ...,
             raise_on_failure: Literal[True]) -> Completed: ...

    def wait(self, request_id: str, *, timeout: float = 120.0, poll: int = 10,
             raise_on_failure: bool = False) -> Finished:
        """Long-poll until the request ends (each call held by the server up to `poll` seconds); raises
        `WaitTimeout` after `timeout` seconds, and `ParseFailed` on a failure if `raise_on_failure`."""
        _wire.check_wait_args(timeout, poll)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaitTimeout(request_id, timeout)
            answer = self.get(request_id, wait=_wire.server_wait(remaining, poll))
            document = _wire.finished(answer, raise_on_failure)
            if document is not None:
                return document

    def match(self, prior: PriorResult, job_description: str, *, top_skills: int = 3,
              model_tier: ModelTier = "basic", timeout: float = 120.0, idempotency_key: str | None = None
              ) -> Completed:
        """Match a parsed resume (a completed document, or its `result`) against a job description without
        reading the file again; the answer's `matching` is the report. Raises `ParseFailed` if it fails."""
        call = _wire.json_call(_wire.result_input(prior), job_description,
                               _wire.matching_config(top_skills, model_tier), idempotency_key)
        accepted = _wire.decode(self._send(call), Accepted)
        return self.wait(accepted.request_id, timeout=timeout, raise_on_failure=True)

    def list(self, *, limit: int = 20, after: str | None = None, before: str | None = None) -> RequestList:
        """The account's requests, newest first; pass `after=page.last_id` for the next page."""
        return _wire.decode(self._send(_wire.list_call(limit, after, before)), RequestList)

    def delete(self, request_id: str) -> Deleted:
        """Erase the request's file, text and result on the server."""
        return _wire.decode(self._send(_wire.delete_call(request_id)), Deleted)

    def usage(self) -> Usage:
        return _wire.decode(self._send(_wire.usage_call()), Usage)

    def parse_cover_letter(self, source: FileSource | None = None, *, raw_text: str | None = None,
                       url: str | None = None, file_name: str | None = None,
                       idempotency_key: str | None = None) -> Accepted:
        """Send a cover letter as a file, text or a URL (exactly one); poll it with `wait_cover_letter`."""
        call = _wire.cover_letter_call(_wire.letter_source(source, raw_text, url, file_name, idempotency_key))
        return _wire.decode(self._send(call), Accepted)

    def wait_cover_letter(self, request_id: str, *, timeout: float = 120.0,
                      poll: int = 10) -> CoverLetterCompleted | Failed:
        """Long-poll a cover-letter request until it ends; `WaitTimeout` after `timeout` seconds."""
        _wire.check_wait_args(timeout, poll)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaitTimeout(request_id, timeout)
            call = _wire.get_call(request_id, _wire.server_wait(remaining, poll))
            answer = _wire.decode_cover_letter(self._send(call))
            if not isinstance(answer, InProgress):
                return answer

    def parse_batch(self, sources: Sequence[FileSource], *, job_description: str | None = None,
                 config: Config | None = None, callback_url: str | None = None) -> BatchAccepted:
        """Upload several files in one call; each becomes its own request, all reserved or none."""
        call = _wire.batch_files_call(list(sources), job_description, config, callback_url)
        return _wire.decode(self._send(call), BatchAccepted)

    def parse_batch_texts(self, texts: Sequence[str], *, job_description: str | None = None,
                       config: Config | None = None, callback_url: str | None = None) -> BatchAccepted:
        call = _wire.batch_texts_call(list(texts), job_description, config, callback_url)
        return _wire.decode(self._send(call), BatchAccepted)

    def get_batch(self, batch_id: str) -> BatchStatus:
        """The batch's progress: counts per status and each item's state."""
        return _wire.decode(self._send(_wire.batch_get_call(batch_id)), BatchStatus)

    def delete_batch(self, batch_id: str) -> BatchDeleted:
        """Erase every item of the batch on the server."""
        return _wire.decode(self._send(_wire.batch_delete_call(batch_id)), BatchDeleted)
