"""The Python client against a real embedded server process: uploads, waits, matches, and every error code
raised as its own exception class, blocking and asyncio."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from client import (
    AsyncResumeParser,
    Completed,
    Failed,
    FeatureNotImplemented,
    FileTooLarge,
    IdempotencyConflict,
    InsufficientCredits,
    InvalidRequest,
    NotFound,
    PageLimitExceeded,
    ParseFailed,
    RateLimited,
    ResumeParser,
    ResumeParserError,
    ServiceUnavailable,
    Unauthorized,
    UnsupportedFileType,
    WaitTimeout,
    _wire,
)
from client.errors import error_from_response
from resume_parser.settings import Settings
from schemas.cover_letter import CoverLetterCompleted
from store import open_store
from store.base import Store
from tests import samples
from tests.conftest import issue_key
from tests.processes import service_env, start_api

MAX_FILE_BYTES = 200_000
BROKEN_PDF = b"%PDF-1.7\n" + b"\x00" * 50


class Server:
    """A real API process; keys go straight into its store, each on a fresh account."""

    def __init__(self, base: str, store: Store) -> None:
        self.base = base
        self.store = store

    def key(self, credits: int = 100) -> str:
        return issue_key(self.store, credits).key

    def client(self, credits: int = 100) -> ResumeParser:
        return ResumeParser(self.key(credits), base_url=self.base)


@contextlib.contextmanager
def running_server(folder: Path, **settings: str) -> Iterator[Server]:
    env = service_env(RESUME_PARSER_DATA_DIR=str(folder / "data"), **settings)
    api, base = start_api(env, folder / "api.log")
    store = open_store(Settings(data_dir=folder / "data"))
    try:
        yield Server(base, store)
    finally:
        store.close()
        api.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("client"), RESUME_PARSER_MAX_FILE_BYTES=str(MAX_FILE_BYTES)) as up:
        yield up


@pytest.fixture()
def parser(server: Server) -> Iterator[ResumeParser]:
    with server.client() as client:
        yield client


def test_upload_wait_match_list_and_delete(parser: ResumeParser, tmp_path: Path) -> None:
    pdf = tmp_path / "marta.pdf"
    pdf.write_bytes(samples.resume_pdf())
    accepted = parser.parse_file(pdf)
    assert accepted.request_id.startswith("req_") and accepted.estimated_credits == 1
    document = parser.wait(accepted.request_id, timeout=60)
    assert isinstance(document, Completed)
    assert document.result is not None
    assert document.result.personal_info.name == samples.NAME
    assert any(job.company == samples.COMPANY for job in document.result.experience)
    assert document.matching is None

    matched = parser.match(document, samples.JOB_DESCRIPTION, top_skills=2)
    assert matched.matching is not None
    assert 0 < matched.matching.score <= 100
    matched_skills = {skill.skill for skill in matched.matching.matched_skills}
    assert len(matched_skills) == 2 and matched_skills <= {"Python", "PostgreSQL", "SQL", "Kubernetes", "Docker"}
    assert matched.metadata.extract.skipped is True
    from_result = parser.match(document.result, samples.JOB_DESCRIPTION)
    assert from_result.matching is not None and from_result.matching.score == matched.matching.score

    listed = parser.list(limit=2)
    assert [item.request_id for item in listed.data] == [from_result.request_id, matched.request_id]
    assert listed.has_more
    older = parser.list(limit=5, after=listed.last_id)
    assert [item.request_id for item in older.data] == [accepted.request_id]
    assert older.data[0].file_name == "marta.pdf"
    charged = [document.credits_consumed, matched.credits_consumed, from_result.credits_consumed]
    assert parser.usage().credits.used == sum(charged) and min(charged) >= 1

    assert parser.delete(accepted.request_id).deleted
    with pytest.raises(NotFound) as missing:
        parser.get(accepted.request_id)
    assert missing.value.status == 404 and missing.value.code == "NOT_FOUND"


def test_bytes_file_objects_text_and_job_description_in_one_call(parser: ResumeParser) -> None:
    from_bytes = parser.parse_file(samples.resume_pdf(), job_description=samples.JOB_DESCRIPTION,
                                   config={"matching": {"skip": False, "top_skills": 1}})
    from_object = parser.parse_file(io.BytesIO(samples.resume_docx()), file_name="cv.docx")
    from_text = parser.parse_text(samples.resume_text(), idempotency_key="client-text-1")
    assert parser.parse_text(samples.resume_text(), idempotency_key="client-text-1") == from_text

    with_match = parser.wait(from_bytes.request_id, raise_on_failure=True)
    assert with_match.matching is not None and len(with_match.matching.missing_skills) <= 1
    for accepted in (from_object, from_text):
        document = parser.wait(accepted.request_id, raise_on_failure=True)
        assert document.result is not None and document.result.personal_info.email == samples.EMAIL


def test_a_failed_parse_is_returned_or_raised(parser: ResumeParser) -> None:
    accepted = parser.parse_file(BROKEN_PDF, file_name="broken.pdf")
    document = parser.wait(accepted.request_id)
    assert isinstance(document, Failed) and document.error_code == "EXTRACTION_FAILED"
    with pytest.raises(ParseFailed) as failed:
        parser.wait(accepted.request_id, raise_on_failure=True)
    assert failed.value.code == "EXTRACTION_FAILED" and failed.value.stage == "extract"
    assert failed.value.document == document and failed.value.status is None


def test_wait_gives_up_at_its_timeout_while_the_request_goes_on(parser: ResumeParser) -> None:
    accepted = parser.parse_file(samples.resume_pdf(pages=3), config={"extract": {"type": "ocr"}})
    with pytest.raises(WaitTimeout) as timed_out:
        parser.wait(accepted.request_id, timeout=1, poll=1)
    assert isinstance(timed_out.value, TimeoutError) and timed_out.value.request_id == accepted.request_id
    assert isinstance(parser.wait(accepted.request_id, timeout=120), Completed)
    with pytest.raises(ValueError, match="poll"):
        parser.wait(accepted.request_id, poll=31)


def test_each_error_code_raises_its_own_class(server: Server, parser: ResumeParser) -> None:
    cases: list[tuple[type[ResumeParserError], int, Callable[[], object]]] = [
        (InvalidRequest, 400, lambda: parser.parse_text(samples.resume_text(), job_description="too short")),
        (UnsupportedFileType, 415, lambda: parser.parse_file(bytes(range(256)) * 8, file_name="cv.pdf")),
        (FileTooLarge, 413, lambda: parser.parse_file(b"%PDF-1.7\n" + b"0" * MAX_FILE_BYTES)),
        (PageLimitExceeded, 422, lambda: parser.parse_file(samples.resume_pdf(pages=5))),
        (FeatureNotImplemented, 501,
         lambda: parser.parse_text(samples.resume_text(),
                                   config={"validate": {"prompt": {"skip": False, "level": "advanced"}}})),
        (NotFound, 404, lambda: parser.get("req_0000000000000000000000ff")),
    ]
    for error_class, status, call in cases:
        with pytest.raises(error_class) as raised:
            call()
        assert raised.value.status == status, raised.value
    with pytest.raises(InvalidRequest) as invalid:
        parser.parse_text(samples.resume_text(), job_description="too short")
    assert [error.path for error in invalid.value.field_errors] == ["input.job_description"]

    parser.parse_text("Jane Doe\njane@example.com", idempotency_key="client-conflict")
    with pytest.raises(IdempotencyConflict):
        parser.parse_text("John Roe\njohn@example.com", idempotency_key="client-conflict")
    with server.client(credits=0) as broke, pytest.raises(InsufficientCredits) as poor:
        broke.parse_text(samples.resume_text())
    assert poor.value.code == "INSUFFICIENT_CREDITS" and "remaining" in poor.value.message
    with ResumeParser("rp_live_" + "0" * 40, base_url=server.base) as stranger, pytest.raises(Unauthorized):
        stranger.usage()


def test_rate_limits_are_retried_after_the_servers_pause(tmp_path: Path) -> None:
    with running_server(tmp_path, RESUME_PARSER_RATE_LIMIT="2", RESUME_PARSER_RATE_LIMIT_WINDOW="3") as server:
        key, base = server.key(), server.base
        with ResumeParser(key, base_url=base, max_retries=0) as impatient, pytest.raises(RateLimited) as limited:
            for _ in range(5):
                impatient.usage()
        assert limited.value.retry_after is not None and 1 <= limited.value.retry_after <= 3
        with ResumeParser(key, base_url=base, max_retries=3) as patient:
            assert [patient.usage().rate_limit.limit for _ in range(6)] == [2] * 6
        with ResumeParser(key, base_url=base, max_retries=3, max_retry_wait=0.1) as hasty, \
                pytest.raises(RateLimited):
            for _ in range(5):
                hasty.usage()


def test_the_async_client_does_the_same(server: Server) -> None:
    key = server.key()

    async def scenario() -> None:
        async with AsyncResumeParser(key, base_url=server.base) as parser:
            first, second = await asyncio.gather(parser.parse_file(samples.resume_pdf()),
                                                 parser.parse_text(samples.resume_text()))
            documents = await asyncio.gather(parser.wait(first.request_id, raise_on_failure=True),
                                             parser.wait(second.request_id, raise_on_failure=True))
            assert [doc.result.personal_info.name for doc in documents if doc.result] == [samples.NAME] * 2
            matched = await parser.match(documents[0], samples.JOB_DESCRIPTION)
            assert matched.matching is not None and matched.matching.score > 0
            assert len((await parser.list()).data) == 3
            charged = sum(doc.credits_consumed for doc in documents) + matched.credits_consumed
            assert (await parser.usage()).credits.used == charged
            assert (await parser.delete(first.request_id)).deleted
            with pytest.raises(NotFound):
                await parser.get(first.request_id)
            broken = await parser.parse_file(BROKEN_PDF)
            with pytest.raises(ParseFailed):
                await parser.wait(broken.request_id, raise_on_failure=True)

    asyncio.run(scenario())


def test_batches_and_cover_letters(parser: ResumeParser) -> None:
    batch = parser.parse_batch([samples.resume_pdf(), samples.resume_docx()], job_description=samples.JOB_DESCRIPTION)
    assert len(batch.items) == 2 and batch.estimated_credits == 4
    texts = parser.parse_batch_texts([samples.resume_text()])
    for item in [*batch.items, *texts.items]:
        assert parser.wait(item.request_id, raise_on_failure=True).result is not None
    status = parser.get_batch(batch.batch_id)
    assert status.status == "completed" and status.counts.completed == 2
    assert parser.delete_batch(batch.batch_id).deleted
    with pytest.raises(NotFound):
        parser.get_batch(batch.batch_id)

    letter = "Marta Kowalczyk\nmarta.kowalczyk@example.org\n\nDear Ms. Patel,\n\nI am writing to apply for the " \
             "Senior Backend Engineer position at Northwind Logistics.\n\nKind regards,\nMarta Kowalczyk\n"
    accepted = parser.parse_cover_letter(raw_text=letter)
    done = parser.wait_cover_letter(accepted.request_id, timeout=60)
    assert isinstance(done, CoverLetterCompleted)
    assert (done.result.personal_info.name, done.result.role) == (samples.NAME, "Senior Backend Engineer")
    with pytest.raises(ValueError, match="cover letter"):
        parser.get(accepted.request_id)
    with pytest.raises(ValueError, match="exactly one"):
        parser.parse_cover_letter(raw_text=letter, url="https://example.com/letter.pdf")


def test_both_clients_offer_the_same_calls() -> None:
    def calls(cls: type) -> dict[str, inspect.Signature]:
        return {name: inspect.signature(member) for name, member in vars(cls).items()
                if inspect.isfunction(member) and not name.startswith("_")}

    blocking, awaited = calls(ResumeParser), calls(AsyncResumeParser)
    assert blocking == awaited
    assert {"parse_file", "parse_text", "parse_url", "get", "wait", "match", "list", "delete", "usage"} <= set(blocking)
    assert all(inspect.iscoroutinefunction(getattr(AsyncResumeParser, name)) for name in awaited)


def _answer(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, content=b'{"code": "X", "message": "m"}')


def test_retry_after_is_read_as_seconds_or_an_http_date_and_bounded() -> None:
    assert _wire.retry_after(_answer(429, **{"retry-after": "7"})) == 7
    dated = _answer(503, **{"retry-after": "Wed, 02 Dec 2026 12:00:09 GMT", "date": "Wed, 02 Dec 2026 12:00:00 GMT"})
    assert _wire.retry_after(dated) == 9
    assert _wire.retry_after(_answer(429, **{"retry-after": "soon"})) is None
    assert _wire.retry_delay(_answer(503), attempt=2, max_retries=3, max_retry_wait=60) == 2.0
    assert _wire.retry_delay(_answer(503), attempt=3, max_retries=3, max_retry_wait=60) is None
    assert _wire.retry_delay(_answer(429, **{"retry-after": "90"}), attempt=0, max_retries=3, max_retry_wait=60) is None
    assert _wire.retry_delay(_answer(500), attempt=0, max_retries=3, max_retry_wait=60) is None
    proxy_page = httpx.Response(503, content=b"<html>Service Unavailable</html>")
    assert type(error_from_response(proxy_page, None)) is ServiceUnavailable
