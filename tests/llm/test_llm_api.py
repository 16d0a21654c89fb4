"""LLM tiers through the API (embedded mode) against the fake Anthropic endpoint: the merged result, its
metadata and credits, the refund when the model fails, and test keys that never call it."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from resume_parser.credits import MATCHING_CREDITS, PARSE_CREDITS
from resume_parser.settings import Settings
from tests import samples
from tests.api.test_parse_flow import wait_done
from tests.conftest import issue_key, store_of
from tests.fakes.anthropic import FakeAnthropic, Reply, serve

JOB = ("Senior Backend Engineer\nRequirements\n- 5+ years of Python\n- PostgreSQL and SQL\n"
       "- Kubernetes and Docker\nNice to have\n- Terraform\n- Rust\n") * 2


@pytest.fixture()
def fake() -> Iterator[FakeAnthropic]:
    with serve() as running:
        yield running


@pytest.fixture()
def llm_client(make_settings: Callable[..., Settings], fake: FakeAnthropic) -> Iterator[TestClient[Any]]:
    settings = make_settings(anthropic_api_key="sk-ant-test", anthropic_base_url=fake.url, llm_max_retries=1)
    with TestClient(app=create_app(settings)) as client:
        yield client


def _with_label(draft: dict[str, Any], text: str) -> dict[str, Any]:
    answer = copy.deepcopy(draft)
    answer["personal_info"]["label"] = "Backend engineer"
    answer["skills"].append({"skill": "COBOL"})
    return answer


def _post(client: TestClient[Any], headers: dict[str, str], tier: str, job: bool = False) -> dict[str, Any]:
    config: dict[str, Any] = {"parse": {"model_tier": tier}}
    body: dict[str, Any] = {"input": {"type": "text", "raw_text": samples.resume_text()}, "config": config}
    if job:
        body["input"]["job_description"] = JOB
        config["matching"] = {"skip": False, "model_tier": tier}
    response = client.post("/v1/parse", json=body, headers=headers)
    assert response.status_code == 202, response.text
    accepted: dict[str, Any] = response.json()
    return accepted


def test_a_standard_request_completes_with_the_merged_result(llm_client: TestClient[Any],
                                                             fake: FakeAnthropic) -> None:
    key = issue_key(store_of(llm_client), credits=50)
    fake.script(Reply(transform=_with_label), Reply(), Reply(text="Strong backend fit; Rust is the only gap."))
    accepted = _post(llm_client, key.headers, "standard", job=True)
    expected = PARSE_CREDITS["standard"] + MATCHING_CREDITS["standard"]
    assert accepted["estimated_credits"] == expected
    done = wait_done(llm_client, key, accepted["request_id"])
    assert done["status"] == "completed", done
    assert done["result"]["personal_info"]["label"] == "Backend engineer"
    assert "COBOL" not in [skill["skill"] for skill in done["result"]["skills"]]
    parse_meta = done["metadata"]["parse"]
    assert parse_meta["model_tier"] == "standard"
    assert parse_meta["llm"]["model"] == "claude-haiku-4-5" and parse_meta["llm"]["input_tokens"] > 0
    assert parse_meta["llm"]["dropped_values"] == 1
    assert done["matching"]["summary"] == "Strong backend fit; Rust is the only gap."
    assert done["metadata"]["matching"]["llm"]["calls"] == 2
    assert done["credits_consumed"] == expected and done["remaining_balance"] == 50 - expected
    assert [request.get("tool_choice", {}).get("name") for request in fake.requests] == [
        "record_resume", "record_requirements", None]


def test_a_model_that_stays_overloaded_fails_the_request_and_refunds_it(llm_client: TestClient[Any],
                                                                        fake: FakeAnthropic) -> None:
    key = issue_key(store_of(llm_client), credits=20)
    fake.script(*[Reply(error="overloaded_error")] * 4)
    accepted = _post(llm_client, key.headers, "premium")
    assert accepted["remaining_balance"] == 20 - PARSE_CREDITS["premium"]
    done = wait_done(llm_client, key, accepted["request_id"])
    assert done["status"] == "failed"
    assert done["error_code"] == "LLM_ERROR" and done["error_stage"] == "parse"
    assert "529" in done["error"] and "overloaded_error" in done["error"] and done["credits_consumed"] == 0
    usage = llm_client.get("/v1/usage", headers=key.headers).json()
    assert usage["credits"]["remaining"] == 20 and usage["credits"]["reserved"] == 0


def test_a_test_key_gets_the_deterministic_result_marked_as_test_data(llm_client: TestClient[Any],
                                                                      fake: FakeAnthropic) -> None:
    key = issue_key(store_of(llm_client), credits=5, test=True)
    done = wait_done(llm_client, key, _post(llm_client, key.headers, "premium", job=True)["request_id"])
    assert done["status"] == "completed" and done["test_mode"] is True
    assert done["metadata"]["parse"]["test_data"] is True and "llm" not in done["metadata"]["parse"]
    assert done["metadata"]["matching"]["test_data"] is True
    assert done["credits_consumed"] == 0 and fake.requests == []
    assert done["result"]["personal_info"]["name"] == samples.NAME
