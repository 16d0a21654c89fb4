"""Settings from the environment, credit estimates per tier, and API keys."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from resume_parser.credits import estimate_credits
from resume_parser.keys import display_prefix, generate_key, hash_key, looks_like_key
from resume_parser.settings import SettingsError, load_settings
from schemas.request import MatchingConfig, ParseConfig, ParseRequestConfig, resolve_config
from tests.processes import CLI, REPO, service_env


def test_settings_read_prefixed_variables() -> None:
    settings = load_settings({
        "RESUME_PARSER_DATA_DIR": "/srv/parser",
        "RESUME_PARSER_PORT": "9001",
        "RESUME_PARSER_RETENTION_DAYS": "3.5",
        "RESUME_PARSER_URL_ALLOWLIST": "127.0.0.1/32, files.internal",
        "ANTHROPIC_API_KEY": "sk-test",
    })
    assert settings.data_dir == Path("/srv/parser")
    assert settings.port == 9001
    assert settings.retention_days == 3.5
    assert settings.url_allowlist_entries == ("127.0.0.1/32", "files.internal")
    assert settings.anthropic_api_key == "sk-test"
    assert not settings.distributed


@pytest.mark.parametrize(("variable", "value", "reason"), [
    ("RESUME_PARSER_KEY_CACHE_SECONDS", "abc", "Expected `float`, got `str`"),
    ("RESUME_PARSER_KEY_CACHE_SECONDS", "-1", ">= 0"),
    ("RESUME_PARSER_PORT", "eighty", "Expected `int`, got `str`"),
])
def test_a_bad_setting_is_named_with_its_value_and_what_is_wrong(variable: str, value: str, reason: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({variable: value})
    assert str(raised.value).startswith(f"{variable}={value!r}: ") and reason in str(raised.value)


def test_the_command_refuses_a_bad_setting_in_one_line_without_a_traceback() -> None:
    env = {**service_env(), "RESUME_PARSER_KEY_CACHE_SECONDS": "soon"}
    done = subprocess.run([*CLI, "serve"], env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == ("resume-parser: invalid setting RESUME_PARSER_KEY_CACHE_SECONDS='soon': "
                                   "Expected `float`, got `str`")


def test_distributed_needs_both_urls() -> None:
    assert not load_settings({"RESUME_PARSER_BROKER_URL": "redis://x"}).distributed
    both = {"RESUME_PARSER_BROKER_URL": "redis://x", "RESUME_PARSER_DATABASE_URL": "postgresql://y"}
    assert load_settings(both).distributed
    assert load_settings(both).rate_limit_redis_url == "redis://x"


def test_credits_grow_with_tiers_and_stages() -> None:
    def cost(parse_tier: str, matching: bool, input_type: str = "file", ocr: bool = False) -> int:
        config = ParseRequestConfig(parse=ParseConfig(model_tier=parse_tier),  # type: ignore[arg-type]
                                    matching=MatchingConfig(skip=not matching))
        return estimate_credits(resolve_config(config, matching), input_type, ocr)

    assert cost("basic", False) < cost("standard", False) < cost("premium", False)
    assert cost("basic", True) == cost("basic", False) + 1
    assert cost("basic", False, ocr=True) == cost("basic", False) + 1
    assert cost("basic", True, input_type="result") == 1


def test_matching_defaults_follow_the_job_description() -> None:
    assert resolve_config(ParseRequestConfig(), True).matching.skip is False
    assert resolve_config(ParseRequestConfig(), False).matching.skip is True
    explicit = ParseRequestConfig(matching=MatchingConfig(skip=True))
    assert resolve_config(explicit, True).matching.skip is True


def test_keys_are_prefixed_random_and_hashed() -> None:
    live, test = generate_key(False), generate_key(True)
    assert live.startswith("rp_live_") and test.startswith("rp_test_")
    assert looks_like_key(live) and not looks_like_key("rp_live_short")
    assert generate_key(False) != live
    assert hash_key(live) != live and len(hash_key(live)) == 64
    assert display_prefix(live) in live and len(display_prefix(live)) < len(live) // 2
