"""Settings from `RESUME_PARSER_*` environment variables, read the same way by the CLI, API and workers."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated

import msgspec

from pipeline.llm import LlmSettings

PREFIX = "RESUME_PARSER_"


class Settings(msgspec.Struct, kw_only=True, frozen=True):
    data_dir: Path = Path("data")
    database_url: str | None = None
    broker_url: str | None = None
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    retention_days: float = 14.0
    max_file_bytes: int = 10 * 1024 * 1024
    max_batch_bytes: int = 50 * 1024 * 1024
    rate_limit: int = 120
    rate_limit_window: int = 60
    key_cache_seconds: Annotated[float, msgspec.Meta(ge=0)] = 5.0
    embedded_workers: int = 2
    task_time_limit: float = 120.0
    task_memory_mb: int = 1024
    resend_after: float = 30.0
    stuck_after: float = 300.0
    sweep_interval: float = 10.0
    default_credits: int = 100
    url_allowlist: str = ""
    cors_origins: str = ""
    webhook_timeout: float = 10.0
    webhook_retry_delays: str = "10,60,300,1800,7200"
    database_timeout: float = 10.0
    queue: str = "resume-parser"
    anthropic_api_key: str | None = None
    anthropic_base_url: str | None = None
    llm_standard_model: str = "claude-haiku-4-5"
    llm_premium_model: str = "claude-sonnet-4-5"
    llm_timeout: float = 60.0
    llm_max_retries: int = 3
    llm_concurrency: int = 4

    @property
    def distributed(self) -> bool:
        """Celery + PostgreSQL when both URLs are set; the embedded default otherwise."""
        return bool(self.broker_url and self.database_url)

    @property
    def llm(self) -> LlmSettings | None:
        """How the workers reach the LLM tiers; None without an API key."""
        if not self.anthropic_api_key:
            return None
        return LlmSettings(api_key=self.anthropic_api_key, base_url=self.anthropic_base_url,
                           standard_model=self.llm_standard_model, premium_model=self.llm_premium_model,
                           timeout=self.llm_timeout, max_retries=self.llm_max_retries,
                           max_concurrency=self.llm_concurrency)

    @property
    def url_allowlist_entries(self) -> tuple[str, ...]:
        return tuple(entry.strip() for entry in self.url_allowlist.split(",") if entry.strip())

    @property
    def webhook_delays(self) -> list[float]:
        """Seconds to wait before each retry of a failed webhook; one more than their count is the last try."""
        return [float(delay) for delay in self.webhook_retry_delays.split(",") if delay.strip()]

    @property
    def cors_origin_list(self) -> list[str]:
        """Origins a browser may call the API from; none (CORS off) unless configured."""
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def rate_limit_redis_url(self) -> str | None:
        return self.redis_url or (self.broker_url if self.broker_url and self.broker_url.startswith("redis") else None)


class SettingsError(ValueError):
    """An environment variable the settings cannot take, named with what is wrong with its value."""


_UNPREFIXED = {"anthropic_api_key": "ANTHROPIC_API_KEY", "anthropic_base_url": "ANTHROPIC_BASE_URL"}


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read every field of Settings from its upper-case environment variable; unset ones keep the default."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for field in msgspec.structs.fields(Settings):
        raw = env.get(PREFIX + field.name.upper())
        if raw is None and field.name in _UNPREFIXED:
            raw = env.get(_UNPREFIXED[field.name])
        if raw is None or raw == "":
            continue
        values[field.name] = raw
    try:
        return msgspec.convert(values, Settings, strict=False, dec_hook=_decode_path)
    except msgspec.ValidationError as exc:
        found = re.search(r"^(.*?)(?: - at `\$\.(\w+)`)?$", str(exc))
        reason, field_name = (found.group(1), found.group(2)) if found else (str(exc), None)
        variable = _UNPREFIXED.get(field_name or "", PREFIX + (field_name or "").upper())
        raise SettingsError(f"{variable}={env.get(variable, '')!r}: {reason}") from None


def _decode_path(type_: type, obj: object) -> object:
    if type_ is Path and isinstance(obj, str):
        return Path(obj)
    raise NotImplementedError
