"""Batches through the real app: several files or JSON items in one call, one request per item, credits
reserved for all or none, progress summarised, and the batch erased as a whole."""

from __future__ import annotations

import time
from typing import Any

from litestar.testing import TestClient

from tests import samples
from tests.api.test_errors import assert_envelope
from tests.conftest import KeyInfo, issue_key, store_of


def _batch_when_done(client: TestClient[Any], key: KeyInfo, batch_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        response = client.get(f"/v1/parse/batch/{batch_id}", headers=key.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] == "completed":
            return body
        time.sleep(0.1)
    raise AssertionError(f"batch {batch_id} did not finish")


def test_a_multipart_batch_parses_every_file_and_summarises_progress(client: TestClient[Any], key: KeyInfo) -> None:
    files = [("file", ("cv.pdf", samples.resume_pdf())), ("file", ("cv.docx", samples.resume_docx())),
             ("file", ("cv.txt", samples.resume_text().encode())), ("file", ("broken.pdf", b"%PDF-1.4 broken"))]
    response = client.post("/v1/parse/batch", files=files, data={"job_description": samples.JOB_DESCRIPTION},
                           headers=key.headers)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["batch_id"].startswith("batch_") and accepted["status"] == "created"
    assert [item["file_name"] for item in accepted["items"]] == ["cv.pdf", "cv.docx", "cv.txt", "broken.pdf"]
    assert accepted["estimated_credits"] == sum(item["estimated_credits"] for item in accepted["items"]) == 8
    assert accepted["remaining_balance"] == 92
    done = _batch_when_done(client, key, accepted["batch_id"])
    assert done["total"] == 4 and done["progress_percentage"] == 100
    assert done["counts"] == {"created": 0, "parsing": 0, "completed": 3, "failed": 1}
    failed = [item for item in done["items"] if item["status"] == "failed"]
    assert [(item["file_name"], item["error_code"]) for item in failed] == [("broken.pdf", "EXTRACTION_FAILED")]
    assert done["credits_consumed"] == 6
    for item in accepted["items"][:3]:
        document = client.get(f"/v1/parse/{item['request_id']}", headers=key.headers).json()
        assert document["result"]["personal_info"]["email"] == samples.EMAIL
        assert document["matching"]["score"] > 0
    usage = client.get("/v1/usage", headers=key.headers).json()["credits"]
    assert (usage["used"], usage["reserved"]) == (6, 0)


def test_a_json_batch_takes_items_each_with_its_own_options(client: TestClient[Any], key: KeyInfo) -> None:
    items = [{"input": {"type": "text", "raw_text": samples.resume_text()}},
             {"input": {"type": "text", "raw_text": samples.resume_markdown(),
                        "job_description": samples.JOB_DESCRIPTION}}]
    response = client.post("/v1/parse/batch", json={"items": items}, headers=key.headers)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert [item["estimated_credits"] for item in accepted["items"]] == [1, 2]
    done = _batch_when_done(client, key, accepted["batch_id"])
    assert done["counts"]["completed"] == 2


def test_one_bad_item_refuses_the_whole_batch_and_names_it(client: TestClient[Any], key: KeyInfo) -> None:
    items = [{"input": {"type": "text", "raw_text": samples.resume_text()}},
             {"input": {"type": "text", "raw_text": "   "}}]
    envelope = assert_envelope(client.post("/v1/parse/batch", json={"items": items}, headers=key.headers), 400,
                               "INVALID_REQUEST")
    assert [error["path"] for error in envelope["field_errors"]] == ["items.1.input.raw_text"]
    schema_error = assert_envelope(client.post("/v1/parse/batch", json={"items": [{"input": {"type": "pdf"}}]},
                                               headers=key.headers), 400, "INVALID_REQUEST")
    assert [error["path"] for error in schema_error["field_errors"]] == ["items.0.input.type"]
    too_many = assert_envelope(client.post("/v1/parse/batch", json={"items": [items[0]] * 101},
                                           headers=key.headers), 400, "INVALID_REQUEST")
    assert [error["path"] for error in too_many["field_errors"]] == ["items"]
    empty_file = assert_envelope(client.post("/v1/parse/batch", files=[
        ("file", ("a.txt", samples.resume_text().encode())), ("file", ("b.txt", b""))], headers=key.headers),
        400, "INVALID_REQUEST")
    assert [error["path"] for error in empty_file["field_errors"]] == ["file.1"]
    assert client.get("/v1/parse", headers=key.headers).json()["data"] == []


def test_credits_are_reserved_for_all_items_or_none(client: TestClient[Any]) -> None:
    poor = issue_key(store_of(client), credits=2)
    items = [{"input": {"type": "text", "raw_text": samples.resume_text()}}] * 3
    assert_envelope(client.post("/v1/parse/batch", json={"items": items}, headers=poor.headers), 402,
                    "INSUFFICIENT_CREDITS")
    usage = client.get("/v1/usage", headers=poor.headers).json()["credits"]
    assert (usage["remaining"], usage["reserved"]) == (2, 0)
    assert client.get("/v1/parse", headers=poor.headers).json()["data"] == []


def test_a_batch_is_private_to_its_account_and_deleted_whole(client: TestClient[Any], key: KeyInfo) -> None:
    items = [{"input": {"type": "text", "raw_text": samples.resume_text()}}] * 2
    accepted = client.post("/v1/parse/batch", json={"items": items}, headers=key.headers).json()
    batch_id = accepted["batch_id"]
    stranger = issue_key(store_of(client))
    assert_envelope(client.get(f"/v1/parse/batch/{batch_id}", headers=stranger.headers), 404, "NOT_FOUND")
    assert_envelope(client.delete(f"/v1/parse/batch/{batch_id}", headers=stranger.headers), 404, "NOT_FOUND")
    _batch_when_done(client, key, batch_id)
    assert client.delete(f"/v1/parse/batch/{batch_id}", headers=key.headers).status_code == 200
    assert_envelope(client.get(f"/v1/parse/batch/{batch_id}", headers=key.headers), 404, "NOT_FOUND")
    for item in accepted["items"]:
        assert_envelope(client.get(f"/v1/parse/{item['request_id']}", headers=key.headers), 404, "NOT_FOUND")
