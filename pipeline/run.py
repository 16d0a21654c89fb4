"""Run the stages in order for one request: extract → validate → parse → skills → matching.

The caller (a worker, the CLI, a benchmark) passes a callback that hears each stage as it starts, so it can
record progress or stop a request that was deleted meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, Protocol

import msgspec

from pipeline.errors import ExtractionError, ParseError
from pipeline.extract import document_from_text, extract
from pipeline.fetch import FetchPolicy, fetch_url
from pipeline.job import read_job, with_reading
from pipeline.llm import Llm, LlmError, combined
from pipeline.matching import match
from pipeline.parse import parse
from pipeline.profile import build_ai_features
from pipeline.redact import Redactable, redact
from pipeline.skills import normalise_skills
from pipeline.validate import validate
from schemas.base import Base
from schemas.document import Document
from schemas.request import ModelTier, RedactConfig, ResolvedConfig
from schemas.response import (
    ExtractMeta,
    LlmMeta,
    MatchingMeta,
    ParseMeta,
    PromptLevelMeta,
    Redaction,
    ValidateMeta,
)
from schemas.result import AiFeatures, Checks, Matching, ResumeResult

InputKind = Literal["file", "url", "text", "result"]
StageCallback = Callable[[str, int], None]



class Extractor(Protocol):
    """What reads a file into a document: `pipeline.extract.extract`, or a worker's isolated version of it."""

    def __call__(self, data: bytes, *, filename: str | None = ..., mode: Literal["file", "ocr", "auto"] = ...,
                 max_pages: int | None = ...) -> Document: ...


STAGE_PROGRESS: dict[str, int] = {"extract": 5, "validate": 30, "parse": 45, "skills": 70, "matching": 85}


class PipelineInput(Base):
    kind: InputKind
    file_bytes: bytes | None = None
    file_name: str | None = None
    url: str | None = None
    raw_text: str | None = None
    prior: dict[str, Any] | None = None
    job_description: str | None = None
    max_pages: int | None = None


class PipelineOutput(Base):
    raw_text: str | None
    result: ResumeResult | None
    ai_features: AiFeatures | None
    matching: Matching | None
    checks: Checks
    extract: ExtractMeta
    validate: ValidateMeta
    parse: ParseMeta
    matching_meta: MatchingMeta
    redaction: Redaction | None = None


def _ignore(stage: str, progress: int) -> None:
    """Default callback: nobody is listening."""


def run_pipeline(
    source: PipelineInput,
    config: ResolvedConfig,
    on_stage: StageCallback = _ignore,
    fetch_policy: FetchPolicy | None = None,
    extractor: Extractor = extract,
    llm: Llm | None = None,
    test_mode: bool = False,
    deadline: float | None = None,
) -> PipelineOutput:
    """Run every stage the config asks for; raises a PipelineError subclass when the request cannot finish.

    An LLM tier needs `llm`; under a test key (`test_mode`) it is never called and the deterministic result
    is returned marked as test data. No model call runs past `deadline` (`time.monotonic()`)."""
    on_stage("extract", STAGE_PROGRESS["extract"])
    document, extract_meta, prior_result = read_input(source, config, fetch_policy, extractor)
    raw_text = document.raw_text() if document is not None else _prior_raw_text(source)

    on_stage("validate", STAGE_PROGRESS["validate"])
    checks_document = document or document_from_text(raw_text or "")
    checks = validate(checks_document, raw_text or "", config.validate)
    validate_meta = (
        ValidateMeta(skipped=True)
        if config.validate.prompt.skip
        else ValidateMeta(prompt=PromptLevelMeta(level=config.validate.prompt.level))
    )
    prompt_failed = checks.prompt is not None and not checks.prompt.passed

    result: ResumeResult | None = None
    parse_meta = ParseMeta(skipped=True)
    if not prompt_failed and not config.parse.skip:
        on_stage("parse", STAGE_PROGRESS["parse"])
        llm_meta: LlmMeta | None = None
        tier = config.parse.model_tier
        if prior_result is not None:
            result, confidence = prior_result, _prior_confidence(source)
        else:
            outcome = parse(checks_document)
            result, confidence = outcome.result, outcome.confidence
            if tier != "basic" and not test_mode:
                result, llm_meta = _llm(llm, tier, "parse").refine(result, raw_text or "", tier, deadline)
        parse_meta = ParseMeta(
            model_tier=tier,
            confidence_score=round(confidence, 3),
            skills_skipped=True if config.parse.skills.skip else None,
            llm=llm_meta,
            test_data=True if test_mode and tier != "basic" else None,
        )
        if not config.parse.skills.skip:
            on_stage("skills", STAGE_PROGRESS["skills"])
            skills = normalise_skills(result, raw_text or "")
            result = msgspec.structs.replace(result, skills=skills)

    ai_features = build_ai_features(result) if result is not None else None

    matching: Matching | None = None
    matching_meta = MatchingMeta(skipped=True)
    if result is not None and not config.matching.skip and source.job_description:
        on_stage("matching", STAGE_PROGRESS["matching"])
        tier = config.matching.model_tier
        matching_llm: LlmMeta | None = None
        if tier != "basic" and not test_mode:
            matching, matching_llm = _llm_matching(_llm(llm, tier, "matching"), result, source.job_description,
                                                   config.matching.top_skills, tier, deadline)
        else:
            matching = match(result, source.job_description, config.matching.top_skills)
        matching_meta = MatchingMeta(model_tier=tier, llm=matching_llm,
                                     test_data=True if test_mode and tier != "basic" else None)

    output = PipelineOutput(
        raw_text=raw_text,
        result=result,
        ai_features=ai_features,
        matching=matching,
        checks=checks,
        extract=extract_meta,
        validate=validate_meta,
        parse=parse_meta,
        matching_meta=matching_meta,
    )
    return output if config.redact is None else _redacted(output, config.redact)


