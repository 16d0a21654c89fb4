"""`GET /v1/parse/{id}?format=…&redact=…` and `config.redact` through real HTTP requests to the app."""

from __future__ import annotations

import json
from typing import Any

from litestar.testing import TestClient

from tests import samples
from tests.api.test_parse_flow import upload, wait_done
from tests.conftest import KeyInfo
from tests.formats.rich import EMAIL, NAME, SCHOOL, rich_resume
from tests.formats.test_formats import errors_of


def parse_text(client: TestClient[Any], key: KeyInfo, text: str, config: dict[str, Any] | None = None) -> str:
    body: dict[str, Any] = {"input": {"type": "text", "raw_text": text}}
    if config is not None:
        body["config"] = config
    response = client.post("/v1/parse", json=body, headers=key.headers)
    assert response.status_code == 202, response.text
    request_id: str = response.json()["request_id"]
    assert wait_done(client, key, request_id)["status"] == "completed"
    return request_id


def fetch(client: TestClient[Any], key: KeyInfo, request_id: str, **params: str) -> Any:
    return client.get(f"/v1/parse/{request_id}", params=params, headers=key.headers)


def test_each_format_of_a_completed_parse(client: TestClient[Any], key: KeyInfo) -> None:
    request_id = wait_done(client, key, upload(client, key, "resume.pdf", samples.resume_pdf())["request_id"])[
        "request_id"]
    markdown = fetch(client, key, request_id, format="markdown")
    assert markdown.status_code == 200
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith(f"# {samples.NAME}\n")
    assert "## Experience" in markdown.text and samples.COMPANY in markdown.text
    for fmt in ("jsonresume", "hropen"):
        response = fetch(client, key, request_id, format=fmt)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        assert errors_of(fmt, response.json()) == []
    assert fetch(client, key, request_id, format="jsonresume").json()["basics"]["email"] == samples.EMAIL
    whole = fetch(client, key, request_id, format="json").json()
    assert whole == fetch(client, key, request_id).json()
    assert whole["status"] == "completed" and whole["redaction"] is None


def test_an_unknown_format_or_redaction_is_400_in_the_envelope(client: TestClient[Any], key: KeyInfo) -> None:
    request_id = parse_text(client, key, samples.resume_text())
    for params, path in (({"format": "xml"}, "format"), ({"redact": "names"}, "redact"), ({"redact": ""}, "redact")):
        response = fetch(client, key, request_id, **params)
        assert response.status_code == 400, response.text
        body = response.json()
        assert body["code"] == "INVALID_REQUEST"
        assert [error["path"] for error in body["field_errors"]] == [path]
    assert fetch(client, key, "req_unknown", format="markdown").status_code == 404


def test_a_failed_or_unfinished_request_answers_its_json_shape(client: TestClient[Any], key: KeyInfo) -> None:
    accepted = upload(client, key, "resume.txt", samples.resume_text().encode())
    early = fetch(client, key, accepted["request_id"], format="markdown")
    assert early.status_code == 200 and early.headers["content-type"].startswith("application/json")
    assert early.json()["status"] in ("created", "parsing", "completed")
    broken = client.post("/v1/parse", files={"file": ("cut.pdf", samples.resume_pdf()[:400])}, headers=key.headers)
    failed_id = broken.json()["request_id"]
    assert wait_done(client, key, failed_id)["status"] == "failed"
    for fmt in ("markdown", "jsonresume"):
        response = fetch(client, key, failed_id, format=fmt, redact="default")
        assert response.status_code == 200
        assert response.json()["status"] == "failed"


def test_config_redact_at_parse_time(client: TestClient[Any], key: KeyInfo) -> None:
    request_id = parse_text(client, key, rich_resume(), {"redact": {"schools": True}})
    document = fetch(client, key, request_id).json()
    everything = json.dumps(document, ensure_ascii=False)
    for value in (NAME, "Ferreira", EMAIL, "7946", SCHOOL, "12/03/1990", "she/her"):
        assert value not in everything, value
    assert document["redaction"]["categories"] == ["name", "contact", "location", "photo", "demographics",
                                                   "schools"]
    assert {"kind": "email", "path": "result.personal_info.email", "count": 1} in document["redaction"]["items"]
    markdown = fetch(client, key, request_id, format="markdown").text
    assert markdown.startswith("# Candidate\n") and "Ferreira" not in markdown and SCHOOL not in markdown
    assert markdown.rstrip().endswith("*Redacted for fair screening: name, contact, location, photo, demographics, "
                                      "schools.*")
    bad = client.post("/v1/parse", json={"input": {"type": "text", "raw_text": rich_resume()},
                                         "config": {"redact": {"gender": True}}}, headers=key.headers)
    assert bad.status_code == 400
    assert bad.json()["field_errors"][0]["path"] == "config.redact.gender"


def test_redact_a_stored_result_on_the_way_out(client: TestClient[Any], key: KeyInfo) -> None:
    request_id = parse_text(client, key, rich_resume())
    redacted = fetch(client, key, request_id, redact="default").json()
    assert EMAIL not in json.dumps(redacted) and "Ferreira" not in json.dumps(redacted, ensure_ascii=False)
    assert SCHOOL in json.dumps(redacted)
    assert redacted["redaction"]["categories"] == ["name", "contact", "location", "photo", "demographics"]
    only_schools = fetch(client, key, request_id, redact="schools", format="hropen").json()
    assert errors_of("hropen", only_schools) == []
    assert only_schools["person"]["communication"]["email"] == [{"address": EMAIL}]
    assert "institution" not in only_schools["educationHistory"][0]
    assert EMAIL in fetch(client, key, request_id).json()["raw_text"], "the stored document is unchanged"
