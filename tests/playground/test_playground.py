"""The playground page in headless Chromium against a real server process: drop a resume, add a job
description, watch it finish, read the resume beside the match report. The screenshot is kept in
`test-artifacts/playground.png` at the repository's root (git-ignored)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from resume_parser.settings import Settings
from store import open_store
from tests import samples
from tests.conftest import REPO, issue_key
from tests.processes import service_env, start_api

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO / "test-artifacts"


def test_the_page_has_its_own_nonce_policy_and_writes_data_only_as_text(client: TestClient[Any]) -> None:
    first, second = client.get("/playground"), client.get("/playground")
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/html")
    policies = first.headers.get_list("content-security-policy")
    assert len(policies) == 1
    nonce = re.search(r"script-src 'nonce-([\w-]+)'", policies[0])
    assert nonce and f"style-src 'nonce-{nonce.group(1)}'" in policies[0]
    assert "unsafe" not in policies[0] and "connect-src 'self'" in policies[0]
    assert first.text.count(f'nonce="{nonce.group(1)}"') == 2
    assert nonce.group(1) not in second.text
    assert "innerHTML" not in first.text and "insertAdjacentHTML" not in first.text
    assert "http://" not in first.text and "https://" not in first.text
    assert client.get("/health").headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("playground")
    api, base = start_api(service_env(RESUME_PARSER_DATA_DIR=str(folder / "data")), folder / "api.log")
    store = open_store(Settings(data_dir=folder / "data"))
    try:
        yield base, issue_key(store, 100).key
    finally:
        store.close()
        api.stop()


@pytest.fixture()
def page(server: tuple[str, str]) -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (scripts/setup.sh installs Debian's chromium)")
    with playwright_api.sync_playwright() as driver:
        # The sandbox needs user namespaces that containers and root often lack; the page is our own.
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            tab = browser.new_page(viewport={"width": 1360, "height": 1000})
            tab.problems = []
            tab.on("console", lambda message: message.type == "error" and tab.problems.append(message.text))
            tab.on("pageerror", lambda error: tab.problems.append(str(error)))
            tab.goto(f"{server[0]}/playground")
            yield tab
        finally:
            browser.close()


def _drop(page: Any, data: bytes, name: str) -> None:
    transfer = page.evaluate_handle(
        """([bytes, name]) => {
             const transfer = new DataTransfer();
             transfer.items.add(new File([new Uint8Array(bytes)], name, {type: "application/pdf"}));
             return transfer;
           }""", [list(data), name])
    page.dispatch_event("#drop-zone", "drop", {"dataTransfer": transfer})


def test_drop_a_resume_and_read_it_beside_the_match_report(page: Any, server: tuple[str, str]) -> None:
    page.fill("#api-key", server[1])
    _drop(page, samples.resume_pdf(), "marta.pdf")
    page.fill("#job-description", samples.JOB_DESCRIPTION)
    page.click("#parse-button")
    page.wait_for_selector("#results:not([hidden])", timeout=90_000)

    assert page.text_content("#result-name") == samples.NAME
    assert samples.COMPANY in page.text_content("#experience")
    assert "University of Illinois" in page.text_content("#education")
    assert "Kubernetes" in page.text_content("#skills")
    assert "Polish" in page.text_content("#languages")
    score = int(page.text_content("#gauge-score"))
    assert 0 < score <= 100
    assert page.get_attribute("#gauge-arc", "stroke-dasharray") == f"{score} 100"
    assert page.locator("#matched-skills .skill-row").count() >= 1
    assert page.locator("#missing-skills .skill-row").count() >= 1
    assert "Rust" in page.text_content("#missing-skills")
    assert page.locator("#stages li.done").count() == 5
    assert page.is_hidden("#error")
    assert page.evaluate("sessionStorage.getItem('resume-parser-api-key')") == server[1]
    assert page.evaluate("localStorage.length") == 0
    assert page.problems == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "playground.png"), full_page=True)

    page.reload()
    assert page.input_value("#api-key") == server[1]


def test_errors_show_the_envelope_and_a_parse_without_posting_has_no_report(
    page: Any, server: tuple[str, str], tmp_path: Path
) -> None:
    page.fill("#api-key", "rp_live_" + "0" * 40)
    picked = tmp_path / "cv.pdf"
    picked.write_bytes(samples.resume_pdf())
    page.set_input_files("#file-input", str(picked))
    page.click("#parse-button")
    page.wait_for_selector("#error:not([hidden])")
    assert page.text_content("#error-message") == "invalid, revoked or expired API key"

    page.fill("#api-key", server[1])
    page.fill("#job-description", "too short")
    page.click("#parse-button")
    page.wait_for_selector("#error-fields li")
    assert page.text_content("#error-fields").startswith("job_description: ")
    assert page.is_hidden("#results")

    page.fill("#job-description", "")
    page.click("#parse-button")
    page.wait_for_selector("#results:not([hidden])", timeout=90_000)
    assert page.is_hidden("#error") and page.text_content("#result-name") == samples.NAME
    assert page.text_content("#gauge-score") == "–" and page.is_hidden("#match-details")
    assert page.locator("#stages li.skipped").all_text_contents() == ["matching"]
