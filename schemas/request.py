"""The body of `POST /v1/parse`: what to parse and which stages to run."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

import msgspec

from schemas.base import Strict

ModelTier = Literal["basic", "standard", "premium"]
ExtractType = Literal["file", "ocr", "auto"]
PromptLevel = Literal["basic", "advanced", "professional"]
InputType = Literal["url", "text", "result"]
RedactCategory = Literal["name", "contact", "location", "photo", "demographics", "schools"]
REDACT_CATEGORIES: tuple[RedactCategory, ...] = get_args(RedactCategory)

JobDescription = Annotated[str, msgspec.Meta(min_length=100, max_length=30_000)]
TopSkills = Annotated[int, msgspec.Meta(ge=1, le=10)]


class ExtractConfig(Strict):
    type: ExtractType = "auto"


class PromptCheckConfig(Strict):
    skip: bool = True
    level: PromptLevel = "basic"


class ValidateConfig(Strict):
    prompt: PromptCheckConfig = msgspec.field(default_factory=PromptCheckConfig)


class SkillsConfig(Strict):
    skip: bool = False


class ParseConfig(Strict):
    skip: bool = False
    model_tier: ModelTier = "basic"
    skills: SkillsConfig = msgspec.field(default_factory=SkillsConfig)


class MatchingConfig(Strict):
    skip: bool = True
    model_tier: ModelTier = "basic"
    top_skills: TopSkills = 3


class RedactConfig(Strict):
    """Redaction for fair screening. Giving `redact` at all turns on every category except `schools`, so the
    safe choice is the short one (`"redact": {}`); a category set to false is kept."""

    name: bool = True
    contact: bool = True
    location: bool = True
    photo: bool = True
    demographics: bool = True
    schools: bool = False

    def categories(self) -> list[RedactCategory]:
        return [category for category in REDACT_CATEGORIES if getattr(self, category)]


def redact_config_from(value: str) -> RedactConfig:
    """The short form used on a URL or command line: `default` (as `"redact": {}`), `all` (adds schools) or a
    comma-separated list naming exactly the categories to take out. Raises ValueError otherwise."""
    names = {name.strip() for name in value.split(",") if name.strip()}
    if names == {"default"}:
        return RedactConfig()
    if names == {"all"}:
        return RedactConfig(schools=True)
    if not names or not names <= set(REDACT_CATEGORIES):
        raise ValueError(f"redact takes `default`, `all` or categories among {', '.join(REDACT_CATEGORIES)}")
    return RedactConfig(**{category: category in names for category in REDACT_CATEGORIES})


class ParseRequestConfig(Strict):
    extract: ExtractConfig = msgspec.field(default_factory=ExtractConfig)
    validate: ValidateConfig = msgspec.field(default_factory=ValidateConfig)
    parse: ParseConfig = msgspec.field(default_factory=ParseConfig)
    matching: MatchingConfig | None = None
    redact: RedactConfig | None = None


class ParseInput(Strict):
    type: InputType
    data: str | dict[str, Any] | None = None
    raw_text: str | None = None
    job_description: JobDescription | None = None


CallbackUrl = Annotated[str, msgspec.Meta(min_length=1, max_length=2048)]


class ParseRequestBody(Strict):
    input: ParseInput
    config: ParseRequestConfig = msgspec.field(default_factory=ParseRequestConfig)
    callback_url: CallbackUrl | None = None


MAX_BATCH_ITEMS = 100


class ParseBatchBody(Strict):
    """`POST /v1/parse/batch` as JSON: each item is a parse request; `callback_url` is the default of items
    that name none."""

    items: Annotated[list[ParseRequestBody], msgspec.Meta(min_length=1, max_length=MAX_BATCH_ITEMS)]
    callback_url: CallbackUrl | None = None


class ResolvedConfig(Strict):
    """The config with defaults applied: matching resolved against the presence of a job description."""

    extract: ExtractConfig
    validate: ValidateConfig
    parse: ParseConfig
    matching: MatchingConfig
    redact: RedactConfig | None = None


def resolve_config(config: ParseRequestConfig, has_job_description: bool) -> ResolvedConfig:
    """Apply the reference defaults: matching runs when a job description is given and matching is omitted."""
    matching = config.matching if config.matching is not None else MatchingConfig(skip=not has_job_description)
    return ResolvedConfig(
        extract=config.extract, validate=config.validate, parse=config.parse, matching=matching,
        redact=config.redact,
    )
