"""The JSON documents `GET /v1/parse/{id}` returns once a request has finished."""

from __future__ import annotations

from typing import Any

import msgspec

from pipeline.cover_letter import CoverLetterOutput
from pipeline.run import PipelineOutput
from resume_parser import __version__
from schemas.cover_letter import CoverLetterCompleted, CoverLetterMetadata
from schemas.response import Completed, Failed, Metadata


def completed_document(
    *,
    request_id: str,
    created_at: str,
    completed_at: str,
    duration_ms: int,
    credits: int,
    remaining_balance: int,
    estimated_credits: int,
    file_size_bytes: int | None,
    output: PipelineOutput | CoverLetterOutput,
    test_mode: bool,
) -> dict[str, Any]:
    """The stored answer of a completed request: a parsed resume, or a parsed cover letter."""
    if isinstance(output, CoverLetterOutput):
        letter = CoverLetterCompleted(
            request_id=request_id, status="completed", created_at=created_at, completed_at=completed_at,
            duration_ms=duration_ms, credits_consumed=credits, remaining_balance=remaining_balance,
            metadata=CoverLetterMetadata(parser_version=__version__, document="cover_letter",
                                         file_size_bytes=file_size_bytes, estimated_credits=estimated_credits,
                                         extract=output.extract),
            raw_text=output.raw_text, result=output.result, test_mode=test_mode)
        built_letter: dict[str, Any] = msgspec.to_builtins(letter)
        return built_letter
    document = Completed(
        request_id=request_id,
        status="completed",
        created_at=created_at,
        completed_at=completed_at,
        duration_ms=duration_ms,
        credits_consumed=credits,
        remaining_balance=remaining_balance,
        metadata=Metadata(
            parser_version=__version__,
            file_size_bytes=file_size_bytes,
            estimated_credits=estimated_credits,
            extract=output.extract,
            validate=output.validate,
            parse=output.parse,
            matching=output.matching_meta,
        ),
        checks=output.checks,
        ai_features=output.ai_features,
        matching=output.matching,
        raw_text=output.raw_text,
        result=output.result,
        test_mode=test_mode,
        redaction=output.redaction,
    )
    built: dict[str, Any] = msgspec.to_builtins(document)
    return built


def failed_document(
    *,
    request_id: str,
    created_at: str,
    completed_at: str,
    code: str,
    message: str,
    stage: str | None,
    remaining_balance: int,
) -> dict[str, Any]:
    document = Failed(
        request_id=request_id,
        status="failed",
        created_at=created_at,
        completed_at=completed_at,
        error=message,
        error_code=code,
        error_stage=stage,  # type: ignore[arg-type]
        credits_consumed=0,
        remaining_balance=remaining_balance,
    )
    built: dict[str, Any] = msgspec.to_builtins(document)
    return built