def _redacted(output: PipelineOutput, config: RedactConfig) -> PipelineOutput:
    """Redaction runs last, so matching still sees the whole resume while nothing personal leaves the pipeline."""
    parts = Redactable(raw_text=output.raw_text, result=output.result, ai_features=output.ai_features,
                       matching=output.matching, checks=output.checks)
    redacted, report = redact(parts, config)
    return msgspec.structs.replace(
        output, raw_text=redacted.raw_text, result=redacted.result, ai_features=redacted.ai_features,
        matching=redacted.matching, checks=redacted.checks, redaction=report)


def _llm_matching(llm: Llm, result: ResumeResult, job_description: str, top_skills: int, tier: ModelTier,
                  deadline: float | None) -> tuple[Matching, LlmMeta]:
    """Matching with the model's reading of the posting merged into ours, and its summary of the match."""
    job = read_job(job_description)
    reading, reading_meta = llm.read_job(job_description, job.asks, tier, deadline)
    matching = match(result, job_description, top_skills, job=with_reading(job, reading))
    summary, summary_meta = llm.summarise(matching, tier, deadline)
    return msgspec.structs.replace(matching, summary=summary), combined(reading_meta, summary_meta)


def _llm(llm: Llm | None, tier: str, stage: str) -> Llm:
    if llm is None:
        raise LlmError(f"model tier {tier!r} needs an Anthropic API key on the worker (ANTHROPIC_API_KEY)", stage)
    return llm


def read_input(
    source: PipelineInput, config: ResolvedConfig, fetch_policy: FetchPolicy | None, extractor: Extractor
) -> tuple[Document | None, ExtractMeta, ResumeResult | None]:
    """The document to parse, its stage metadata, and for re-runs the prior result to start from."""
    if source.kind == "result":
        return None, ExtractMeta(skipped=True), _prior_result(source)
    if source.kind == "text":
        document = document_from_text(source.raw_text or "")
        return document, ExtractMeta(source_format="txt", page_count=document.page_count), None
    if source.kind == "url":
        if not source.url:
            raise ExtractionError("input.data must hold the URL to fetch")
        data, name = fetch_url(source.url, fetch_policy)
    else:
        if source.file_bytes is None:
            raise ExtractionError("the request has no file")
        data, name = source.file_bytes, source.file_name
    document = extractor(data, filename=name, mode=config.extract.type, max_pages=source.max_pages)
    ocr_pages = [page.number for page in document.pages if page.ocr]
    meta = ExtractMeta(
        source_format=document.source_format,
        page_count=document.page_count,
        ocr_pages=ocr_pages or None,
        ocr_confidence=[
            round(page.ocr_confidence, 3)
            for page in document.pages
            if page.ocr and page.ocr_confidence is not None
        ]
        or None,
    )
    return document, meta, None


def _prior_result(source: PipelineInput) -> ResumeResult:
    prior = source.prior or {}
    try:
        return msgspec.convert(prior.get("result"), ResumeResult)
    except msgspec.ValidationError as exc:
        raise ParseError(f"input.data.result is not a valid result: {exc}") from exc


def _prior_raw_text(source: PipelineInput) -> str | None:
    value = (source.prior or {}).get("raw_text")
    return value if isinstance(value, str) else None


def _prior_confidence(source: PipelineInput) -> float:
    parse_meta = ((source.prior or {}).get("metadata") or {}).get("parse") or {}
    value = parse_meta.get("confidence_score")
    return float(value) if isinstance(value, int | float) else 0.5
